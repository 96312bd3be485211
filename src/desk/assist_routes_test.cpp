// The assistance log's routes in process, on both engines: the catalogue and its CSV import,
// who may log and see what (volunteers their own entries, coordinators all with phones, everyone
// of the branch the counts), bad input refused with the field named and nothing written, pages
// rendered with text escaped.
#include "desk/assist_routes.hpp"

#include <gtest/gtest.h>

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

const char* kBoundary = "----chidoan-desk-assist";
std::string multipart(const std::string& filename, const std::string& data) {
  return std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
         "\"\r\nContent-Type: text/csv\r\n\r\n" + data + "\r\n--" + kBoundary + "--\r\n";
}

// A shift of a center on `date` from `start` to `end` (SQL: the roster's store is not used here).
Result<int64_t> make_shift(db::Connection& conn, int64_t center, int64_t org, const std::string& date, const std::string& start,
                           const std::string& end) {
  CHIDOAN_TRY(counter, conn.insert_id("INSERT INTO desk_counters (center_id, name) VALUES (?1, 'Bàn hướng dẫn') RETURNING id", {center}));
  CHIDOAN_TRY(tmpl, conn.insert_id("INSERT INTO desk_templates (center_id, counter_id, name, weekdays, start_time, end_time, min_staff, max_staff) "
                                   "VALUES (?1, ?2, 'Ca sáng', '12345', ?3, ?4, 1, 2) RETURNING id",
                                   {center, counter, start, end}));
  CHIDOAN_TRY(activity, conn.insert_id("INSERT INTO activities (org_id, type_id, title, starts_at, ends_at, expects_all, qr_secret, created_at) "
                                       "SELECT ?1, id, 'Trực bàn hướng dẫn', ?2, ?3, 0, 'x', 0 FROM activity_types WHERE code = 'volunteer' RETURNING id",
                                       {org, date + "T07:00", date + "T17:00"}));
  CHIDOAN_TRY(period, conn.insert_id("INSERT INTO desk_periods (center_id, month, activity_id, created_at) VALUES (?1, ?2, ?3, 0) RETURNING id",
                                     {center, date.substr(0, 7), activity}));
  return conn.insert_id("INSERT INTO desk_shifts (period_id, template_id, counter_id, on_date, starts_at, ends_at, min_staff, max_staff) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 2) RETURNING id",
                        {period, tmpl, counter, date, unix_of_local(date + "T" + start), unix_of_local(date + "T" + end)});
}

class DeskAssistRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock);
    if (HasFatalFailure()) return;
    org::Store store(*conn, clock);
    auto id = [&](const char* code) { return (*store.org_by_code(code))->id; };
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(m, chidoan::testing::add_test_member(store, vpubnd, "Lê", "Thảo", "female", "1996-03-01", "2021-04-01", today(clock)));
      thao = m;
      CHIDOAN_TRY(n, chidoan::testing::add_test_member(store, vpubnd, "Võ", "Ngọc", "female", "1997-05-01", "2021-04-01", today(clock)));
      ngoc = n;
      Store desks(*conn, clock);
      CHIDOAN_TRY(c, desks.create_center(vpubnd, {"Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng", "36 Trần Phú", 3, 0, 3}));
      center = c;
      CHIDOAN_TRY(o, desks.create_center(other_branch, {"Điểm hướng dẫn Điện lực", "", 3, 0, 3}));
      other_center = o;
      CHIDOAN_TRY(s, make_shift(*conn, center, vpubnd, "2021-11-15", "07:30", "11:30"));
      shift = s;
      CHIDOAN_TRY(f, make_shift(*conn, other_center, other_branch, "2021-11-15", "07:30", "11:30"));
      foreign_shift = f;
      return {};
    }));
    auto sang = conn->query_one("SELECT id FROM members WHERE family_name = 'Phan' AND given_name = 'Sang'");
    ASSERT_TRUE(sang && *sang);
    start(clock);
    add_assist_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"admin", auth::Role::system_admin, id("TW"), std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, (*sang)->i64(0)},
                                                 {"khac", auth::Role::branch_secretary, other_branch, std::nullopt},
                                                 {"ngoai", auth::Role::member, other_branch, other_member},
                                                 {"thao", auth::Role::member, vpubnd, thao},
                                                 {"ngoc", auth::Role::member, vpubnd, ngoc},
                                                 {"dieuphoi", auth::Role::member, vpubnd, ngoc}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    // A member who coordinates the desk by grant.
    auth::AuthStore auths(*conn, clock, services.auth);
    int64_t uid = (*conn->query_one("SELECT id FROM users WHERE username = 'dieuphoi'"))->i64(0);
    ASSERT_TRUE(conn->transaction([&] { return auths.add_grant(uid, auth::Grant::desk_coordinator, vpubnd, auth::Actor::system()); }));
    // The other center's catalogue, for the cross-center checks.
    Reply p = call("POST", "/api/v1/desk/centers/" + std::to_string(other_center) + "/procedures", "khac",
                   json{{"code", "9.000001"}, {"name", "Đăng ký cấp điện"}, {"level", "3"}}.dump());
    ASSERT_EQ(p.status, 201) << p.body;
    foreign_procedure = p.j()["id"];
    Reply q = call("POST", api("/procedures"), "sangpv",
                   json{{"code", "1.001756"},
                        {"name", "Cấp Phiếu lý lịch tư pháp"},
                        {"field", "Lý lịch tư pháp"},
                        {"level", "Mức độ 4"},
                        {"documents", {"Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp CCCD, hộ chiếu"}}}
                       .dump());
    ASSERT_EQ(q.status, 201) << q.body;
    procedure = q.j()["id"];
  }

  std::string api(const std::string& rest = "") { return "/api/v1/desk/centers/" + std::to_string(center) + rest; }
  std::string page(const std::string& rest = "") { return "/desk/centers/" + std::to_string(center) + rest; }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  int64_t audits(const std::string& action, const std::string& entity) {
    return (*conn->query_one("SELECT COUNT(*) FROM audit_log WHERE action = ?1 AND entity = ?2", {action, entity}))->i64(0);
  }
  json assist(json changes = json::object()) {
    json a{{"procedure_id", procedure}, {"at", "2021-11-15T08:30"}, {"steps", {"scanned", "account", "fileset", "submitted"}}, {"outcome", "submitted"}};
    a.update(changes);
    return a;
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 15} + 3h};  // 10:00 in Vietnam
  int64_t thao = 0, ngoc = 0, center = 0, other_center = 0, shift = 0, foreign_shift = 0;
  int64_t procedure = 0, foreign_procedure = 0;
};

