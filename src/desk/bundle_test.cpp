// The "desk" section: the demo's November 2021 roster loads, its checked hours reach the
// volunteer record, it dumps as it was written, and bad documents are refused with their path.
#include "desk/bundle.hpp"

#include <gtest/gtest.h>

#include "activity/bundle.hpp"
#include "activity/store.hpp"
#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::desk {
namespace {

using nlohmann::json;

class DeskBundleTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  std::vector<chidoan::bundle::Section> sections{activity::bundle_section(), bundle_section()};
  int64_t org_id(const char* code) { return (*org::Store(*conn, clock).org_by_code(code))->id; }
  int64_t count(const char* sql) { return (*conn->query_one(sql))->i64(0); }
};

TEST_P(DeskBundleTest, TheDemoRosterLoadsFeedsTheVolunteerRecordAndDumpsAsItIs) {
  json demo = chidoan::testing::demo_bundle({"activity", "desk"});
  auto r = org::bundle::load(*conn, clock, demo, sections);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  Store store(*conn, clock);
  auto centers = *store.centers(org_id("VPUBND"));
  ASSERT_EQ(centers.size(), 1u);
  auto period = *store.period_of(centers[0].id, "2021-11");
  ASSERT_TRUE(period);
  EXPECT_EQ(store.shifts(period->id)->size(), 44u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM desk_assignments WHERE no_show = 1"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM desk_requests WHERE state = 'accepted'"), 1);
  // Every checked minute is in the period's volunteer activity, member by member.
  auto att = *activity::Store(*conn, clock).attendance(period->activity_id);
  int64_t recorded = 0;
  for (const auto& a : att) {
    recorded += a.minutes;
    EXPECT_EQ(a.hours_state, "checked");
  }
  EXPECT_GT(recorded, 0);
  EXPECT_EQ(recorded, count("SELECT SUM(minutes) FROM desk_assignments WHERE check_out_at IS NOT NULL"));

  auto dumped = org::bundle::dump(*conn, clock, org_id("TW"), sections);
  ASSERT_TRUE(dumped) << dumped.error().message;
  json expected = demo["desk"];
  json got = (*dumped)["desk"];
  ASSERT_EQ(got["centers"].size(), 1u);
  // The demo lets the loader make the period's activity; the dump names it.
  EXPECT_EQ(got["centers"][0]["periods"][0]["activity"]["title"], "Trực hướng dẫn dịch vụ công trực tuyến tháng 11/2021");
  expected["centers"][0]["periods"][0]["activity"] = got["centers"][0]["periods"][0]["activity"];
  EXPECT_EQ(got, expected);
}

TEST_P(DeskBundleTest, BadDocumentsAreRefusedWithTheirPath) {
  json base = chidoan::testing::demo_bundle({"desk"});
  auto refused = [&](const std::function<void(json&)>& edit) {
    json d = base;
    edit(d["desk"]["centers"][0]);
    auto r = org::bundle::load(*conn, clock, d, {bundle_section()});
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().field;
  };
  EXPECT_EQ(refused([](json& c) { c["periods"][0]["shifts"][0]["staff"][0]["member"] = "M9999"; }), "$.desk.centers[0].periods[0].shifts[0].staff");
  EXPECT_EQ(refused([](json& c) { c["periods"][0]["shifts"][0]["date"] = "2021-12-01"; }), "$.desk.centers[0].periods[0].shifts[0].date");
  EXPECT_EQ(refused([](json& c) {
              auto& a = c["periods"][0]["shifts"][0]["staff"][0];
              a["check_out_at"] = a["check_in_at"].get<int64_t>() - 60;
            }),
            "$.desk.centers[0].periods[0].shifts[0].staff[0].check_out_at");
  EXPECT_EQ(refused([](json& c) { c["templates"][1]["start_time"] = "11:00"; }), "$.desk.centers[0].templates[1].start_time");
  EXPECT_EQ(refused([](json& c) { c["max_shifts_per_week"] = 0; }), "$.desk.centers[0].max_shifts_per_week");
  EXPECT_EQ(count("SELECT COUNT(*) FROM desk_centers"), 0);
}

CHIDOAN_INSTANTIATE_DB_TEST(DeskBundleTest);

}  // namespace
}  // namespace chidoan::desk
