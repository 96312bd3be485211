// The "desk_kpi" section: the demo's 2021 figures load into a database holding the center and
// come out at the article's 47.416 / 99.537 = 47,64% against a 30% target; the section dumps
// as it was loaded; a missing center or bad figures are refused naming the JSON path.
#include "desk/kpi_bundle.hpp"

#include <gtest/gtest.h>

#include "activity/bundle.hpp"

#include "desk/bundle.hpp"
#include "desk/kpi_rules.hpp"
#include "desk/kpi_store.hpp"
#include "desk/kpi_views.hpp"
#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::desk {
namespace {

using nlohmann::json;

constexpr const char* kCenter = "Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng";

class DeskKpiBundleTest : public chidoan::testing::DbTest {
 protected:
  int64_t org_id(const char* code) { return (*org::Store(*conn, clock).org_by_code(code))->id; }
  int64_t rows() { return (*conn->query_one("SELECT COUNT(*) FROM desk_kpi_months"))->i64(0); }
  // The demo's org part, and the center as the "desk" section would make it.
  void load_orgs_and_center() {
    auto r = org::bundle::load(*conn, clock, chidoan::testing::demo_bundle());
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(c, Store(*conn, clock).create_center(org_id("VPUBND"), CenterInput{kCenter, "", 3, 0, 3}));
      center = c;
      return {};
    }));
  }
  // Validates, then loads the section alone, as org::bundle::load does.
  Result<void> load_section(const json& section) {
    auto s = kpi_bundle_section();
    chidoan::bundle::Known known;
    CHIDOAN_TRY_VOID(s.validate(*conn, section, known));
    return conn->transaction([&] { return s.load(*conn, clock, section, chidoan::bundle::Refs{}); });
  }
  void expect_the_articles_year() {
    KpiStore store(*conn, clock);
    auto months = store.months(center, 2021);
    ASSERT_TRUE(months) << months.error().message;
    auto target = *store.target(center, 2021);
    ASSERT_TRUE(target);
    EXPECT_EQ(target->bp, 3000);
    EXPECT_EQ(target->source, "Văn phòng Chính phủ");
    kpi::YearSummary y = kpi::summarize(2021, *months, target->bp);
    ASSERT_EQ(y.months.size(), 12u);
    EXPECT_EQ(y.total.online_level3 + y.total.online_level4, 47416);
    EXPECT_EQ(y.total.online(), 47416);
    EXPECT_EQ(y.total.received, 99537);
    EXPECT_EQ(y.rates.rate_bp, 4764);
    EXPECT_EQ(kpi::percent_vn(*y.rates.rate_bp), "47,64%");
    EXPECT_EQ(y.rates.gap_bp, 1764);
    EXPECT_TRUE(y.rates.meets);
    json v = kpi::year_json(y);
    EXPECT_EQ(v["online"], 47416);
    EXPECT_EQ(v["total"], 99537);
    EXPECT_EQ(v["rate"], 0.4764);
    EXPECT_EQ(v["target"], 0.3);
    // The online share rises over the year; settled and assisted are there every month.
    for (size_t i = 1; i < y.months.size(); ++i) EXPECT_GT(*y.month_rates[i].rate_bp, *y.month_rates[i - 1].rate_bp) << y.months[i].month;
    for (const auto& m : y.months) {
      EXPECT_GT(m.settled, 0) << m.month;
      EXPECT_GT(m.assisted, 0) << m.month;
      EXPECT_GT(m.online_level4, 0) << m.month;
    }
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  int64_t center = 0;
};

TEST_P(DeskKpiBundleTest, TheDemoYearComesOutAtTheArticlesRate) {
  load_orgs_and_center();
  json demo = chidoan::testing::demo_bundle_full();
  ASSERT_TRUE(demo.contains("desk_kpi"));
  auto r = load_section(demo["desk_kpi"]);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  expect_the_articles_year();
  // Dumped as it was loaded.
  auto dumped = org::bundle::dump(*conn, clock, org_id("TW"), {kpi_bundle_section()});
  ASSERT_TRUE(dumped) << dumped.error().message;
  EXPECT_EQ((*dumped)["desk_kpi"], demo["desk_kpi"]);
  // A subtree without the center has no section.
  auto other = org::bundle::dump(*conn, clock, org_id("VPDBQH"), {kpi_bundle_section()});
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_FALSE(other->contains("desk_kpi"));
}

