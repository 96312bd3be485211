// The dossier KPI's routes in process, on both engines: a coordinator enters months, a target
// and the monthly CSV; members read the year as a page, JSON and SVG; the org's API sums its
// centers; bad input is refused with the field named and nothing written; members who do not
// coordinate and other branches are refused.
#include "desk/kpi_routes.hpp"

#include <gtest/gtest.h>

#include "desk/kpi_bundle.hpp"
#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::desk {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using chidoan::testing::Reply;

std::string multipart(const std::string& filename, const std::string& content, const std::string& year = "") {
  std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
                     "\"\r\nContent-Type: text/csv\r\n\r\n" + content + "\r\n";
  if (!year.empty()) body += "--XyZ\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n" + year + "\r\n";
  return body + "--XyZ--\r\n";
}

class DeskKpiRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    FixedClock later{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
    ASSERT_TRUE(org::bundle::load(*conn, later, chidoan::testing::demo_bundle()));
    org::Store store(*conn, clock);
    vpubnd = (*store.org_by_code("VPUBND"))->id;
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(outside, chidoan::testing::add_outside_branch(store, today(clock)));
      other_branch = outside.first;
      CHIDOAN_TRY(m, chidoan::testing::add_test_member(store, vpubnd, "Lê", "Thảo", "female", "1996-03-01", "2021-04-01", today(clock)));
      member = m;
      CHIDOAN_TRY(d, chidoan::testing::add_test_member(store, vpubnd, "Võ", "Minh", "male", "1995-05-05", "2021-04-01", today(clock)));
      coordinator_member = d;
      CHIDOAN_TRY(c, Store(*conn, clock).create_center(vpubnd, CenterInput{"Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng", "", 3, 0, 3}));
      center = c;
      CHIDOAN_TRY(e, Store(*conn, clock).create_center(other_branch, CenterInput{"Trung tâm khác", "", 3, 0, 3}));
      elsewhere = e;
      return {};
    }));
    start(clock);
    add_kpi_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"sangpv", auth::Role::branch_secretary, vpubnd, std::nullopt},
                                                 {"khac", auth::Role::branch_secretary, other_branch, std::nullopt},
                                                 {"thao", auth::Role::member, vpubnd, member},
                                                 {"dieuphoi", auth::Role::member, vpubnd, coordinator_member}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    // A member who coordinates the desk by grant.
    int64_t uid = (*conn->query_one("SELECT id FROM users WHERE username = 'dieuphoi'"))->i64(0);
    auth::AuthStore auth_store(*conn, clock, services.auth);
    ASSERT_TRUE(conn->transaction([&] { return auth_store.add_grant(uid, auth::Grant::desk_coordinator, vpubnd, auth::Actor::system()); }));
  }

  std::string api(const std::string& rest = "", int64_t id = 0) {
    return "/api/v1/desk/centers/" + std::to_string(id ? id : center) + "/kpi" + rest;
  }
  std::string org_api(int64_t org_id, const std::string& query) {
    return "/api/v1/orgs/" + std::to_string(org_id) + "/desk/kpi" + query;
  }
  Reply month(const std::string& who, const json& body, int64_t id = 0) { return call("POST", api("/months", id), who, body.dump()); }
  int64_t written() {
    return (*conn->query_one("SELECT COUNT(*) FROM desk_kpi_months"))->i64(0) * 100 +
           (*conn->query_one("SELECT COUNT(*) FROM desk_kpi_targets"))->i64(0);
  }
  int64_t audits(const std::string& action) {
    return (*conn->query_one("SELECT COUNT(*) FROM audit_log WHERE action = ?1", {action}))->i64(0);
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 20} + 2h};
  int64_t vpubnd = 0, other_branch = 0, member = 0, coordinator_member = 0, center = 0, elsewhere = 0;
};