TEST_P(DeskAssistRoutesTest, TheCatalogueItsImportAndDeactivation) {
  Reply list = call("GET", api("/procedures"), "thao");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.j()["items"].size(), 1u);
  EXPECT_EQ(list.j()["items"][0]["level"], "4");
  EXPECT_EQ(list.j()["items"][0]["documents"][1], "Bản chụp CCCD, hộ chiếu");  // a comma inside a paper's name survives
  EXPECT_EQ(list.j()["coordinator"], false);
  EXPECT_EQ(call("POST", api("/procedures"), "thao", json{{"code", "1.1"}, {"name", "x"}, {"level", "3"}}.dump()).status, 403);
  EXPECT_EQ(call("GET", api("/procedures"), "ngoai").status, 403);
  EXPECT_EQ(call("GET", api("/procedures"), "khac").status, 403);
  Reply dup = call("POST", api("/procedures"), "dieuphoi", json{{"code", "1.001756"}, {"name", "x"}, {"level", "3"}}.dump());
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.j()["error"]["field"], "code");

  // The import: Vietnamese headers, ';' separated papers, an upsert of the known code.
  std::string csv =
      "Mã thủ tục,Tên thủ tục,Lĩnh vực,Mức độ,Thành phần hồ sơ\r\n"
      "1.001756,Cấp Phiếu lý lịch tư pháp cho công dân,Lý lịch tư pháp,Mức độ 4,Tờ khai;Bản chụp CCCD\r\n"
      "1.002809,Đổi giấy phép lái xe,Đường bộ,Toàn trình,\"Đơn đề nghị; Giấy khám sức khỏe\"\r\n"
      "2.000815,Chứng thực bản sao từ bản chính,Chứng thực,3,\r\n";
  Reply imported = call("POST", api("/procedures/import"), "dieuphoi", multipart("tthc.csv", csv), std::string("multipart/form-data; boundary=") + kBoundary);
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.j()["added"], 2);
  EXPECT_EQ(imported.j()["updated"], 1);
  EXPECT_EQ(audits("import", "desk_center"), 1);
  Reply after = call("GET", api("/procedures"), "thao");
  ASSERT_EQ(after.j()["items"].size(), 3u);
  EXPECT_EQ(after.j()["items"][0]["name"], "Cấp Phiếu lý lịch tư pháp cho công dân");
  EXPECT_EQ(after.j()["items"][1]["level"], "full");
  EXPECT_EQ(after.j()["items"][1]["documents"].size(), 2u);

  // A bad row: nothing written, the row's line in the message and in the list.
  std::string bad =
      "Mã thủ tục,Tên thủ tục,Mức độ\n"
      "1.009972,Cấp giấy phép xây dựng,3\n"
      "1.004604,Cấp chứng chỉ hành nghề dược,Mức độ 2\n";
  int64_t before = rows("desk_procedures");
  Reply refused = call("POST", api("/procedures/import"), "dieuphoi", multipart("tthc.csv", bad), std::string("multipart/form-data; boundary=") + kBoundary);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.j()["error"]["field"], "file");
  EXPECT_NE(refused.j()["error"]["message"].get<std::string>().find("Dòng 3"), std::string::npos);
  EXPECT_EQ(refused.j()["rows"][0]["line"], 3);
  EXPECT_EQ(refused.j()["rows"][0]["field"], "level");
  EXPECT_EQ(rows("desk_procedures"), before);
  Reply no_file = call("POST", api("/procedures/import"), "dieuphoi", multipart("tthc.csv", ""), std::string("multipart/form-data; boundary=") + kBoundary);
  EXPECT_EQ(no_file.status, 422);
  EXPECT_EQ(call("POST", api("/procedures/import"), "thao", multipart("tthc.csv", csv), std::string("multipart/form-data; boundary=") + kBoundary).status,
            403);

  // Deactivated: members no longer see it, coordinators do (and can use it again).
  int64_t gplx = after.j()["items"][1]["id"];
  EXPECT_EQ(call("POST", "/api/v1/desk/procedures/" + std::to_string(gplx) + "/deactivate", "thao", "{}").status, 403);
  Reply off = call("POST", "/api/v1/desk/procedures/" + std::to_string(gplx) + "/deactivate", "dieuphoi", "{}");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.j()["active"], false);
  EXPECT_EQ(call("GET", api("/procedures"), "thao").j()["items"].size(), 2u);
  EXPECT_EQ(call("GET", api("/procedures"), "dieuphoi").j()["items"].size(), 3u);
  EXPECT_EQ(call("POST", api("/assists"), "thao", assist({{"procedure_id", gplx}}).dump()).j()["error"]["field"], "procedure_id");
  ASSERT_EQ(call("POST", "/api/v1/desk/procedures/" + std::to_string(gplx) + "/activate", "dieuphoi", "{}").status, 200);
  // An edit.
  Reply edit = call("POST", "/api/v1/desk/procedures/" + std::to_string(gplx), "dieuphoi",
                    json{{"code", "1.002809"}, {"name", "Đổi giấy phép lái xe"}, {"level", "4"}, {"documents", "Đơn\nẢnh"}}.dump());
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(call("GET", api("/procedures"), "thao").j()["items"][1]["level"], "4");
  EXPECT_EQ(audits("deactivate", "desk_procedure"), 1);
}

