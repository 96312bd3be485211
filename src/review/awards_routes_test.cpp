// The awards register's pages: who may see, record and remove; bad input is refused on its field
// and changes nothing; every write is audited.
#include "review/awards_routes.hpp"

#include <gtest/gtest.h>

#include "org/store.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::review {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using chidoan::testing::Reply;

class AwardRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock);
    if (HasFatalFailure()) return;
    dkcq = org_id_of("DKCQ");
    sang = member_id_of("Sang");
    linh = member_id_of("Linh");
    start(clock);
    add_award_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"doankhoi", auth::Role::org_manager, dkcq, std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, sang},
                                                 {"linh", auth::Role::member, vpubnd, linh},
                                                 {"ngoai", auth::Role::member, other_branch, other_member}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
  }
  std::string api(int64_t org) { return "/api/v1/orgs/" + std::to_string(org) + "/awards"; }
  int64_t count(const std::string& sql) { return (*conn->query_one(sql))->i64(0); }
  json award(json changes = json::object()) {
    json a{{"member_id", std::to_string(linh)},
           {"kind", "commendation"},
           {"title", "Đã có thành tích xuất sắc trong phong trào tình nguyện năm 2021"},
           {"issuer", "Ban Thường vụ Đoàn khối Các cơ quan tỉnh"},
           {"decision_no", "15-QĐ/ĐK"},
           {"decision_on", "2022-01-10"},
           {"year", "2021"}};
    a.update(changes);
    return a;
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 20} + 3h};
  int64_t dkcq = 0, sang = 0, linh = 0;
};

TEST_P(AwardRoutesTest, TheLevelAboveRecordsAndRemovesAwardsTheBranchSeesThem) {
  Reply added = call("POST", api(vpubnd), "doankhoi", award().dump());
  ASSERT_EQ(added.status, 201) << added.body;
  int64_t id = added.j()["id"];

  Reply list = call("GET", api(vpubnd) + "?year=2021", "linh");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.j()["items"].size(), 1u);
  EXPECT_EQ(list.j()["items"][0]["recipient"], "Đặng Thị Mỹ Linh") << list.body;
  EXPECT_EQ(list.j()["items"][0]["kind_label"], "Giấy khen");
  EXPECT_EQ(list.j()["items"][0]["decision_no"], "15-QĐ/ĐK");
  EXPECT_FALSE(list.j()["can_manage"].get<bool>());
  EXPECT_EQ(call("GET", api(vpubnd) + "?year=2020", "linh").j()["items"].size(), 0u);
  // The Đoàn khối's register shows its branches' awards.
  EXPECT_EQ(call("GET", api(dkcq), "doankhoi").j()["items"].size(), 1u);
  EXPECT_EQ(call("GET", api(vpubnd), "ngoai").status, 403);

  // The page: the list and, for the level above, the form.
  Reply page = call("GET", "/orgs/" + std::to_string(vpubnd) + "/awards", "doankhoi");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Giấy khen"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"award-form\""), std::string::npos);
  EXPECT_EQ(call("GET", "/orgs/" + std::to_string(vpubnd) + "/awards", "linh").body.find("id=\"award-form\""), std::string::npos);

  // Neither the branch's own committee nor a member records or removes awards.
  EXPECT_EQ(call("POST", api(vpubnd), "sangpv", award().dump()).status, 403);
  EXPECT_EQ(call("POST", api(vpubnd), "linh", award().dump()).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/awards/" + std::to_string(id) + "/remove", "sangpv").status, 403);

  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'award' AND action = 'create'"), 1);
  Reply removed = call("POST", "/api/v1/awards/" + std::to_string(id) + "/remove", "doankhoi");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM awards"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'award' AND action = 'delete'"), 1);
  EXPECT_EQ(call("POST", "/api/v1/awards/" + std::to_string(id) + "/remove", "doankhoi").status, 404);
}

TEST_P(AwardRoutesTest, BadAwardsAreRefusedOnTheirFieldAndChangeNothing) {
  struct Case {
    json change;
    const char* field;
  };
  const Case cases[] = {
      {{{"member_id", ""}}, "member_id"},
      {{{"recipient_org_id", std::to_string(vpubnd)}}, "recipient_org_id"},
      {{{"kind", "medal"}}, "kind"},
      {{{"title", " "}}, "title"},
      {{{"issuer", ""}}, "issuer"},
      {{{"decision_on", "10/01/2022"}}, "decision_on"},
      {{{"year", "21"}}, "year"},
      // A member outside the register's subtree.
      {{{"member_id", std::to_string(other_member)}}, "member_id"},
  };
  for (const auto& c : cases) {
    Reply r = call("POST", api(vpubnd), "doankhoi", award(c.change).dump());
    EXPECT_EQ(r.status, 422) << c.change.dump() << " " << r.body;
    EXPECT_EQ(r.j()["error"]["field"], c.field) << c.change.dump() << " " << r.body;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM awards"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'award'"), 0);
}

CHIDOAN_INSTANTIATE_DB_TEST(AwardRoutesTest);

}  // namespace
}  // namespace chidoan::review