TEST_P(DeskKpiRoutesTest, ACoordinatorEntersTheYearAndEveryoneReadsIt) {
  Reply jan = month("sangpv", {{"year", 2021}, {"month", "2021-01"}, {"received", 8000}, {"settled", 7900}, {"online_level3", 2000},
                               {"online_level4", 800}, {"assisted", 150}});
  ASSERT_EQ(jan.status, 200) << jan.body;
  EXPECT_EQ(jan.j()["months"].size(), 1u);
  Reply feb = month("dieuphoi", {{"month", "02/2021"}, {"received", "6.400"}, {"settled", "6.300"}, {"online_level3", "1.800"},
                                 {"online_level4", "700"}, {"assisted", "120"}});
  ASSERT_EQ(feb.status, 200) << feb.body;
  Reply target = call("POST", api("/target"), "sangpv", json{{"year", 2021}, {"target", "30"}, {"source", "Văn phòng Chính phủ"}}.dump());
  ASSERT_EQ(target.status, 200) << target.body;
  EXPECT_EQ(audits("kpi_month"), 2);
  EXPECT_EQ(audits("kpi_target"), 1);

  // The center's year, as a member reads it.
  Reply r = call("GET", api("?year=2021"), "thao");
  ASSERT_EQ(r.status, 200) << r.body;
  json v = r.j();
  EXPECT_EQ(v["year"], 2021);
  EXPECT_EQ(v["online"], 5300);
  EXPECT_EQ(v["total"], 14400);
  EXPECT_EQ(v["rate"], 0.3681);  // 5.300 ÷ 14.400 = 0.36805…
  EXPECT_EQ(v["target"], 0.3);
  EXPECT_EQ(v["target_gap"], 0.0681);
  EXPECT_EQ(v["meets_target"], true);
  EXPECT_EQ(v["target_source"], "Văn phòng Chính phủ");
  EXPECT_EQ(v["settled"], 14200);
  EXPECT_EQ(v["assisted"], 270);
  EXPECT_TRUE(v["national_rate"].is_null());  // 2021 is reported by level: no toàn trình figure
  ASSERT_EQ(v["months"].size(), 2u);
  EXPECT_EQ(v["months"][0]["month"], "2021-01");
  EXPECT_EQ(v["months"][0]["online"], 2800);
  EXPECT_EQ(v["months"][0]["total"], 8000);
  EXPECT_EQ(v["months"][0]["rate"], 0.35);
  EXPECT_EQ(v["months"][0]["target_gap"], 0.05);
  EXPECT_EQ(v["months"][1]["rate"], 0.3906);
  EXPECT_EQ(v["months"][1]["online_level4"], 700);
  EXPECT_EQ(v["center"]["id"], center);
  ASSERT_EQ(v["centers"].size(), 1u);
  EXPECT_EQ(v["centers"][0]["rate"], 0.3681);
  // Another year is empty; the default year is this year (2021 by the clock).
  json y2022 = call("GET", api("?year=2022"), "thao").j();
  EXPECT_EQ(y2022["months"].size(), 0u);
  EXPECT_TRUE(y2022["rate"].is_null());
  EXPECT_TRUE(y2022["target"].is_null());
  EXPECT_EQ(call("GET", api(), "thao").j()["year"], 2021);

  // The page: Vietnamese numbers, the chart inline, forms only for coordinators.
  Reply page = call("GET", "/desk/centers/" + std::to_string(center) + "/kpi?year=2021", "sangpv");
  ASSERT_EQ(page.status, 200) << page.body;
  for (const char* s : {"36,81%", "5.300", "14.400", "+6,81", "30%", "Văn phòng Chính phủ", "<svg", "role=\"img\"", "01&#x2F;2021", "02&#x2F;2021",
                        "action=\"/desk/centers/" , "enctype=\"multipart/form-data\""})
    EXPECT_NE(page.body.find(s), std::string::npos) << s;
  Reply member_page = call("GET", "/desk/centers/" + std::to_string(center) + "/kpi?year=2021", "thao");
  ASSERT_EQ(member_page.status, 200);
  EXPECT_EQ(member_page.body.find("/kpi/months\""), std::string::npos);
  EXPECT_EQ(member_page.body.find("multipart"), std::string::npos);
  EXPECT_NE(member_page.body.find("36,81%"), std::string::npos);
  // The chart on its own.
  Reply svg = call("GET", "/desk/centers/" + std::to_string(center) + "/kpi.svg?year=2021", "thao");
  ASSERT_EQ(svg.status, 200);
  EXPECT_EQ(svg.headers["Content-Type"], "image/svg+xml; charset=utf-8");
  EXPECT_TRUE(svg.body.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_NE(svg.body.find("Chỉ tiêu 30%"), std::string::npos);
  EXPECT_EQ(svg.body.find("<script"), std::string::npos);

  // A form post goes back to the page of the month's year.
  Reply form = call("POST", "/desk/centers/" + std::to_string(center) + "/kpi/months", "sangpv",
                    "month=2021-03&received=9000&online_level3=3000&online_level4=1000", "application/x-www-form-urlencoded");
  ASSERT_EQ(form.status, 303) << form.body;
  EXPECT_EQ(form.headers["Location"], "/desk/centers/" + std::to_string(center) + "/kpi?year=2021");
}

TEST_P(DeskKpiRoutesTest, ReplacingAndDeletingAMonth) {
  ASSERT_EQ(month("sangpv", {{"month", "2021-01"}, {"received", 8000}, {"online_level3", 2000}}).status, 200);
  Reply again = month("sangpv", {{"month", "2021-01"}, {"received", 8100}, {"online_level3", 2100}});
  ASSERT_EQ(again.status, 200);
  ASSERT_EQ(again.j()["months"].size(), 1u);
  EXPECT_EQ(again.j()["total"], 8100);
  Reply del = call("POST", api("/months/delete"), "dieuphoi", json{{"month", "2021-01"}}.dump());
  ASSERT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(del.j()["months"].size(), 0u);
  EXPECT_EQ(audits("kpi_delete"), 1);
  Reply gone = call("POST", api("/months/delete"), "dieuphoi", json{{"month", "2021-01"}}.dump());
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(call("POST", api("/months/delete"), "dieuphoi", json{{"month", "2021-14"}}.dump()).j()["error"]["field"], "month");
  // A month reported by class (Decree 42/2022), once it has begun: both rates.
  clock.advance(std::chrono::days(560));  // 2023-06-03
  Reply classes = month("sangpv", {{"year", 2023}, {"month", "2023-05"}, {"received", 10000}, {"settled", 9000}, {"online_full", 4500},
                                   {"online_partial", 2000}});
  ASSERT_EQ(classes.status, 200) << classes.body;
  EXPECT_EQ(classes.j()["year"], 2023);
  EXPECT_EQ(classes.j()["rate"], 0.65);
  EXPECT_EQ(classes.j()["national_rate"], 0.5);
  EXPECT_EQ(classes.j()["months"][0]["national_rate"], 0.5);
}

TEST_P(DeskKpiRoutesTest, BadInputIsRefusedWithTheFieldAndWritesNothing) {
  ASSERT_EQ(month("sangpv", {{"month", "2021-01"}, {"received", 8000}, {"online_level3", 2000}}).status, 200);
  ASSERT_EQ(call("POST", api("/target"), "sangpv", json{{"year", 2021}, {"target", "30"}}.dump()).status, 200);
  const int64_t before = written();
  auto field_of = [&](const std::string& path, const json& body) {
    Reply r = call("POST", api(path), "sangpv", body.dump());
    EXPECT_EQ(r.status, 422) << path << " " << body.dump() << " -> " << r.body;
    EXPECT_EQ(r.j()["error"]["kind"], "invalid") << r.body;
    return r.status == 422 ? r.j()["error"]["field"].get<std::string>() : std::string();
  };
  json ok{{"year", 2021}, {"month", "2021-02"}, {"received", 1000}, {"online_level3", 300}, {"online_level4", 100}};
  auto with = [&](const char* k, const json& v) {
    json b = ok;
    b[k] = v;
    return b;
  };
  EXPECT_EQ(field_of("/months", with("online_level4", 800)), "received");  // online 1.100 of 1.000 received
  EXPECT_EQ(field_of("/months", with("received", -5)), "received");
  EXPECT_EQ(field_of("/months", with("online_level3", "-1")), "online_level3");
  EXPECT_EQ(field_of("/months", with("settled", "mười")), "settled");
  EXPECT_EQ(field_of("/months", with("month", "2022-01")), "month");  // outside the year posted
  EXPECT_EQ(field_of("/months", with("month", "2021-13")), "month");
  EXPECT_EQ(field_of("/months", with("month", "13/2021")), "month");
  EXPECT_EQ(field_of("/months", with("month", "tháng ba")), "month");
  EXPECT_EQ(field_of("/months", with("month", "")), "month");
  EXPECT_EQ(field_of("/months", with("year", "20x1")), "year");
  EXPECT_EQ(field_of("/months", with("extra", 1)), "extra");
  EXPECT_EQ(field_of("/target", {{"year", 2021}, {"target", "101"}}), "target");
  EXPECT_EQ(field_of("/target", {{"year", 2021}, {"target", "-5"}}), "target");
  EXPECT_EQ(field_of("/target", {{"year", 2021}, {"target", "ba mươi"}}), "target");
  EXPECT_EQ(field_of("/target", {{"target", "30"}}), "year");
  EXPECT_EQ(field_of("/target", {{"year", 1990}, {"target", "30"}}), "year");
  EXPECT_EQ(written(), before);
  EXPECT_EQ(call("GET", api("?year=abc"), "sangpv").j()["error"]["field"], "year");
  // The target stays what it was.
  EXPECT_EQ(call("GET", api("?year=2021"), "sangpv").j()["target"], 0.3);
}

TEST_P(DeskKpiRoutesTest, TheMonthlyCsvIsCheckedWholeBeforeAnythingIsWritten) {
  std::string good =
      "Tháng;Tiếp nhận;Đã giải quyết;Mức độ 3;Mức độ 4;Được hỗ trợ\r\n"
      "1;8.000;7.900;2.000;800;150\r\n"
      "2;6.400;6.300;1.800;700;120\r\n"
      "Tổng cộng;14.400;14.200;3.800;1.500;270\r\n";
  Reply ok = call("POST", api("/import"), "dieuphoi", multipart("thang.csv", good, "2021"), "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.j()["imported"], 2);
  EXPECT_EQ(ok.j()["online"], 5300);
  EXPECT_EQ(ok.j()["months"][1]["month"], "2021-02");
  EXPECT_EQ(audits("kpi_import"), 1);

  const int64_t before = written();
  std::string bad =
      "month,received,online_level3,online_level4\r\n"
      "2021-03,9000,3000,1000\r\n"
      "2021-04,5000,4000,1500\r\n";  // online 5.500 of 5.000 received
  Reply r = call("POST", api("/import"), "dieuphoi", multipart("thang.csv", bad), "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.j()["error"]["field"], "file");
  std::string message = r.j()["error"]["message"];
  EXPECT_NE(message.find("Dòng 3"), std::string::npos) << message;
  EXPECT_NE(message.find("received"), std::string::npos) << message;
  EXPECT_EQ(written(), before);  // not even 2021-03
  // Rows of another year than the one given, an unknown column, no file, not a CSV.
  Reply other = call("POST", api("/import"), "dieuphoi", multipart("t.csv", "month,received\r\n2022-01,5\r\n", "2021"),
                     "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(other.status, 422);
  EXPECT_NE(other.body.find("Dòng 2, cột month"), std::string::npos) << other.body;
  EXPECT_EQ(call("POST", api("/import"), "dieuphoi", multipart("t.csv", "month,received,bogus\r\n2021-05,5,1\r\n"),
                 "multipart/form-data; boundary=XyZ").status, 422);
  EXPECT_EQ(call("POST", api("/import"), "dieuphoi", multipart("t.csv", ""), "multipart/form-data; boundary=XyZ").status, 422);
  EXPECT_EQ(call("POST", api("/import"), "dieuphoi", multipart("t.pdf", "%PDF-1.4"), "multipart/form-data; boundary=XyZ").status, 422);
  EXPECT_EQ(written(), before);
  // The page shows the error on the KPI page itself.
  Reply page = call("POST", "/desk/centers/" + std::to_string(center) + "/kpi/import?year=2021", "dieuphoi",
                    multipart("thang.csv", bad), "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(page.status, 422);
  EXPECT_NE(page.body.find("role=\"alert\""), std::string::npos);
  EXPECT_NE(page.body.find("Dòng 3"), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  EXPECT_EQ(written(), before);
}

TEST_P(DeskKpiRoutesTest, OnlyCoordinatorsWriteAndOnlyTheBranchReads) {
  json body{{"month", "2021-01"}, {"received", 8000}, {"online_level3", 2000}};
  // A member who does not coordinate: reads, never writes.
  EXPECT_EQ(call("GET", api("?year=2021"), "thao").status, 200);
  EXPECT_EQ(month("thao", body).status, 403);
  EXPECT_EQ(call("POST", api("/target"), "thao", json{{"year", 2021}, {"target", "30"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", api("/months/delete"), "thao", json{{"month", "2021-01"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", api("/import"), "thao", multipart("t.csv", "month,received\r\n2021-01,5\r\n"), "multipart/form-data; boundary=XyZ").status,
            403);
  // Another branch's secretary: neither.
  EXPECT_EQ(call("GET", api("?year=2021"), "khac").status, 403);
  EXPECT_EQ(call("GET", "/desk/centers/" + std::to_string(center) + "/kpi.svg", "khac").status, 403);
  EXPECT_EQ(month("khac", body).status, 403);
  EXPECT_EQ(call("GET", org_api(vpubnd, "?year=2021"), "khac").status, 403);
  // ... nor may the coordinator of this branch touch the other branch's center.
  EXPECT_EQ(month("dieuphoi", body, elsewhere).status, 403);
  EXPECT_EQ(call("GET", api("", elsewhere), "thao").status, 403);
  // Anonymous: 401.
  EXPECT_EQ(call("GET", api("?year=2021"), "").status, 401);
  EXPECT_EQ(written(), 0);
  EXPECT_EQ(call("GET", api("", 999999), "sangpv").status, 404);
}

TEST_P(DeskKpiRoutesTest, TheOrgApiSumsTheCentersItRuns) {
  int64_t second = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(c, Store(*conn, clock).create_center(vpubnd, CenterInput{"Bộ phận một cửa Sở Tư pháp", "", 3, 0, 3}));
    second = c;
    return {};
  }));
  ASSERT_EQ(month("sangpv", {{"month", "2021-01"}, {"received", 8000}, {"online_level3", 2000}, {"online_level4", 800}}).status, 200);
  ASSERT_EQ(month("sangpv", {{"month", "2021-01"}, {"received", 2000}, {"online_level3", 200}}, second).status, 200);
  ASSERT_EQ(month("sangpv", {{"month", "2021-02"}, {"received", 1000}, {"online_level4", 500}}, second).status, 200);
  ASSERT_EQ(call("POST", api("/target"), "sangpv", json{{"year", 2021}, {"target", "30"}}.dump()).status, 200);
  ASSERT_EQ(call("POST", api("/target", second), "sangpv", json{{"year", 2021}, {"target", "30"}}.dump()).status, 200);
  ASSERT_EQ(call("POST", api("/target", elsewhere), "khac", json{{"year", 2021}, {"target", "90"}}.dump()).status, 200);

  Reply all = call("GET", org_api(vpubnd, "?year=2021"), "thao");
  ASSERT_EQ(all.status, 200) << all.body;
  json v = all.j();
  EXPECT_EQ(v["org_id"], vpubnd);
  EXPECT_EQ(v["online"], 3500);
  EXPECT_EQ(v["total"], 11000);
  EXPECT_EQ(v["rate"], 0.3182);
  EXPECT_EQ(v["target"], 0.3);
  EXPECT_EQ(v["target_gap"], 0.0182);
  ASSERT_EQ(v["months"].size(), 2u);
  EXPECT_EQ(v["months"][0]["month"], "2021-01");
  EXPECT_EQ(v["months"][0]["online"], 3000);
  EXPECT_EQ(v["months"][0]["total"], 10000);
  EXPECT_EQ(v["months"][0]["rate"], 0.3);
  ASSERT_EQ(v["centers"].size(), 2u);
  EXPECT_EQ(v["centers"][0]["name"], "Bộ phận một cửa Sở Tư pháp");  // by name
  EXPECT_EQ(v["centers"][0]["rate"], 0.2333);
  EXPECT_EQ(v["centers"][1]["rate"], 0.35);
  // One center of the org, by its id; a center the org does not run is not found.
  json one = call("GET", org_api(vpubnd, "?year=2021&center=" + std::to_string(second)), "thao").j();
  EXPECT_EQ(one["total"], 3000);
  EXPECT_EQ(one["center"]["id"], second);
  ASSERT_EQ(one["centers"].size(), 1u);
  EXPECT_EQ(call("GET", org_api(vpubnd, "?year=2021&center=" + std::to_string(elsewhere)), "thao").status, 404);
  EXPECT_EQ(call("GET", org_api(vpubnd, "?year=1800"), "thao").status, 422);
  // A year without figures: zeros, no rate, every center listed.
  json empty = call("GET", org_api(vpubnd, "?year=2019"), "thao").j();
  EXPECT_EQ(empty["total"], 0);
  EXPECT_TRUE(empty["rate"].is_null());
  EXPECT_TRUE(empty["target"].is_null());
  EXPECT_EQ(empty["months"].size(), 0u);
  EXPECT_EQ(empty["centers"].size(), 2u);
  // A branch secretary does not read the province.
  int64_t province = (*org::Store(*conn, clock).org_by_code("LD"))->id;
  EXPECT_EQ(call("GET", org_api(province, "?year=2021"), "khac").status, 403);
}

TEST_P(DeskKpiRoutesTest, TheDemoYearAsThePageAndTheStableApiShowIt) {
  json section = chidoan::testing::demo_bundle_full()["desk_kpi"];
  auto s = kpi_bundle_section();
  ASSERT_TRUE(s.validate(*conn, section, {}));
  FixedClock after_the_year{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};  // the demo's December is past
  ASSERT_TRUE(conn->transaction([&] { return s.load(*conn, after_the_year, section, {}); }));
  Reply api_reply = call("GET", org_api(vpubnd, "?year=2021"), "thao");
  ASSERT_EQ(api_reply.status, 200) << api_reply.body;
  json v = api_reply.j();
  EXPECT_EQ(v["online"], 47416);
  EXPECT_EQ(v["total"], 99537);
  EXPECT_EQ(v["rate"], 0.4764);
  EXPECT_EQ(v["target"], 0.3);
  EXPECT_EQ(v["months"].size(), 12u);
  EXPECT_EQ(v["months"][0]["month"], "2021-01");
  Reply page = call("GET", "/desk/centers/" + std::to_string(center) + "/kpi?year=2021", "sangpv");
  ASSERT_EQ(page.status, 200);
  for (const char* text : {"47,64%", "47.416", "99.537", "+17,64", "30%", "12&#x2F;2021"}) EXPECT_NE(page.body.find(text), std::string::npos) << text;
}

CHIDOAN_INSTANTIATE_DB_TEST(DeskKpiRoutesTest);

}  // namespace
}  // namespace chidoan::desk
