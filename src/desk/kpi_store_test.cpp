// The dossier KPI's storage on both engines: months written, replaced, deleted and read by
// year; targets; an org's centers summed; bad figures refused with the field named and nothing
// written.
#include "desk/kpi_store.hpp"

#include <gtest/gtest.h>

#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::desk {
namespace {

KpiMonth figures(const std::string& month, int64_t received, int64_t l3, int64_t l4, int64_t settled = 0, int64_t assisted = 0) {
  KpiMonth m;
  m.month = month;
  m.received = received;
  m.online_level3 = l3;
  m.online_level4 = l4;
  m.settled = settled;
  m.assisted = assisted;
  return m;
}

class DeskKpiStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    FixedClock year_end{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
    auto loaded = org::bundle::load(*conn, year_end, chidoan::testing::demo_bundle());
    ASSERT_TRUE(loaded) << loaded.error().message;
    org::Store orgs(*conn, clock);
    branch = (*orgs.org_by_code("VPUBND"))->id;
    other_org = (*orgs.org_by_code("LD"))->id;
    center = make_center(branch, "Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng");
    store = std::make_unique<KpiStore>(*conn, clock);
  }
  void TearDown() override {
    store.reset();
    DbTest::TearDown();
  }

  int64_t make_center(int64_t org_id, const std::string& name) {
    int64_t id = 0;
    EXPECT_TRUE(tx([&]() -> Result<void> {
      CHIDOAN_TRY(c, Store(*conn, clock).create_center(org_id, CenterInput{name, "", 3, 0, 3}));
      id = c;
      return {};
    }));
    return id;
  }
  Result<void> tx(const std::function<Result<void>()>& fn) { return conn->transaction(fn); }
  int64_t rows() {
    return (*conn->query_one("SELECT COUNT(*) FROM desk_kpi_months"))->i64(0) * 100 +
           (*conn->query_one("SELECT COUNT(*) FROM desk_kpi_targets"))->i64(0);
  }
  Error error_of(const Result<void>& r) { return r ? Error{} : r.error(); }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 12 / 20}};
  std::unique_ptr<KpiStore> store;
  int64_t branch = 0, other_org = 0, center = 0;
};

TEST_P(DeskKpiStoreTest, AMonthIsWrittenReplacedAndDeleted) {
  ASSERT_TRUE(tx([&] { return store->upsert_month(center, figures("2021-02", 6400, 1800, 700, 6300, 120)); }));
  ASSERT_TRUE(tx([&] { return store->upsert_month(center, figures("2021-01", 8000, 2000, 800, 7900, 150), 2021); }));
  ASSERT_TRUE(tx([&] { return store->upsert_month(center, figures("2020-12", 9000, 5000, 1000)); }));
  auto y = store->months(center, 2021);
  ASSERT_TRUE(y) << y.error().message;
  ASSERT_EQ(y->size(), 2u);
  EXPECT_EQ((*y)[0].month, "2021-01");
  EXPECT_EQ((*y)[0].online(), 2800);
  EXPECT_EQ((*y)[0].settled, 7900);
  EXPECT_EQ((*y)[1].assisted, 120);
  // Replacing a month keeps one row with the new figures.
  ASSERT_TRUE(tx([&] { return store->upsert_month(center, figures("2021-02", 6500, 1900, 700, 6400, 130)); }));
  auto feb = *store->month(center, "2021-02");
  ASSERT_TRUE(feb);
  EXPECT_EQ(feb->received, 6500);
  EXPECT_EQ(feb->online_level3, 1900);
  EXPECT_EQ(store->months(center, 2021)->size(), 2u);
  EXPECT_EQ(*store->years(center), (std::vector<int>{2021, 2020}));
  // Deleting: once, then it is gone.
  ASSERT_TRUE(tx([&] { return store->delete_month(center, "2021-02"); }));
  EXPECT_FALSE(*store->month(center, "2021-02"));
  auto again = tx([&] { return store->delete_month(center, "2021-02"); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::not_found);
}

TEST_P(DeskKpiStoreTest, BadFiguresAreRefusedWithTheirFieldAndNothingIsWritten) {
  ASSERT_TRUE(tx([&] { return store->upsert_month(center, figures("2021-01", 8000, 2000, 800)); }));
  int64_t before = rows();
  auto refused = [&](const KpiMonth& m, std::optional<int> year) {
    auto r = tx([&] { return store->upsert_month(center, m, year); });
    EXPECT_FALSE(r) << m.month;
    EXPECT_EQ(error_of(r).kind, ErrorKind::invalid) << m.month;
    return error_of(r).field;
  };
  EXPECT_EQ(refused(figures("2021-03", 1000, 700, 400), std::nullopt), "received");  // online above all dossiers
  EXPECT_EQ(refused(figures("2021-03", -1, 0, 0), std::nullopt), "received");
  EXPECT_EQ(refused(figures("2021-03", 1000, -5, 0), std::nullopt), "online_level3");
  EXPECT_EQ(refused(figures("2021-03", 1000, 0, 0, -1), std::nullopt), "settled");
  EXPECT_EQ(refused(figures("2021-03", 1000, 0, 0, 0, 1001), std::nullopt), "assisted");
  EXPECT_EQ(refused(figures("2022-01", 1000, 1, 1), 2021), "month");  // outside the year
  EXPECT_EQ(refused(figures("2021-13", 1000, 1, 1), std::nullopt), "month");
  EXPECT_EQ(refused(figures("03/2021", 1000, 1, 1), std::nullopt), "month");  // the store takes YYYY-MM only
  EXPECT_EQ(refused(figures("2022-01", 1000, 1, 1), std::nullopt), "month");  // today is 20/12/2021
  // A replacement that breaks the rules leaves the month as it was.
  EXPECT_EQ(refused(figures("2021-01", 100, 2000, 800), std::nullopt), "received");
  EXPECT_EQ((*store->month(center, "2021-01"))->received, 8000);
  // Several months: one bad month and none is written.
  auto batch = tx([&] {
    return store->upsert_months(center, {figures("2021-04", 900, 300, 0), figures("2021-05", 900, 950, 0), figures("2021-06", 900, 1, 0)}, 2021);
  });
  EXPECT_EQ(error_of(batch).field, "received");
  EXPECT_EQ(rows(), before);
  // The database's own check stands behind the rules.
  auto raw = conn->execute("INSERT INTO desk_kpi_months (center_id, month, received, online_level3, updated_at) VALUES (?1, '2021-07', 10, 11, 0)",
                           {center});
  EXPECT_FALSE(raw);
  EXPECT_EQ(rows(), before);
}

TEST_P(DeskKpiStoreTest, TargetsPerYear) {
  EXPECT_FALSE(*store->target(center, 2021));
  ASSERT_TRUE(tx([&] { return store->set_target(center, {2021, 3000, "Văn phòng Chính phủ"}); }));
  ASSERT_TRUE(tx([&] { return store->set_target(center, {2022, 3500, ""}); }));
  ASSERT_TRUE(tx([&] { return store->set_target(center, {2021, 3050, "UBND tỉnh"}); }));  // replaced
  auto t = *store->target(center, 2021);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->bp, 3050);
  EXPECT_EQ(t->source, "UBND tỉnh");
  EXPECT_EQ(store->targets(center)->size(), 2u);
  EXPECT_EQ(*store->years(center), (std::vector<int>{2022, 2021}));
  int64_t before = rows();
  for (int64_t bp : {int64_t{10100}, int64_t{-100}}) {
    auto r = tx([&] { return store->set_target(center, {2021, bp, ""}); });
    EXPECT_EQ(error_of(r).field, "target") << bp;
  }
  EXPECT_EQ(error_of(tx([&] { return store->set_target(center, {1990, 3000, ""}); })).field, "year");
  EXPECT_EQ(rows(), before);
  EXPECT_EQ((*store->target(center, 2021))->bp, 3050);
}