TEST_P(DeskKpiBundleTest, LoadsAfterTheDeskSectionThatMakesTheCenter) {
  // The roster's period names its volunteer activity, which comes with the activity section.
  std::vector<chidoan::bundle::Section> sections{activity::bundle_section(), bundle_section(), kpi_bundle_section()};
  auto r = org::bundle::load(*conn, clock, chidoan::testing::demo_bundle({"activity", "desk", "desk_kpi"}), sections);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  auto row = conn->query_one("SELECT id FROM desk_centers WHERE name = ?1", {std::string(kCenter)});
  ASSERT_TRUE(row && *row);
  center = (*row)->i64(0);
  expect_the_articles_year();
}

TEST_P(DeskKpiBundleTest, AMissingCenterOrBadFiguresAreRefusedWithTheirPath) {
  auto r0 = org::bundle::load(*conn, clock, chidoan::testing::demo_bundle());
  ASSERT_TRUE(r0) << r0.error().message;
  json demo = chidoan::testing::demo_bundle_full()["desk_kpi"];
  // No center yet: the load fails on the entry's center, and writes nothing.
  auto missing = load_section(demo);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "$.desk_kpi[0].center");
  EXPECT_NE(missing.error().message.find(kCenter), std::string::npos);
  EXPECT_EQ(rows(), 0);

  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(c, Store(*conn, clock).create_center(org_id("VPUBND"), CenterInput{kCenter, "", 3, 0, 3}));
    center = c;
    return {};
  }));
  auto field_of = [&](const std::function<void(json&)>& change) {
    json s = demo;
    change(s);
    auto r = load_section(s);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().field;
  };
  EXPECT_EQ(field_of([](json& s) { s[0]["months"][1]["online_level3"] = 99999; }), "$.desk_kpi[0].months[1].received");
  EXPECT_EQ(field_of([](json& s) { s[0]["months"][2]["assisted"] = -1; }), "$.desk_kpi[0].months[2].assisted");
  EXPECT_EQ(field_of([](json& s) { s[0]["months"][0]["month"] = "2021-13"; }), "$.desk_kpi[0].months[0].month");
  EXPECT_EQ(field_of([](json& s) { s[0]["months"][1]["month"] = "2021-01"; }), "$.desk_kpi[0].months[1].month");
  EXPECT_EQ(field_of([](json& s) { s[0]["months"][0].erase("received"); }), "$.desk_kpi[0].months[0].received");
  EXPECT_EQ(field_of([](json& s) { s[0]["months"][0]["received"] = "8712"; }), "$.desk_kpi[0].months[0].received");
  EXPECT_EQ(field_of([](json& s) { s[0]["months"][0]["online"] = 1; }), "$.desk_kpi[0].months[0].online");
  EXPECT_EQ(field_of([](json& s) { s[0]["targets"][0]["target_bp"] = 10100; }), "$.desk_kpi[0].targets[0].target_bp");
  EXPECT_EQ(field_of([](json& s) { s[0]["targets"][0]["target_bp"] = -1; }), "$.desk_kpi[0].targets[0].target_bp");
  EXPECT_EQ(field_of([](json& s) { s[0]["targets"].push_back(s[0]["targets"][0]); }), "$.desk_kpi[0].targets[1].year");
  EXPECT_EQ(field_of([](json& s) { s[0]["org"] = "KHONGCO"; }), "$.desk_kpi[0].org");
  EXPECT_EQ(field_of([](json& s) { s[0]["center"] = "Trung tâm khác"; }), "$.desk_kpi[0].center");
  EXPECT_EQ(field_of([](json& s) { s.push_back(s[0]); }), "$.desk_kpi[1].center");
  EXPECT_EQ(field_of([](json& s) { s = json::object(); }), "$.desk_kpi");
  EXPECT_EQ(rows(), 0);
}

CHIDOAN_INSTANTIATE_DB_TEST(DeskKpiBundleTest);

}  // namespace
}  // namespace chidoan::desk