TEST_P(DeskAssistRoutesTest, VolunteersLogTheirOwnAndCoordinatorsSeeEverything) {
  // A volunteer logs a citizen they helped: themselves, whatever the form says of nobody.
  Reply own = call("POST", api("/assists"), "thao", assist({{"shift_id", shift}}).dump());
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(call("POST", api("/assists"), "thao", assist({{"member_id", thao}}).dump()).status, 201);
  // Not for someone else.
  int64_t before = rows("desk_assists");
  Reply other = call("POST", api("/assists"), "thao", assist({{"member_id", ngoc}}).dump());
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(rows("desk_assists"), before);
  // Outside the branch: nothing at all.
  for (const char* who : {"ngoai", "khac"}) {
    EXPECT_EQ(call("POST", api("/assists"), who, assist().dump()).status, 403) << who;
    EXPECT_EQ(call("GET", api("/assists?month=2021-11"), who).status, 403) << who;
    EXPECT_EQ(call("GET", api("/assists/stats?year=2021"), who).status, 403) << who;
  }
  EXPECT_EQ(rows("desk_assists"), before);
  // A coordinator logs for a volunteer, with the citizen's phone and consent.
  Reply coordinated = call("POST", api("/assists"), "dieuphoi",
                           assist({{"member_id", ngoc}, {"phone", "0912 345 678"}, {"phone_consent", true}, {"outcome", "missing_papers"},
                                   {"steps", {"scanned"}}, {"note", "Thiếu giấy khám sức khỏe"}})
                               .dump());
  ASSERT_EQ(coordinated.status, 201) << coordinated.body;
  int64_t with_phone = coordinated.j()["id"];
  Reply by_role = call("POST", api("/assists"), "sangpv", assist().dump());  // the secretary logs for themself
  ASSERT_EQ(by_role.status, 201) << by_role.body;
  Reply no_member = call("POST", api("/assists"), "admin", assist().dump());
  EXPECT_EQ(no_member.status, 422);
  EXPECT_EQ(no_member.j()["error"]["field"], "member_id");
  Reply not_volunteer = call("POST", api("/assists"), "admin", assist({{"member_id", other_member}}).dump());
  EXPECT_EQ(not_volunteer.status, 422);
  EXPECT_EQ(not_volunteer.j()["error"]["field"], "member_id");

  // The volunteer sees their own entries, without phones.
  Reply mine = call("GET", api("/assists?month=2021-11"), "thao");
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.j()["items"].size(), 2u);
  EXPECT_EQ(mine.j()["volunteer"], true);
  EXPECT_EQ(mine.j()["coordinator"], false);
  const json mine_items = mine.j()["items"];  // (a range-for over a temporary's member would dangle)
  for (const auto& a : mine_items) {
    EXPECT_EQ(a["member_id"], thao);
    EXPECT_FALSE(a.contains("phone"));
  }
  int on_shift = 0;
  for (const auto& a : mine_items) on_shift += a["shift_id"] == shift ? 1 : 0;
  EXPECT_EQ(on_shift, 1);
  EXPECT_EQ(mine.j()["counts"]["total"]["helped"], 4);  // everyone's counts
  EXPECT_EQ(mine.body.find("912345678"), std::string::npos);
  Reply ngoc_view = call("GET", api("/assists?month=2021-11"), "ngoc");
  EXPECT_EQ(ngoc_view.j()["items"].size(), 1u);
  EXPECT_EQ(ngoc_view.body.find("912345678"), std::string::npos);
  // The coordinator sees everything, with the phone.
  Reply all = call("GET", api("/assists?month=2021-11"), "dieuphoi");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.j()["items"].size(), 4u);
  bool found = false;
  const json all_items = all.j()["items"];
  for (const auto& a : all_items)
    if (a["id"] == with_phone) {
      found = true;
      EXPECT_EQ(a["phone"], "+84912345678");
      EXPECT_EQ(a["phone_consent_at"], clock.unix_seconds());
      EXPECT_EQ(a["level"], "4");  // from the procedure
      EXPECT_EQ(a["member_id"], ngoc);
    }
  EXPECT_TRUE(found);
  // Counts never carry phones; the audit log neither.
  Reply stats = call("GET", api("/assists/stats?year=2021"), "thao");
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(stats.body.find("912345678"), std::string::npos);
  auto audit = conn->query("SELECT detail FROM audit_log WHERE entity = 'desk_assist'");
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->size(), 4u);
  for (const auto& r : *audit) EXPECT_EQ(r.str(0).find("912345678"), std::string::npos);

  // Deleting is a coordinator's correction, audited.
  EXPECT_EQ(call("POST", "/api/v1/desk/assists/" + std::to_string(with_phone) + "/delete", "ngoc", "{}").status, 403);
  EXPECT_EQ(call("POST", "/api/v1/desk/assists/" + std::to_string(with_phone) + "/delete", "khac", "{}").status, 403);
  Reply del = call("POST", "/api/v1/desk/assists/" + std::to_string(with_phone) + "/delete", "dieuphoi", json{{"reason", "Ghi nhầm người"}}.dump());
  ASSERT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(del.j()["deleted"], true);
  EXPECT_EQ(audits("delete", "desk_assist"), 1);
  EXPECT_EQ(call("POST", "/api/v1/desk/assists/" + std::to_string(with_phone) + "/delete", "dieuphoi", "{}").status, 404);
  EXPECT_EQ(call("GET", api("/assists?month=2021-11"), "dieuphoi").j()["items"].size(), 3u);
}

