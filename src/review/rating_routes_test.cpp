// Member rating routes in process, on both engines: who sees the sheet, who rates (the branch's
// committee, not a member), who approves (the level above — never the branch's own secretary);
// bad input refused with the field named and nothing changed; stale versions 409; each step
// audited with its user; the page in Vietnamese; the year-end report's part.
#include "review/rating_routes.hpp"

#include <gtest/gtest.h>

#include "activity/bundle.hpp"
#include "activity/dues_bundle.hpp"
#include "org/store.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::review {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using chidoan::testing::Reply;

class RatingRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock, {activity::bundle_section(), activity::dues_bundle_section()});
    if (HasFatalFailure()) return;
    dkcq = org_id_of("DKCQ");
    start(clock);
    add_rating_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"admin", auth::Role::system_admin, org_id_of("TW"), std::nullopt},
                                                 {"doankhoi", auth::Role::org_manager, dkcq, std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, member_id_of("Sang")},
                                                 {"linh", auth::Role::member, vpubnd, member_id_of("Linh")},
                                                 {"ngoai", auth::Role::member, other_branch, other_member}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    // A member the branch rates this year.
    Reply sheet = call("GET", api(), "sangpv");
    ASSERT_EQ(sheet.status, 200) << sheet.body;
    const json rows = sheet.j()["rows"];
    for (const auto& r : rows)
      if (r["tenure"] == "rated") rated = r["member_id"];
    ASSERT_GT(rated, 0);
  }

  std::string api(const std::string& rest = "") { return "/api/v1/orgs/" + std::to_string(vpubnd) + "/ratings" + rest + (rest.empty() ? "?year=2021" : ""); }
  std::string member_api(const std::string& rest = "") { return "/api/v1/orgs/" + std::to_string(vpubnd) + "/ratings/" + std::to_string(rated) + rest; }
  json row(int64_t member) {
    const json rows = call("GET", api(), "sangpv").j()["rows"];
    for (const auto& r : rows)
      if (r["member_id"] == member) return r;
    return json();
  }
  int64_t version() { return row(rated)["version"]; }
  int64_t count(const std::string& sql) { return (*conn->query_one(sql))->i64(0); }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 12} + 3h};
  int64_t dkcq = 0, rated = 0;
};