TEST_P(DeskKpiStoreTest, AnOrgSumsItsOwnCentersOnly) {
  int64_t second = make_center(branch, "Bộ phận một cửa Sở Tư pháp");
  int64_t elsewhere = make_center(other_org, "Trung tâm khác");
  ASSERT_TRUE(tx([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store->upsert_month(center, figures("2021-01", 8000, 2000, 800, 7900, 150)));
    CHIDOAN_TRY_VOID(store->upsert_month(center, figures("2021-02", 6000, 2000, 800)));
    CHIDOAN_TRY_VOID(store->upsert_month(second, figures("2021-01", 2000, 100, 100, 1900, 10)));
    CHIDOAN_TRY_VOID(store->upsert_month(elsewhere, figures("2021-01", 99999, 1, 1)));
    CHIDOAN_TRY_VOID(store->upsert_month(center, figures("2020-12", 5000, 1, 1)));
    CHIDOAN_TRY_VOID(store->set_target(center, {2021, 3000, ""}));
    return store->set_target(elsewhere, {2021, 9000, ""});
  }));
  auto months = store->org_months(branch, 2021);
  ASSERT_TRUE(months) << months.error().message;
  ASSERT_EQ(months->size(), 2u);
  EXPECT_EQ((*months)[0].month, "2021-01");
  EXPECT_EQ((*months)[0].received, 10000);
  EXPECT_EQ((*months)[0].online(), 3000);
  EXPECT_EQ((*months)[0].settled, 9800);
  EXPECT_EQ((*months)[0].assisted, 160);
  EXPECT_EQ((*months)[1].received, 6000);
  // One center with a target: the org's is that one; a second one weighs by received.
  EXPECT_EQ(*store->org_target(branch, 2021), 3000);
  ASSERT_TRUE(tx([&] { return store->set_target(second, {2021, 5000, ""}); }));
  EXPECT_EQ(*store->org_target(branch, 2021), 3250);  // (3000 × 14.000 + 5000 × 2.000) ÷ 16.000
  EXPECT_EQ(*store->org_target(branch, 2020), std::nullopt);
  EXPECT_TRUE(store->org_months(other_org, 2022)->empty());
}

// A month of one center reported by level and of another by class: the org's national rate is
// the classed center's toàn trình over what that center settled.
TEST_P(DeskKpiStoreTest, AnOrgsNationalRateCountsTheCentersReportingByClass) {
  FixedClock later{std::chrono::sys_days{std::chrono::year{2023} / 12 / 20}};
  KpiStore now(*conn, later);
  int64_t second = make_center(branch, "Bộ phận một cửa Sở Tư pháp");
  KpiMonth classed = figures("2023-01", 2000, 0, 0, 1000);
  classed.online_full = 500;
  ASSERT_TRUE(tx([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(now.upsert_month(center, figures("2023-01", 8000, 2000, 800, 7900)));
    return now.upsert_month(second, classed);
  }));
  auto months = now.org_months(branch, 2023);
  ASSERT_TRUE(months) << months.error().message;
  ASSERT_EQ(months->size(), 1u);
  EXPECT_EQ((*months)[0].settled, 8900);
  EXPECT_EQ(kpi::rates_of((*months)[0], std::nullopt).national_bp, 5000);
  EXPECT_EQ(kpi::summarize(2023, *months, std::nullopt).rates.national_bp, 5000);
}

CHIDOAN_INSTANTIATE_DB_TEST(DeskKpiStoreTest);

}  // namespace
}  // namespace chidoan::desk