TEST_P(DeskAssistRoutesTest, BadInputIsRefusedWithTheFieldAndNothingWritten) {
  struct Case {
    const char* what;
    json changes;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"unknown level", {{"level", "Mức độ 5"}}, "level"},
      {"unknown outcome", {{"outcome", "approved"}}, "outcome"},
      {"submitted without the step", {{"steps", {"scanned", "fileset"}}}, "steps"},
      {"a phone without consent", {{"phone", "0912345678"}}, "phone_consent"},
      {"a bad phone", {{"phone", "091234"}, {"phone_consent", true}}, "phone"},
      {"a time in the future", {{"at", "2021-11-15T11:00"}}, "at"},
      {"a bad time", {{"at", "15/11/2021 08:30"}}, "at"},
      {"a procedure of another center", {{"procedure_id", foreign_procedure}}, "procedure_id"},
      {"no procedure", {{"procedure_id", nullptr}}, "procedure_id"},
      {"a shift of another center", {{"shift_id", foreign_shift}}, "shift_id"},
      {"outside the shift", {{"shift_id", shift}, {"at", "2021-11-15T06:00"}}, "at"},
      {"an unknown step", {{"steps", {"printed"}}}, "steps"},
      {"a long note", {{"note", std::string(501, 'x')}}, "note"},
      {"an unknown field", {{"citizen_name", "Nguyễn Văn A"}}, "citizen_name"},
      {"a boolean where a list is expected", {{"steps", true}}, "steps"},
  };
  for (const auto& c : cases) {
    for (const char* who : {"thao", "dieuphoi"}) {
      json body = assist(c.changes);
      if (std::string(who) == "dieuphoi") body["member_id"] = thao;
      Reply r = call("POST", api("/assists"), who, body.dump());
      EXPECT_EQ(r.status, 422) << c.what << " (" << who << "): " << r.body;
      EXPECT_EQ(r.j()["error"]["kind"], "invalid") << c.what;
      EXPECT_EQ(r.j()["error"]["field"], c.field) << c.what << ": " << r.body;
      EXPECT_FALSE(r.j()["error"]["message"].get<std::string>().empty());
    }
  }
  EXPECT_EQ(rows("desk_assists"), 0);
  EXPECT_EQ(audits("create", "desk_assist"), 0);
  // Query parameters too.
  EXPECT_EQ(call("GET", api("/assists?month=2021-13"), "thao").j()["error"]["field"], "month");
  EXPECT_EQ(call("GET", api("/assists?day=hôm nay"), "thao").j()["error"]["field"], "day");
  EXPECT_EQ(call("GET", api("/assists/stats?year=21x"), "thao").j()["error"]["field"], "year");
  EXPECT_EQ(call("GET", api("/assists/stats?month=2021"), "thao").j()["error"]["field"], "month");
  // Procedures.
  for (const auto& [body, field] : std::vector<std::pair<json, std::string>>{
           {json{{"code", ""}, {"name", "x"}, {"level", "3"}}, "code"},
           {json{{"code", "1 2"}, {"name", "x"}, {"level", "3"}}, "code"},
           {json{{"code", "1.2"}, {"name", ""}, {"level", "3"}}, "name"},
           {json{{"code", "1.2"}, {"name", "x"}, {"level", "Mức độ 2"}}, "level"},
           {json{{"code", "1.2"}, {"name", "x"}, {"level", "3"}, {"documents", {"A", "a"}}}, "documents"},
           {json{{"code", "1.2"}, {"name", "x"}, {"level", "3"}, {"documents", {1, 2}}}, "documents"}}) {
    Reply r = call("POST", api("/procedures"), "sangpv", body.dump());
    EXPECT_EQ(r.status, 422) << body.dump();
    EXPECT_EQ(r.j()["error"]["field"], field) << r.body;
  }
  EXPECT_EQ(rows("desk_procedures"), 2);
}

