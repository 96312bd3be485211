#include "fund/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/results.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::fund {
namespace {

using chidoan::testing::ignore_value;
using namespace std::chrono_literals;

class FundStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_TRUE(org::bundle::load(*conn, clock, chidoan::testing::demo_bundle()));
    branch = **org::Store(*conn, clock).org_by_code("VPUBND");
    store = std::make_unique<Store>(*conn, clock);
    CampaignInput in{"Quỹ phòng, chống dịch COVID-19", "", "2021-07-01", "", "", std::nullopt, 2};
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(id, store->create_campaign(branch, in));
      campaign_id = id;
      return {};
    }));
  }
  Campaign campaign() { return *store->campaign(campaign_id); }
  ContributionInput money(int64_t amount, int64_t round = 1) {
    ContributionInput in;
    in.kind = "money";
    in.amount_vnd = amount;
    in.method = "transfer";
    in.contributor_kind = "agency";
    in.contributor_name = "Văn phòng UBND tỉnh";
    in.on_date = "2021-08-10";
    in.round_no = round;
    return in;
  }
  int64_t record(const ContributionInput& in, bool receipt = false) {
    int64_t id = 0;
    auto r = conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(v, store->record(campaign(), in, branch.id, "sangpv", receipt));
      id = v;
      return {};
    });
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return id;
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
  std::unique_ptr<Store> store;
  org::Org branch;
  int64_t campaign_id = 0;
};

TEST_P(FundStoreTest, TotalsByRoundAndKindWithReversals) {
  record(money(100'000'000, 1));
  int64_t wrong = record(money(5'000'000, 2));
  record(money(32'500'000, 2));
  ContributionInput rice;
  rice.kind = "in_kind";
  rice.item = "Gạo";
  rice.quantity_milli = 500'000;
  rice.unit = "kg";
  rice.value_vnd = 7'500'000;
  rice.method = "in_kind";
  rice.contributor_kind = "anonymous";
  rice.on_date = "2021-08-12";
  rice.round_no = 1;
  record(rice);
  ASSERT_TRUE(conn->transaction([&] { return ignore_value(store->reverse(campaign(), wrong, "2021-08-20", "Ghi nhầm", "sangpv", today(clock))); }));
  auto again = conn->transaction([&] { return ignore_value(store->reverse(campaign(), wrong, "2021-08-21", "Lần nữa", "sangpv", today(clock))); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  auto t = *store->totals(campaign_id);
  EXPECT_EQ(t.money_vnd, 132'500'000);
  ASSERT_EQ(t.items.size(), 1u);
  EXPECT_EQ(t.items[0].quantity_milli, 500'000);
  auto rounds = *store->by_round(campaign_id);
  ASSERT_EQ(rounds.size(), 2u);
  EXPECT_EQ(rounds[0].money_vnd, 100'000'000);
  EXPECT_EQ(rounds[1].money_vnd, 32'500'000);
  EXPECT_EQ(store->ledger_size(campaign_id).value(), 5);
}

TEST_P(FundStoreTest, AnOutflowIsReversedOnceAndTheBalanceNetsOut) {
  record(money(10'000'000));
  Outflow o;
  o.kind = "money";
  o.amount_vnd = 4'000'000;
  o.description = "Tặng quà";
  o.recipients = "40 hộ cách ly";
  o.on_date = "2021-08-15";
  int64_t id = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(v, store->record_outflow(campaign(), o, today(clock)));
    id = v;
    return {};
  }));
  auto reverse = [&](int64_t which, const char* day) {
    int64_t out = 0;
    auto r = conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(v, store->reverse_outflow(campaign(), which, day, "Ghi trùng", "sangpv", today(clock)));
      out = v;
      return {};
    });
    return r ? Result<int64_t>(out) : Result<int64_t>(std::unexpected(r.error()));
  };
  EXPECT_EQ(reverse(id, "2021-08-14").error().field, "on_date");  // before the outflow
  auto rev = reverse(id, "2021-08-20");
  ASSERT_TRUE(rev) << rev.error().message;
  EXPECT_EQ(store->outflow_totals(campaign_id)->money_vnd, 0);
  auto list = *store->outflows(campaign_id);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].reversed_by, *rev);
  EXPECT_EQ(list[1].reverses_id, id);
  EXPECT_EQ(list[1].amount_vnd, -4'000'000);
  EXPECT_EQ(list[1].recorded_by, "sangpv");
  // Once, and never a reversal itself; nothing more is written.
  EXPECT_EQ(reverse(id, "2021-08-21").error().kind, ErrorKind::conflict);
  EXPECT_EQ(reverse(*rev, "2021-08-21").error().kind, ErrorKind::conflict);
  // Another campaign's outflow is not found through this one.
  int64_t other = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(c, store->create_campaign(branch, CampaignInput{"Tết cho em", "", "2021-07-01", "", "", std::nullopt, 0}));
    other = c;
    return {};
  }));
  auto elsewhere = conn->transaction([&] {
    return ignore_value(store->reverse_outflow(*store->campaign(other), id, "2021-08-21", "x", "sangpv", today(clock)));
  });
  EXPECT_EQ(elsewhere.error().kind, ErrorKind::not_found);
  EXPECT_EQ(store->outflows(campaign_id)->size(), 2u);
}

