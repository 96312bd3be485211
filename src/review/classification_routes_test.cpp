// Branch classification routes in process, on both engines: the branch scores and confirms its
// own sheet but cannot approve it; its Đoàn khối approves (or returns) it; a member is refused
// everywhere; a bad score is 422 naming the field with nothing written; a stale version is 409;
// the upper level's list and the pages render.
#include "review/classification_routes.hpp"

#include <gtest/gtest.h>

#include "activity/bundle.hpp"
#include "activity/dues_bundle.hpp"
#include "org/store.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"

namespace chidoan::review {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using chidoan::testing::Reply;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class ClassificationRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock, {activity::bundle_section(), activity::dues_bundle_section()});
    if (HasFatalFailure()) return;
    dkcq = org_id_of("DKCQ");
    vpdbqh = org_id_of("VPDBQH");
    start(clock);
    add_classification_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"doankhoi", auth::Role::org_manager, dkcq, std::nullopt},
                                                 {"phodoankhoi", auth::Role::org_manager, dkcq, std::nullopt},
                                                 {"quanlychi", auth::Role::org_manager, vpubnd, std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, member_id_of("Sang")},
                                                 {"linh", auth::Role::member, vpubnd, member_id_of("Linh")},
                                                 {"ngoai", auth::Role::branch_secretary, other_branch, other_member}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
  }

  std::string api(int64_t org, const std::string& rest = "") { return "/api/v1/orgs/" + std::to_string(org) + "/classification" + rest; }
  int64_t version() {
    auto r = conn->query_one("SELECT version FROM classification_sheets WHERE org_id = ?1 AND year = 2021", {vpubnd});
    return r && *r ? (*r)->i64(0) : 0;
  }
  std::string state() {
    auto r = conn->query_one("SELECT state FROM classification_sheets WHERE org_id = ?1 AND year = 2021", {vpubnd});
    return r && *r ? (*r)->str(0) : "none";
  }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  Reply score(const std::string& who, const std::string& criterion, const json& points, int64_t v) {
    return call("POST", api(vpubnd, "/scores"), who,
                json{{"year", 2021}, {"version", v}, {"criterion", criterion}, {"points", points}, {"note", "Theo báo cáo của chi đoàn"}}.dump());
  }
  // The branch (`who` for it) fills its entered criteria and confirms.
  void fill_and_confirm(const std::string& who = "sangpv") {
    for (const char* c : {"organisation", "tasks", "initiatives", "ratings"}) {
      Reply r = score(who, c, 10, version());
      ASSERT_EQ(r.status, 200) << c << ": " << r.body;
    }
    Reply r = call("POST", api(vpubnd, "/confirm"), who, json{{"year", 2021}, {"version", version()}, {"note", ""}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(state(), "confirmed");
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 12} + 3h};
  int64_t dkcq = 0, vpdbqh = 0;
};