TEST_P(DeskAssistRoutesTest, TheStatsOfAYear) {
  ASSERT_EQ(call("POST", api("/assists"), "thao", assist({{"shift_id", shift}}).dump()).status, 201);
  ASSERT_EQ(call("POST", api("/assists"), "thao", assist({{"outcome", "referred"}, {"steps", json::array()}}).dump()).status, 201);
  ASSERT_EQ(call("POST", api("/assists"), "ngoc", assist({{"at", "2021-10-20T09:00"}}).dump()).status, 201);
  Reply s = call("GET", api("/assists/stats?year=2021"), "thao");
  ASSERT_EQ(s.status, 200) << s.body;
  json j = s.j();
  EXPECT_EQ(j["period"], "2021");
  EXPECT_EQ(j["center"]["id"], center);
  EXPECT_EQ(j["total"]["helped"], 3);
  EXPECT_EQ(j["total"]["submitted"], 2);
  EXPECT_EQ(j["by_month"].size(), 12u);
  EXPECT_EQ(j["by_month"][9]["helped"], 1);
  EXPECT_EQ(j["by_month"][10]["helped"], 2);
  EXPECT_EQ(j["by_month"][10]["submitted"], 1);
  ASSERT_EQ(j["by_volunteer"].size(), 2u);
  EXPECT_EQ(j["by_volunteer"][0]["member_id"], thao);
  EXPECT_EQ(j["by_volunteer"][0]["name"], "Lê Thảo");
  ASSERT_EQ(j["by_shift"].size(), 2u);
  EXPECT_EQ(j["by_shift"][0]["shift_id"], shift);
  EXPECT_EQ(j["by_shift"][0]["start_time"], "07:30");
  EXPECT_TRUE(j["by_shift"][1]["shift_id"].is_null());
  EXPECT_EQ(j["by_procedure"][0]["code"], "1.001756");
  EXPECT_EQ(j["by_procedure"][0]["helped"], 3);
  EXPECT_EQ(j["by_outcome"]["referred"], 1);
  EXPECT_EQ(j["by_level"]["4"], 3);
  EXPECT_FALSE(j.contains("t"));
  Reply month = call("GET", api("/assists/stats?month=2021-10"), "thao");
  EXPECT_EQ(month.j()["total"]["helped"], 1);
  EXPECT_EQ(month.j()["by_month"].size(), 1u);
  EXPECT_EQ(call("GET", api("/assists/stats?year=2020"), "thao").j()["total"]["helped"], 0);
  // Someone of the levels above sees the counts too, but no entries.
  Reply above = call("GET", api("/assists?month=2021-11"), "admin");
  ASSERT_EQ(above.status, 200);
  EXPECT_EQ(above.j()["coordinator"], true);  // an administrator manages every desk
}