TEST_P(FundStoreTest, ReceiptsAreGaplessAndLockTheEntry) {
  int64_t a = record(money(1'000'000), true);
  int64_t b = record(money(2'000'000));
  int64_t c = record(money(3'000'000), true);
  EXPECT_EQ(store->contribution(a)->receipt_no, 1);
  EXPECT_EQ(store->contribution(c)->receipt_no, 2);
  int64_t no = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(n, store->issue_receipt(campaign(), b));
    no = n;
    return {};
  }));
  EXPECT_EQ(no, 3);
  auto twice = conn->transaction([&] { return ignore_value(store->issue_receipt(campaign(), b)); });
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  auto edit = conn->transaction([&] { return store->edit(a, "Tên khác", "sửa"); });
  ASSERT_FALSE(edit);
  EXPECT_EQ(edit.error().kind, ErrorKind::conflict);
  auto reverse = conn->transaction([&] { return ignore_value(store->reverse(campaign(), a, "2021-08-20", "x", "sangpv", today(clock))); });
  EXPECT_EQ(reverse.error().kind, ErrorKind::conflict);
  // A receipt inside a rolled-back transaction leaves no gap.
  int64_t d = record(money(4'000'000));
  auto rolled = conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(ignore_value(store->issue_receipt(campaign(), d)));
    return fail(ErrorKind::internal, "rollback");
  });
  ASSERT_FALSE(rolled);
  ASSERT_TRUE(conn->transaction([&] { return ignore_value(store->issue_receipt(campaign(), d)); }));
  EXPECT_EQ(store->contribution(d)->receipt_no, 4);
}

TEST_P(FundStoreTest, ClosedCampaignsAndUnknownRoundsRefuseContributions) {
  auto unknown = conn->transaction([&] { return ignore_value(store->record(campaign(), money(100, 9), branch.id, "x", false)); });
  EXPECT_EQ(unknown.error().field, "round_no");
  ASSERT_TRUE(conn->transaction([&] { return store->set_status(campaign_id, "closed"); }));
  auto closed = conn->transaction([&] { return ignore_value(store->record(campaign(), money(100), branch.id, "x", false)); });
  EXPECT_EQ(closed.error().kind, ErrorKind::conflict);
  EXPECT_EQ(store->ledger_size(campaign_id).value(), 0);
}

TEST_P(FundStoreTest, ConcurrentRecordersLoseNothingAndNeverShareAReceipt) {
  auto pool = open_pool(8);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 10; ++k) {
        auto lease = pool->acquire();
        Store s(*lease, clock);
        auto c = s.campaign(campaign_id);
        auto r = lease->transaction([&] { return ignore_value(s.record(*c, money(1000 * (t * 10 + k + 1)), branch.id, "t", true)); });
        if (!r) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto entries = *store->ledger(campaign_id, 1000, 0);
  ASSERT_EQ(entries.size(), 80u);
  std::set<int64_t> numbers;
  for (const auto& e : entries) numbers.insert(*e.receipt_no);
  EXPECT_EQ(numbers.size(), 80u);
  EXPECT_EQ(*numbers.begin(), 1);
  EXPECT_EQ(*numbers.rbegin(), 80);
}

CHIDOAN_INSTANTIATE_DB_TEST(FundStoreTest);

}  // namespace
}  // namespace chidoan::fund
