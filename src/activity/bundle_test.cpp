#include "activity/bundle.hpp"

#include <gtest/gtest.h>

#include "activity/rules.hpp"
#include "activity/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::activity {
namespace {

using nlohmann::json;

json demo() { return chidoan::testing::demo_bundle({"activity"}); }

class ActivityBundleTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  std::vector<chidoan::bundle::Section> sections{bundle_section()};
  org::Org org(const char* code) { return **org::Store(*conn, clock).org_by_code(code); }
};

TEST_P(ActivityBundleTest, TheArticlesYearFromTheData) {
  auto r = org::bundle::load(*conn, clock, demo(), sections);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  Store store(*conn, clock);
  // "100% of members studied the resolutions": every campaign complete for every member expected.
  auto study = *store.study_progress(org("VPUBND"), 2021);
  ASSERT_GE(study.size(), 1u);
  for (const auto& c : study) {
    EXPECT_GT(c.expected, 0);
    EXPECT_EQ(c.completed, c.expected) << c.campaign.title;
  }
  auto p = *store.participation(org("VPUBND"), 2021);
  EXPECT_EQ(p.members.size(), 23u);
  auto rate = rules::participation_rate(p.total);
  ASSERT_TRUE(rate);
  EXPECT_GT(*rate, 0.9);
  EXPECT_GT(p.total.minutes, 0);
  // Activities of the levels above appear in the branch's year.
  auto list = *store.for_org(org("VPUBND"), 2021);
  bool upper = false;
  for (const auto& s : list) upper = upper || s.activity.org_id != org("VPUBND").id;
  EXPECT_TRUE(upper);
  EXPECT_TRUE(store.meeting_absences(org("VPUBND"), 2021)->size() < 23u);
}

TEST_P(ActivityBundleTest, RoundTripsExactly) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), sections));
  auto first = org::bundle::dump(*conn, clock, org("TW").id, sections);
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)["activity"], demo()["activity"]);
  auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  auto other = db::Connection::open(fresh->url());
  ASSERT_TRUE(org::bundle::load(**other, clock, *first, sections));
  auto tw = (*org::Store(**other, clock).org_by_code("TW"))->id;
  auto second = org::bundle::dump(**other, clock, tw, sections);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->dump(), second->dump());
  other->reset();
}

TEST_P(ActivityBundleTest, ErrorsNameTheJsonPath) {
  struct Case {
    std::function<void(json&)> apply;
    const char* path;
  } cases[] = {
      {[](json& d) { d["activity"]["activities"][0]["ends_at"] = "2021-01-01T00:00"; }, "$.activity.activities[0].ends_at"},
      {[](json& d) { d["activity"]["activities"][1]["type"] = "party"; }, "$.activity.activities[1].type"},
      {[](json& d) { d["activity"]["activities"][2]["attendance"][0]["member"] = "M9999"; }, "$.activity.activities[2].attendance[0].member"},
      {[](json& d) { d["activity"]["activities"][3]["attendance"][0]["minutes"] = 2000; }, "$.activity.activities[3].attendance[0].minutes"},
      {[](json& d) { d["activity"]["activities"][0]["taking_part"][0] = "NOPE"; }, "$.activity.activities[0].taking_part[0]"},
      {[](json& d) { d["activity"]["extra"] = 1; }, "$.activity.extra"},
  };
  for (const auto& c : cases) {
    json d = demo();
    c.apply(d);
    auto r = org::bundle::load(*conn, clock, d, sections);
    ASSERT_FALSE(r) << c.path;
    EXPECT_EQ(r.error().field, c.path) << r.error().message;
    EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM activities"))->i64(0), 0);
    EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM members"))->i64(0), 0);
  }
}

CHIDOAN_INSTANTIATE_DB_TEST(ActivityBundleTest);

}  // namespace
}  // namespace chidoan::activity