TEST_P(DeskAssistRoutesTest, PagesRenderAndEscape) {
  // A form post (bearer token: no CSRF), a script in the note and in a procedure's name.
  Reply form = call("POST", page("/assists"), "thao",
                    "procedure_id=" + std::to_string(procedure) +
                        "&at=2021-11-15T08%3A30&steps=scanned&steps=fileset&steps=submitted&outcome=submitted&note=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                    "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 303) << form.body;
  EXPECT_EQ((*conn->query_one("SELECT note FROM desk_assists"))->str(0), "<script>alert(1)</script>");
  ASSERT_EQ(call("POST", api("/procedures"), "sangpv", json{{"code", "1.000656"}, {"name", "<script>alert(2)</script>"}, {"level", "3"}}.dump()).status, 201);
  Reply coordinated = call("POST", api("/assists"), "sangpv",
                           assist({{"member_id", ngoc}, {"phone", "0987 654 321"}, {"phone_consent", "1"}, {"outcome", "referred"}, {"steps", json::array()}})
                               .dump());
  ASSERT_EQ(coordinated.status, 201) << coordinated.body;
  for (const std::string& path : {page("/assists?month=2021-11"), page("/procedures"), page("/assists/stats?year=2021"), page("/assists/stats?month=2021-11")}) {
    for (const char* who : {"sangpv", "thao", "admin"}) {
      Reply r = call("GET", path, who);
      EXPECT_EQ(r.status, 200) << path << " " << who << ": " << r.body.substr(0, 300);
      EXPECT_EQ(r.body.find("<script>alert"), std::string::npos) << path;
      EXPECT_EQ(r.body.find("desk_assist."), std::string::npos) << path << ": an untranslated key";
      EXPECT_NE(r.body.find("<html"), std::string::npos) << path;
    }
  }
  Reply log = call("GET", page("/assists?month=2021-11&day=2021-11-15"), "sangpv");
  EXPECT_NE(log.body.find("&lt;script&gt;alert(1)"), std::string::npos);
  EXPECT_NE(log.body.find("+84987654321"), std::string::npos);  // the coordinator's page has the phone
  EXPECT_NE(log.body.find("name=\"member_id\""), std::string::npos);
  EXPECT_NE(log.body.find("<option value=\"" + std::to_string(shift) + "\">07:30–11:30"), std::string::npos);  // the day's shift
  Reply mine = call("GET", page("/assists?month=2021-11"), "thao");
  EXPECT_NE(mine.body.find("&lt;script&gt;alert(1)"), std::string::npos);
  EXPECT_EQ(mine.body.find("987654321"), std::string::npos);  // a volunteer's page has none
  EXPECT_EQ(mine.body.find("name=\"member_id\""), std::string::npos);
  Reply catalogue = call("GET", page("/procedures"), "thao");
  EXPECT_NE(catalogue.body.find("&lt;script&gt;alert(2)"), std::string::npos);
  EXPECT_EQ(catalogue.body.find("id=\"import-form\""), std::string::npos);
  EXPECT_NE(call("GET", page("/procedures"), "sangpv").body.find("id=\"import-form\""), std::string::npos);
  // A bad import from the page: the catalogue again, with the rows at fault.
  Reply bad = call("POST", page("/procedures/import"), "sangpv", multipart("tthc.csv", "Mã,Tên,Mức độ\n1.1,<b>x</b>,9\n"),
                   std::string("multipart/form-data; boundary=") + kBoundary);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("data-field=\"file\""), std::string::npos);
  EXPECT_NE(bad.body.find("Dòng 2"), std::string::npos) << bad.body;
  // A bad form post: the error, with its field.
  Reply wrong = call("POST", page("/assists"), "thao", "procedure_id=" + std::to_string(procedure) + "&outcome=submitted&steps=scanned",
                     "application/x-www-form-urlencoded");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("data-field=\"steps\""), std::string::npos) << wrong.body;
}

CHIDOAN_INSTANTIATE_DB_TEST(DeskAssistRoutesTest);

}  // namespace
}  // namespace chidoan::desk