TEST_P(RatingRoutesTest, WhoSeesRatesAndApproves) {
  // A member of the branch sees only their own row, not the others' judgement and figures.
  Reply own = call("GET", api(), "linh");
  ASSERT_EQ(own.status, 200) << own.body;
  ASSERT_EQ(own.j()["rows"].size(), 1u);
  EXPECT_EQ(own.j()["rows"][0]["member_id"], count("SELECT member_id FROM users WHERE username = 'linh'"));
  EXPECT_TRUE(own.j()["sheet_version"].is_null());
  EXPECT_FALSE(own.j()["whole_sheet"].get<bool>());
  Reply page = call("GET", "/orgs/" + std::to_string(vpubnd) + "/ratings?year=2021", "linh");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("Phan Văn Sang"), std::string::npos);  // the secretary's row is not shown
  // The committee and the level above see the whole sheet.
  EXPECT_GT(call("GET", api(), "sangpv").j()["rows"].size(), 1u);
  Reply upper = call("GET", api(), "doankhoi");
  EXPECT_EQ(upper.status, 200);
  EXPECT_GT(upper.j()["rows"].size(), 1u);
  EXPECT_EQ(call("GET", api(), "ngoai").status, 403);
  EXPECT_EQ(call("GET", api(), "").status, 401);
  // A member cannot rate.
  EXPECT_EQ(call("POST", member_api(), "linh", json{{"year", "2021"}, {"version", "0"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", member_api("/confirm"), "linh", json{{"year", "2021"}, {"version", "0"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", api("/confirm"), "linh", json{{"year", "2021"}, {"sheet_version", "0"}}.dump()).status, 403);
  // The branch confirms.
  Reply c = call("POST", member_api("/confirm"), "sangpv", json{{"year", "2021"}, {"version", "0"}}.dump());
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(c.j()["state"], "confirmed");
  // The branch's secretary cannot approve its own branch; the Đoàn khối can.
  json approve{{"year", "2021"}, {"version", std::to_string(version())}, {"to", "approved"}};
  EXPECT_EQ(call("POST", member_api("/decide"), "sangpv", approve.dump()).status, 403);
  EXPECT_EQ(call("POST", api("/approve"), "sangpv", json{{"year", "2021"}, {"sheet_version", "1"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", member_api("/decide"), "linh", approve.dump()).status, 403);
  EXPECT_EQ(row(rated)["state"], "confirmed");
  Reply a = call("POST", member_api("/decide"), "doankhoi", approve.dump());
  ASSERT_EQ(a.status, 200) << a.body;
  json r = row(rated);
  EXPECT_EQ(r["state"], "approved");
  EXPECT_EQ(r["confirmed_by"], "sangpv");
  EXPECT_EQ(r["decided_by"], "doankhoi");
  EXPECT_EQ(r["decided_on"], "12/01/2022");
  // Each step audited with its user.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'member_rating' AND action = 'rating_confirm' AND username = 'sangpv'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'member_rating' AND action = 'rating_approve' AND username = 'doankhoi'"), 1);
}

TEST_P(RatingRoutesTest, BadInputIsRefusedWithTheFieldAndChangesNothing) {
  auto field = [&](const json& body) {
    Reply r = call("POST", member_api(), "sangpv", body.dump());
    EXPECT_EQ(r.status, 422) << r.body;
    return r.j()["error"]["field"].get<std::string>();
  };
  EXPECT_EQ(field({{"version", "0"}}), "year");
  EXPECT_EQ(field({{"year", "20x1"}, {"version", "0"}}), "year");
  EXPECT_EQ(field({{"year", "2023"}, {"version", "0"}}), "year");  // a year not yet begun (today: 2022)
  EXPECT_EQ(call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/ratings?year=2023", "sangpv").status, 422);
  EXPECT_EQ(field({{"year", "2021"}}), "version");
  EXPECT_EQ(field({{"year", "2021"}, {"version", "0"}, {"discipline", "lazy"}}), "discipline");
  EXPECT_EQ(field({{"year", "2021"}, {"version", "0"}, {"conduct", "great"}}), "conduct");
  EXPECT_EQ(field({{"year", "2021"}, {"version", "0"}, {"level", "best"}}), "level");
  const std::string proposed = row(rated)["proposed_level"];
  const std::string other = proposed == "good" ? "excellent" : "good";
  EXPECT_EQ(field({{"year", "2021"}, {"version", "0"}, {"level", other}}), "level_reason");
  EXPECT_EQ(field({{"year", "2021"}, {"version", "0"}, {"note", std::string(1001, 'x')}}), "note");
  Reply unknown = call("POST", member_api(), "sangpv", json{{"year", "2021"}, {"version", "0"}, {"colour", "red"}}.dump());
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_ratings"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'member_rating'"), 0);
  // A return without a reason.
  ASSERT_EQ(call("POST", member_api("/confirm"), "sangpv", json{{"year", "2021"}, {"version", "0"}}.dump()).status, 200);
  Reply no_reason = call("POST", member_api("/decide"), "doankhoi", json{{"year", "2021"}, {"version", std::to_string(version())}, {"to", "returned"}}.dump());
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(no_reason.j()["error"]["field"], "reason");
  EXPECT_EQ(row(rated)["state"], "confirmed");
}

TEST_P(RatingRoutesTest, StaleWritesAre409) {
  json entry{{"year", "2021"}, {"version", "0"}, {"discipline", "reminded"}, {"note", "Đi họp muộn nhiều lần"}};
  ASSERT_EQ(call("POST", member_api(), "sangpv", entry.dump()).status, 200);
  // The same page submitted again (version 0): someone saved meanwhile.
  Reply stale = call("POST", member_api(), "sangpv", entry.dump());
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(call("POST", member_api("/confirm"), "sangpv", json{{"year", "2021"}, {"version", "0"}}.dump()).status, 409);
  EXPECT_EQ(row(rated)["note"], "Đi họp muộn nhiều lần");
  // The whole sheet names the sheet's version.
  EXPECT_EQ(call("POST", api("/confirm"), "sangpv", json{{"year", "2021"}, {"sheet_version", "0"}}.dump()).status, 409);
  const int64_t v = call("GET", api(), "sangpv").j()["sheet_version"];
  Reply all = call("POST", api("/confirm"), "sangpv", json{{"year", "2021"}, {"sheet_version", std::to_string(v)}}.dump());
  ASSERT_EQ(all.status, 200) << all.body;
  // Only the member the committee judged is confirmed; the others are skipped, not given defaults.
  EXPECT_EQ(all.j()["members"], json::array({rated}));
  EXPECT_GT(all.j()["skipped"].size(), 0u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_ratings"), 1);
  // Returned with a reason by the level above: the branch may edit again.
  Reply back = call("POST", member_api("/decide"), "doankhoi",
                    json{{"year", "2021"}, {"version", std::to_string(version())}, {"to", "returned"}, {"reason", "Xem lại nhận xét"}}.dump());
  ASSERT_EQ(back.status, 200) << back.body;
  json r = row(rated);
  EXPECT_EQ(r["state"], "returned");
  EXPECT_EQ(r["return_reason"], "Xem lại nhận xét");
  EXPECT_TRUE(r["can_edit"].get<bool>());
  const int64_t v2 = call("GET", api(), "doankhoi").j()["sheet_version"];
  Reply approved = call("POST", api("/approve"), "doankhoi", json{{"year", "2021"}, {"sheet_version", std::to_string(v2)}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(row(rated)["state"], "returned");  // only confirmed ones are approved
}

TEST_P(RatingRoutesTest, ThePageIsVietnamese) {
  Reply page = call("GET", "/orgs/" + std::to_string(vpubnd) + "/ratings?year=2021", "sangpv");
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 300);
  EXPECT_NE(page.body.find("Đánh giá, xếp loại đoàn viên năm 2021"), std::string::npos);
  EXPECT_NE(page.body.find("HD 33-HD"), std::string::npos);
  EXPECT_NE(page.body.find("Hoàn thành"), std::string::npos);
  EXPECT_NE(page.body.find("Xác nhận cả bảng"), std::string::npos);
  EXPECT_EQ(page.body.find("Phê duyệt cả bảng"), std::string::npos);  // not the branch's to approve
  // The sheet of an org that is not a branch does not exist.
  EXPECT_EQ(call("GET", "/api/v1/orgs/" + std::to_string(dkcq) + "/ratings", "doankhoi").status, 404);
}

TEST_P(RatingRoutesTest, OnlyTheAdministratorCorrectsAGuideline) {
  Reply list = call("GET", "/api/v1/rating/guidelines", "linh");
  ASSERT_EQ(list.status, 200) << list.body;
  const json items = list.j()["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1]["code"], "HD 42-HD/TWĐTN-BTC");
  EXPECT_EQ(items[0]["thresholds"][0]["min_participation_pct"], 90);
  const std::string url = "/api/v1/rating/guidelines/" + std::to_string(items[1]["id"].get<int64_t>());
  json later{{"code", "HD 25-HD/TWĐTN-BTC"}, {"title", "Hướng dẫn đánh giá, xếp loại đoàn viên từ năm 2023"}, {"note", ""}};
  EXPECT_EQ(call("POST", url, "doankhoi", later.dump()).status, 403);
  EXPECT_EQ(call("POST", url, "sangpv", later.dump()).status, 403);
  Reply empty = call("POST", url, "admin", json{{"code", " "}, {"title", "x"}}.dump());
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(empty.j()["error"]["field"], "code");
  Reply taken = call("POST", url, "admin", json{{"code", "HD 33-HD/TWĐTN-BTC"}, {"title", "x"}}.dump());
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.j()["error"]["field"], "code");
  EXPECT_EQ(call("POST", "/api/v1/rating/guidelines/999999", "admin", later.dump()).status, 404);
  Reply ok = call("POST", url, "admin", later.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  // The year picks the corrected guideline (once 2023 has begun).
  clock.advance(std::chrono::hours{24 * 366});
  Reply sheet = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/ratings?year=2023", "sangpv");
  ASSERT_EQ(sheet.status, 200) << sheet.body;
  EXPECT_EQ(sheet.j()["guideline"]["code"], "HD 25-HD/TWĐTN-BTC");
  EXPECT_EQ(call("GET", api(), "sangpv").j()["guideline"]["code"], "HD 33-HD/TWĐTN-BTC");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'rating_guideline' AND username = 'admin'"), 1);
  Reply page = call("GET", "/rating/guidelines", "admin");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("HD 25-HD"), std::string::npos);
  EXPECT_EQ(items[0]["min_months"], 6);
  EXPECT_NE(page.body.find("Số tháng sinh hoạt tại chi đoàn trong năm để được chi đoàn đánh giá: <strong>6</strong>"), std::string::npos);
}

TEST_P(RatingRoutesTest, WhoConfirmsDoesNotApprove) {
  // The Đoàn khối's manager may rate the branch's members (rate_members in its subtree) and
  // approve them (approve_ratings on the branch's parent), but never both for one rating.
  ASSERT_EQ(call("POST", member_api(), "doankhoi", json{{"year", "2021"}, {"version", "0"}}.dump()).status, 200);
  Reply c = call("POST", member_api("/confirm"), "doankhoi", json{{"year", "2021"}, {"version", std::to_string(version())}}.dump());
  ASSERT_EQ(c.status, 200) << c.body;
  json approve{{"year", "2021"}, {"version", std::to_string(version())}, {"to", "approved"}};
  EXPECT_FALSE(row(rated)["can_decide"].get<bool>());  // nor offered on the page
  Reply self = call("POST", member_api("/decide"), "doankhoi", approve.dump());
  EXPECT_EQ(self.status, 403) << self.body;
  const int64_t v = call("GET", api(), "doankhoi").j()["sheet_version"];
  EXPECT_EQ(call("POST", api("/approve"), "doankhoi", json{{"year", "2021"}, {"sheet_version", std::to_string(v)}}.dump()).status, 403);
  EXPECT_EQ(row(rated)["state"], "confirmed");
  // Another user above approves.
  Reply other = call("POST", member_api("/decide"), "admin", approve.dump());
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(row(rated)["state"], "approved");
}

TEST_P(RatingRoutesTest, TheLevelSummaryCountsOnlyConfirmedRatings) {
  ASSERT_EQ(call("POST", member_api(), "sangpv", json{{"year", "2021"}, {"version", "0"}}.dump()).status, 200);
  ASSERT_EQ(call("POST", member_api("/confirm"), "sangpv", json{{"year", "2021"}, {"version", std::to_string(version())}}.dump()).status, 200);
  auto counted = [&] {
    int64_t n = 0;
    const json levels = call("GET", api(), "sangpv").j()["levels"];
    for (const auto& l : levels) n += l["count"].get<int64_t>();
    return n;
  };
  EXPECT_EQ(counted(), 1);
  Reply back = call("POST", member_api("/decide"), "doankhoi",
                    json{{"year", "2021"}, {"version", std::to_string(version())}, {"to", "returned"}, {"reason", "Xem lại"}}.dump());
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(counted(), 0);
  EXPECT_TRUE(row(rated)["level"].is_null());
}

CHIDOAN_INSTANTIATE_DB_TEST(RatingRoutesTest);

}  // namespace
}  // namespace chidoan::review