TEST_P(ClassificationRoutesTest, TheBranchConfirmsAndItsDoanKhoiApproves) {
  Reply sheet = call("GET", api(vpubnd, "?year=2021"), "sangpv");
  ASSERT_EQ(sheet.status, 200) << sheet.body;
  json v = sheet.j();
  EXPECT_EQ(v["state"], "none");
  EXPECT_EQ(v["version"], 0);
  EXPECT_EQ(v["lines"].size(), 9u);
  EXPECT_EQ(v["lines"][0]["source"], "computed");
  EXPECT_EQ(v["lines"][0]["value_text"], "100%");
  EXPECT_EQ(v["proposal"]["missing"], 4);
  // No member ratings in this world: the ratings criterion is the committee's, and says why.
  EXPECT_EQ(v["lines"][5]["code"], "ratings");
  EXPECT_EQ(v["lines"][5]["source"], "entered");
  EXPECT_TRUE(v["lines"][5]["no_data"].get<bool>());
  EXPECT_FALSE(v["lines"][6]["no_data"].get<bool>());
  EXPECT_FALSE(v["can_confirm"].get<bool>());
  EXPECT_FALSE(v["can_decide"].get<bool>());
  EXPECT_EQ(v["upper"], "Đoàn khối Các cơ quan tỉnh Lâm Đồng");

  fill_and_confirm();
  if (HasFatalFailure()) return;
  const int64_t confirmed_version = version();
  // A branch never approves itself, nor returns its own sheet.
  EXPECT_EQ(call("POST", api(vpubnd, "/approve"), "sangpv", json{{"year", 2021}, {"version", confirmed_version}}.dump()).status, 403);
  EXPECT_EQ(call("POST", api(vpubnd, "/return"), "sangpv", json{{"year", 2021}, {"version", confirmed_version}, {"note", "x"}}.dump()).status, 403);
  // Nor does a branch elsewhere approve it.
  EXPECT_EQ(call("POST", api(vpubnd, "/approve"), "ngoai", json{{"year", 2021}, {"version", confirmed_version}}.dump()).status, 403);
  EXPECT_EQ(state(), "confirmed");

  // The Đoàn khối sees it waiting in its list.
  Reply list = call("GET", "/api/v1/orgs/" + std::to_string(dkcq) + "/classifications?year=2021", "doankhoi");
  ASSERT_EQ(list.status, 200) << list.body;
  const json listed = list.j();
  EXPECT_EQ(listed["waiting"], 1);
  bool seen = false;
  for (const auto& item : listed["items"]) {
    if (item["org"]["id"] == vpubnd) {
      seen = true;
      EXPECT_EQ(item["state"], "confirmed");
      EXPECT_EQ(item["label"], "Vững mạnh xuất sắc");
    } else {
      EXPECT_EQ(item["state"], "none");
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/classifications?year=2021", "sangpv").status, 403);

  // A stale version is a conflict; another level needs its reason; then it is approved.
  Reply old = call("POST", api(vpubnd, "/approve"), "doankhoi", json{{"year", 2021}, {"version", confirmed_version - 1}}.dump());
  EXPECT_EQ(old.status, 409) << old.body;
  Reply no_reason = call("POST", api(vpubnd, "/approve"), "doankhoi", json{{"year", 2021}, {"version", confirmed_version}, {"level", "fair"}}.dump());
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(no_reason.j()["error"]["field"], "note") << no_reason.body;
  EXPECT_EQ(state(), "confirmed");
  Reply ok = call("POST", api(vpubnd, "/approve"), "doankhoi", json{{"year", 2021}, {"version", confirmed_version}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.j()["state"], "approved");
  EXPECT_EQ(ok.j()["level"], "strong_excellent");

  auto decided = conn->query_one("SELECT decided_by_org_id, decided_on, decided_by_name FROM classification_sheets WHERE org_id = ?1", {vpubnd});
  ASSERT_TRUE(decided && *decided);
  EXPECT_EQ((*decided)->i64(0), dkcq);
  EXPECT_EQ((*decided)->str(1), "2022-01-12");
  // Audited: four scores, the confirmation and the approval.
  auto audited = conn->query_one("SELECT COUNT(*) FROM audit_log WHERE entity = 'classification_sheet'");
  ASSERT_TRUE(audited && *audited);
  EXPECT_EQ((*audited)->i64(0), 6);

  // The page, in Vietnamese, for the branch and for the Đoàn khối.
  Reply page = call("GET", "/orgs/" + std::to_string(vpubnd) + "/classification?year=2021", "sangpv");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(has(page.body, "Vững mạnh xuất sắc"));
  EXPECT_TRUE(has(page.body, "Đoàn khối Các cơ quan tỉnh Lâm Đồng"));
  EXPECT_FALSE(has(page.body, "id=\"approve-form\""));
  Reply list_page = call("GET", "/orgs/" + std::to_string(dkcq) + "/classifications?year=2021", "doankhoi");
  ASSERT_EQ(list_page.status, 200) << list_page.body;
  EXPECT_TRUE(has(list_page.body, "Chi đoàn Văn phòng UBND tỉnh"));
  EXPECT_TRUE(has(list_page.body, "Cấp trên đã duyệt"));
}

TEST_P(ClassificationRoutesTest, WhoeverConfirmedTheSheetDoesNotDecideOnIt) {
  // The Đoàn khối's manager may score and confirm for the branch below it…
  fill_and_confirm("doankhoi");
  auto by = conn->query_one("SELECT s.confirmed_by, u.username FROM classification_sheets s JOIN users u ON u.id = s.confirmed_by "
                            "WHERE s.org_id = ?1 AND s.year = 2021",
                            {vpubnd});
  ASSERT_TRUE(by && *by);
  EXPECT_EQ((*by)->str(1), "doankhoi");
  // …but then neither approves nor returns it: nothing changes.
  const int64_t v = version();
  for (const char* step : {"/approve", "/return"}) {
    Reply r = call("POST", api(vpubnd, step), "doankhoi", json{{"year", 2021}, {"version", v}, {"note", "Tự duyệt"}}.dump());
    EXPECT_EQ(r.status, 403) << step << ": " << r.body;
  }
  EXPECT_EQ(version(), v);
  EXPECT_EQ(state(), "confirmed");
  // Another manager of the level above decides.
  Reply ok = call("POST", api(vpubnd, "/approve"), "phodoankhoi", json{{"year", 2021}, {"version", v}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(state(), "approved");
}

TEST_P(ClassificationRoutesTest, OnlyTheLevelAboveHasTheApprovalList) {
  // A manager of the branch itself has no branches beneath to approve: no list for a branch.
  Reply own = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/classifications?year=2021", "quanlychi");
  EXPECT_EQ(own.status, 422) << own.body;
  EXPECT_EQ(own.j()["error"]["field"], "org_id");
  EXPECT_FALSE(has(own.body, "\"items\""));
  Reply page = call("GET", "/orgs/" + std::to_string(vpubnd) + "/classifications?year=2021", "quanlychi");
  EXPECT_EQ(page.status, 422);
  // Nor does it approve its own branch's sheet.
  fill_and_confirm("quanlychi");
  EXPECT_EQ(call("POST", api(vpubnd, "/approve"), "quanlychi", json{{"year", 2021}, {"version", version()}}.dump()).status, 403);
  // The level above lists it.
  Reply above = call("GET", "/api/v1/orgs/" + std::to_string(dkcq) + "/classifications?year=2021", "doankhoi");
  ASSERT_EQ(above.status, 200) << above.body;
  EXPECT_EQ(above.j()["waiting"], 1);
}

TEST_P(ClassificationRoutesTest, ReturnedSheetsGoBackToTheBranch) {
  fill_and_confirm();
  if (HasFatalFailure()) return;
  Reply page = call("GET", "/orgs/" + std::to_string(vpubnd) + "/classification?year=2021", "doankhoi");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "id=\"approve-form\""));
  Reply bare = call("POST", api(vpubnd, "/return"), "doankhoi", json{{"year", 2021}, {"version", version()}}.dump());
  EXPECT_EQ(bare.status, 422);
  EXPECT_EQ(bare.j()["error"]["field"], "note");
  Reply r = call("POST", api(vpubnd, "/return"), "doankhoi", json{{"year", 2021}, {"version", version()}, {"note", "Thiếu minh chứng"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(state(), "returned");
  Reply v = call("GET", api(vpubnd, "?year=2021"), "sangpv");
  EXPECT_EQ(v.j()["sheet"]["decision_note"], "Thiếu minh chứng");
  EXPECT_TRUE(v.j()["can_confirm"].get<bool>());
  EXPECT_EQ(score("sangpv", "tasks", 8, version()).status, 200);
}

TEST_P(ClassificationRoutesTest, MembersAreRefusedAndBadInputNamesItsField) {
  // A member of the branch sees nothing and changes nothing.
  EXPECT_EQ(call("GET", api(vpubnd, "?year=2021"), "linh").status, 403);
  EXPECT_EQ(score("linh", "tasks", 5, 0).status, 403);
  EXPECT_EQ(call("POST", api(vpubnd, "/confirm"), "linh", json{{"year", 2021}, {"version", 0}}.dump()).status, 403);
  EXPECT_EQ(call("GET", api(vpubnd, "?year=2021"), "ngoai").status, 403);
  EXPECT_EQ(call("GET", api(vpubnd, "?year=2021"), "").status, 401);

  struct Case {
    json body;
    const char* field;
  };
  const std::vector<Case> cases = {
      {{{"year", 2021}, {"version", 0}, {"criterion", "tasks"}, {"points", 11}}, "points"},
      {{{"year", 2021}, {"version", 0}, {"criterion", "tasks"}, {"points", -1}}, "points"},
      {{{"year", 2021}, {"version", 0}, {"criterion", "tasks"}, {"points", "mười"}}, "points"},
      {{{"year", 2021}, {"version", 0}, {"criterion", "study"}, {"points", 5}}, "criterion"},
      {{{"year", 2021}, {"version", 0}, {"criterion", "nope"}, {"points", 5}}, "criterion"},
      {{{"year", 2021}, {"version", 0}, {"criterion", "tasks"}, {"points", 5}, {"note", std::string(501, 'a')}}, "note"},
      {{{"year", 1900}, {"version", 0}, {"criterion", "tasks"}, {"points", 5}}, "year"},
      {{{"version", 0}, {"criterion", "tasks"}, {"points", 5}}, "year"},
      {{{"year", 2021}, {"criterion", "tasks"}, {"points", 5}}, "version"},
      {{{"year", 2021}, {"version", "x"}, {"criterion", "tasks"}, {"points", 5}}, "version"},
  };
  for (const auto& c : cases) {
    Reply r = call("POST", api(vpubnd, "/scores"), "sangpv", c.body.dump());
    EXPECT_EQ(r.status, 422) << c.body.dump() << " " << r.body;
    EXPECT_EQ(r.j()["error"]["field"], c.field) << c.body.dump();
  }
  EXPECT_EQ(rows("classification_sheets"), 0);
  EXPECT_EQ(rows("classification_scores"), 0);
  // Confirming an incomplete sheet is refused too.
  Reply early = call("POST", api(vpubnd, "/confirm"), "sangpv", json{{"year", 2021}, {"version", 0}}.dump());
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(early.j()["error"]["field"], "points");
  // A stale version: 409, nothing written.
  ASSERT_EQ(score("sangpv", "tasks", 5, 0).status, 200);
  Reply stale = score("sangpv", "organisation", 5, 0);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(rows("classification_scores"), 1);
  // Deciding on a sheet not confirmed: a conflict.
  EXPECT_EQ(call("POST", api(vpubnd, "/approve"), "doankhoi", json{{"year", 2021}, {"version", version()}}.dump()).status, 409);
}

CHIDOAN_INSTANTIATE_DB_TEST(ClassificationRoutesTest);

}  // namespace
}  // namespace chidoan::review
