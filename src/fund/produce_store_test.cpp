// The produce store on both engines: orders, refusals (each naming the field, nothing
// written), the close with its case rounding, pickup marks, concurrent orders, and the bundle
// section on the demo.
#include "fund/produce_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "fund/produce_bundle.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/results.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::fund::produce {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// 10:00 on a day of June 2021 in Vietnam.
std::chrono::system_clock::time_point at_vn(unsigned day, int hour = 10) {
  return std::chrono::sys_days{std::chrono::year{2021} / 6 / day} + std::chrono::hours(hour - 7);
}

// The demo's "produce" section.
json produce_demo() { return chidoan::testing::demo_bundle_full().at("produce"); }

class ProduceStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    // The demo's dates run to the end of 2021: loaded as of 2022.
    FixedClock later{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
    auto loaded = org::bundle::load(*conn, later, chidoan::testing::demo_bundle());
    ASSERT_TRUE(loaded) << loaded.error().field << ": " << loaded.error().message;
    org::Store orgs(*conn, clock);
    branch = **orgs.org_by_code("VPUBND");
    org::MemberQuery q;
    q.limit = 100;
    q.as_of = "2021-06-08";  // members in the branch when they order
    auto page = orgs.members(branch, q, today(clock));
    ASSERT_TRUE(page);
    for (const auto& m : page->items) members.push_back(m.id);
    ASSERT_GE(members.size(), 20u);
    // A member of the sibling branch (VPDBQH): outside the organiser's subtree.
    auto other = orgs.members(**orgs.org_by_code("VPDBQH"), q, today(clock));
    outsider = other->items.at(0).id;
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      ProduceStore s(*conn, clock);
      CHIDOAN_TRY(sid, s.add_supplier(branch.id, {"HTX Xoài Đạ Tẻh", "cooperative", "Đạ Tẻh", "0912 000 000", "", true}));
      CHIDOAN_TRY(m, s.add_product(sid, {"Xoài cát", "kg", 25000, 20, 5, true}));
      CHIDOAN_TRY(r, s.add_product(sid, {"Hoa hồng", "bó", 40000, 1, 1, true}));
      CHIDOAN_TRY(gone, s.add_product(sid, {"Xoài Úc", "kg", 18000, 20, 5, false}));
      (void)gone;
      mango = m;
      roses = r;
      CycleInput in{sid, "Xoài tháng 6", "2021-06-07T08:00", "2021-06-11T17:00", "2021-06-15", "Sảnh"};
      CHIDOAN_TRY(c, s.create_cycle(branch, in));
      cycle = c;
      return {};
    }));
  }

  Result<std::optional<Order>> order(int64_t member, std::vector<LineInput> lines) {
    Result<std::optional<Order>> out = std::optional<Order>();
    auto w = conn->transaction([&]() -> Result<void> {
      ProduceStore s(*conn, clock);
      out = s.place_order(cycle, member, lines);
      return out ? Result<void>() : std::unexpected(out.error());
    });
    if (!w) return std::unexpected(w.error());
    return out;
  }
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  int64_t written() { return count("produce_orders") * 1000 + count("produce_order_items"); }

  FixedClock clock{at_vn(8)};
  org::Org branch;
  std::vector<int64_t> members;
  int64_t outsider = 0, mango = 0, roses = 0, cycle = 0;
};

TEST_P(ProduceStoreTest, CycleOffersActiveProductsFrozen) {
  ProduceStore s(*conn, clock);
  auto c = s.cycle(cycle);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->products.size(), 2u);  // the inactive "Xoài Úc" is not offered
  EXPECT_EQ(c->status, CycleStatus::open);
  // A later price change reaches new cycles only.
  ASSERT_TRUE(conn->transaction([&] { return s.update_product(mango, {"Xoài cát", "kg", 30000, 20, 5, true}); }));
  auto again = s.cycle(cycle);
  EXPECT_EQ(again->products[0].name == "Xoài cát" ? again->products[0].price_vnd : again->products[1].price_vnd, 25000);
  auto list = s.cycles_for(branch);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
  // The org above sees it too (subtree), the sibling branch does not.
  org::Store orgs(*conn, clock);
  EXPECT_EQ(s.cycles_for(**orgs.org_by_code("DKCQ"))->size(), 1u);
  EXPECT_EQ(s.cycles_for(**orgs.org_by_code("VPDBQH"))->size(), 0u);
  // A supplier of a sibling org cannot be used; nor one without active products.
  auto sib = **orgs.org_by_code("VPDBQH");
  auto r = conn->transaction([&]() -> Result<void> {
    return chidoan::testing::ignore_value(s.create_cycle(sib, {c->supplier_id, "", "2021-06-07T08:00", "2021-06-11T17:00", "2021-06-15", ""}));
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "supplier_id");
  auto dup = conn->transaction([&]() -> Result<void> {
    return chidoan::testing::ignore_value(s.add_supplier(branch.id, {"HTX Xoài Đạ Tẻh", "farmer", "", "", "", true}));
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().field, "name");
}

TEST_P(ProduceStoreTest, OrdersAreChangedWhileOpenAndKeepTheirPlace) {
  auto first = order(members[0], {{mango, 10, 5}, {roses, 2, 0}});
  ASSERT_TRUE(first) << first.error().field << ": " << first.error().message;
  ASSERT_TRUE(*first);
  int64_t t0 = clock.unix_seconds();
  EXPECT_EQ((*first)->lines.size(), 2u);
  clock.advance(3600s);
  // Shrink the mango (keeps its place), drop the roses.
  auto second = order(members[0], {{mango, 5, 10}});
  ASSERT_TRUE(second);
  ASSERT_EQ((*second)->lines.size(), 1u);
  EXPECT_EQ((*second)->lines[0].quantity, 5);
  EXPECT_EQ((*second)->lines[0].tolerance, 10);
  EXPECT_EQ((*second)->lines[0].ordered_at, t0);
  clock.advance(3600s);
  // Grow it: the back of the queue.
  auto third = order(members[0], {{mango, 15, 0}});
  ASSERT_TRUE(third);
  EXPECT_EQ((*third)->lines[0].ordered_at, clock.unix_seconds());
  // Cancel: no order left.
  auto cancelled = order(members[0], {});
  ASSERT_TRUE(cancelled);
  EXPECT_FALSE(*cancelled);
  EXPECT_EQ(count("produce_orders"), 0);
  EXPECT_EQ(count("produce_order_items"), 0);
}

TEST_P(ProduceStoreTest, RefusalsNameTheFieldAndWriteNothing) {
  ASSERT_TRUE(order(members[1], {{mango, 10, 0}}));
  int64_t before = written();
  struct Case {
    const char* name;
    std::function<void()> setup;
    int64_t member;
    std::vector<LineInput> lines;
    const char* field;
  };
  auto now = clock.now();
  std::vector<Case> cases = {
      {"not a multiple of the step", nullptr, members[0], {{mango, 7, 0}}, "items[0].quantity"},
      {"zero", nullptr, members[0], {{roses, 1, 0}, {mango, 0, 0}}, "items[1].quantity"},
      {"negative", nullptr, members[0], {{mango, -5, 0}}, "items[0].quantity"},
      {"tolerance off step", nullptr, members[0], {{mango, 5, 3}}, "items[0].tolerance"},
      {"tolerance on loose", nullptr, members[0], {{roses, 1, 1}}, "items[0].tolerance"},
      {"unknown product", nullptr, members[0], {{999, 5, 0}}, "items[0].product_id"},
      {"twice", nullptr, members[0], {{mango, 5, 0}, {mango, 5, 0}}, "items[1].product_id"},
      {"outside the subtree", nullptr, outsider, {{mango, 5, 0}}, "member_id"},
      {"no such member", nullptr, 999999, {{mango, 5, 0}}, "member_id"},
      {"before it opens", [&] { clock = FixedClock(at_vn(7, 7)); }, members[0], {{mango, 5, 0}}, "opens_at"},
      {"after it closed", [&] { clock = FixedClock(at_vn(11, 17)); }, members[0], {{mango, 5, 0}}, "closes_at"},
      {"changing after it closed", [&] { clock = FixedClock(at_vn(12)); }, members[1], {{mango, 15, 0}}, "closes_at"},
  };
  for (auto& c : cases) {
    clock = FixedClock(now);
    if (c.setup) c.setup();
    auto r = order(c.member, c.lines);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().field, c.field) << c.name << ": " << r.error().message;
    EXPECT_EQ(written(), before) << c.name;
  }
  // Closed by the committee before the planned time: refused too.
  clock = FixedClock(now);
  ASSERT_TRUE(conn->transaction([&] { return chidoan::testing::ignore_value(ProduceStore(*conn, clock).close_cycle(cycle)); }));
  auto r = order(members[1], {{mango, 5, 0}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "closes_at");
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
}

TEST_P(ProduceStoreTest, CloseRoundsToCasesAndTheChecklistMarks) {
  // Mango, cases of 20: 10 (tol 5) at 9:00, 15 (tol 0), 5 (tol 10), 15 (tol 5) later: 45 kg,
  // need 15, tolerances 20: 3 cases; 5 + 10 from the first and third (queue order).
  std::vector<std::pair<int64_t, LineInput>> plan = {
      {members[0], {mango, 10, 5}}, {members[1], {mango, 15, 0}}, {members[2], {mango, 5, 10}}, {members[3], {mango, 15, 5}}};
  for (auto& [m, line] : plan) {
    ASSERT_TRUE(order(m, {line}));
    clock.advance(60s);
  }
  ASSERT_TRUE(order(members[4], {{roses, 3, 0}}));
  ProduceStore s(*conn, clock);
  auto early = conn->transaction([&] { return s.mark(cycle, members[0], true, std::nullopt); });
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().field, "status");
  CycleTotals t;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(x, s.close_cycle(cycle));
    t = x;
    return {};
  }));
  auto c = *s.cycle(cycle);
  EXPECT_EQ(c.status, CycleStatus::closed);
  EXPECT_EQ(c.closed_at, clock.unix_seconds());
  const auto& mp = c.products[0].name == "Xoài cát" ? c.products[0] : c.products[1];
  EXPECT_EQ(mp.cases, 3);
  EXPECT_EQ(mp.units, 60);
  auto os = *s.orders(cycle);
  std::map<int64_t, int64_t> got;
  for (const auto& o : os)
    for (const auto& l : o.lines) got[o.member_id] += *l.allocated;
  EXPECT_EQ(got[members[0]], 15);
  EXPECT_EQ(got[members[1]], 15);
  EXPECT_EQ(got[members[2]], 15);
  EXPECT_EQ(got[members[3]], 15);
  EXPECT_EQ(got[members[4]], 3);
  EXPECT_EQ(t.amount_vnd, 60 * 25000 + 3 * 40000);
  // The stored totals agree with the ones returned at close.
  auto again = *s.totals(cycle);
  EXPECT_EQ(again.amount_vnd, t.amount_vnd);
  int64_t sum = 0;
  for (const auto& m : again.members) sum += m.amount_vnd;
  EXPECT_EQ(sum, again.amount_vnd);
  // Close twice: refused.
  auto twice = conn->transaction([&] { return chidoan::testing::ignore_value(s.close_cycle(cycle)); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().field, "status");
  // Marks.
  ASSERT_TRUE(conn->transaction([&] { return s.mark(cycle, members[0], true, true); }));
  ASSERT_TRUE(conn->transaction([&] { return s.mark(cycle, members[1], true, std::nullopt); }));
  auto none = conn->transaction([&] { return s.mark(cycle, members[9], true, true); });
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().field, "member_id");
  auto marked = *s.totals(cycle);
  EXPECT_EQ(marked.members_picked_up, 2);
  EXPECT_EQ(marked.members_paid, 1);
  EXPECT_EQ(marked.paid_vnd, 15 * 25000);
  ASSERT_TRUE(conn->transaction([&] { return s.finish_cycle(cycle); }));
  EXPECT_EQ(s.cycle(cycle)->status, CycleStatus::picked_up);
  EXPECT_FALSE(conn->transaction([&] { return s.finish_cycle(cycle); }));
  // Paid can still be marked after the pickup.
  ASSERT_TRUE(conn->transaction([&] { return s.mark(cycle, members[1], std::nullopt, true); }));
}

TEST_P(ProduceStoreTest, ConcurrentOrdersKeepEveryEntry) {
  auto pool = open_pool(4);
  constexpr int kMembers = 16;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kMembers; ++i)
    threads.emplace_back([&, i] {
      // Each member orders, then changes the order: 32 writes racing on one cycle.
      for (int round = 0; round < 2; ++round) {
        auto lease = pool->acquire();
        ProduceStore s(*lease, clock);
        auto r = lease->transaction([&]() -> Result<void> {
          return chidoan::testing::ignore_value(s.place_order(cycle, members[static_cast<size_t>(i)], {{mango, 5 * (round + 1), 0}, {roses, 1, 0}}));
        });
        if (!r) {
          ++failures;
          ADD_FAILURE() << r.error().message;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count("produce_orders"), kMembers);
  EXPECT_EQ(count("produce_order_items"), 2 * kMembers);
  EXPECT_EQ((*conn->query_one("SELECT CAST(SUM(quantity) AS BIGINT) FROM produce_order_items WHERE product_id = ?1", {mango}))->i64(0), 10 * kMembers);
  EXPECT_EQ((*conn->query_one("SELECT order_seq FROM produce_cycles WHERE id = ?1", {cycle}))->i64(0), 2 * kMembers);
  pool.reset();
}

CHIDOAN_INSTANTIATE_DB_TEST(ProduceStoreTest);

// ---- the bundle section ----

class ProduceBundleTest : public chidoan::testing::DbTest {
 protected:
  json demo() {
    json d = chidoan::testing::demo_bundle();
    d["produce"] = produce_demo();
    return d;
  }
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  std::vector<chidoan::bundle::Section> sections{produce_bundle_section()};
};

TEST_P(ProduceBundleTest, TheArticlesDriveFromTheData) {
  auto r = org::bundle::load(*conn, clock, demo(), sections);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  org::Store orgs(*conn, clock);
  auto branch = **orgs.org_by_code("VPUBND");
  ProduceStore s(*conn, clock);
  auto suppliers = *s.suppliers_for(branch);
  EXPECT_EQ(suppliers.size(), 6u);
  auto cycles = *s.cycles_for(branch);
  ASSERT_EQ(cycles.size(), 6u);
  int64_t total = 0, paid = 0, orders = 0, unpaid = 0;
  for (const auto& c : cycles) {
    EXPECT_EQ(c.status, CycleStatus::picked_up) << c.title;
    EXPECT_GE(c.opens_at, "2021-05-01");
    EXPECT_LE(c.closes_at, "2021-10-01");
    auto t = *s.totals(c.id);
    for (const auto& p : t.products) {
      EXPECT_EQ(p.rounded.units % p.product.case_size, 0) << p.product.name;
      EXPECT_EQ(p.rounded.units, p.rounded.cases * p.product.case_size);
    }
    int64_t members_sum = 0;
    for (const auto& m : t.members) {
      members_sum += m.amount_vnd;
      if (m.amount_vnd > 0 && !m.paid) ++unpaid;
    }
    EXPECT_EQ(members_sum, t.amount_vnd) << c.title;
    EXPECT_GE(t.members.size(), 10u);
    total += t.amount_vnd;
    paid += t.paid_vnd;
    orders += static_cast<int64_t>(t.members.size());
  }
  // Plausible: a few million VND a cycle, some 15 million in all, most of it paid.
  EXPECT_GT(total, 10'000'000);
  EXPECT_LT(total, 30'000'000);
  EXPECT_GT(paid, total * 9 / 10);
  EXPECT_GE(unpaid, 1);
  EXPECT_GT(orders, 60);
}

TEST_P(ProduceBundleTest, RoundTripsExactly) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), sections));
  org::Store orgs(*conn, clock);
  auto first = org::bundle::dump(*conn, clock, (*orgs.org_by_code("TW"))->id, sections);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ((*first)["produce"], produce_demo());
  auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  auto other = db::Connection::open(fresh->url());
  auto again = org::bundle::load(**other, clock, *first, sections);
  ASSERT_TRUE(again) << again.error().field << ": " << again.error().message;
  auto tw = (*org::Store(**other, clock).org_by_code("TW"))->id;
  auto second = org::bundle::dump(**other, clock, tw, sections);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->dump(), second->dump());
  other->reset();
}

TEST_P(ProduceBundleTest, ErrorsNameTheJsonPath) {
  struct Case {
    std::function<void(json&)> apply;
    const char* path;
  } cases[] = {
      {[](json& d) { d["produce"]["extra"] = 1; }, "$.produce.extra"},
      {[](json& d) { d["produce"]["suppliers"][1]["org"] = "NOPE"; }, "$.produce.suppliers[1].org"},
      {[](json& d) { d["produce"]["suppliers"][0]["products"][0]["step"] = 3; }, "$.produce.suppliers[0].products[0].step"},
      {[](json& d) { d["produce"]["cycles"][0]["supplier"] = "S999"; }, "$.produce.cycles[0].supplier"},
      {[](json& d) { d["produce"]["cycles"][0]["orders"][0]["member"] = "M9999"; }, "$.produce.cycles[0].orders[0].member"},
      {[](json& d) { d["produce"]["cycles"][0]["orders"][0]["items"][0]["quantity"] = 7; }, "$.produce.cycles[0].orders[0].items[0].quantity"},
      {[](json& d) { d["produce"]["cycles"][1]["orders"][2]["created_at"] = 1600000000; }, "$.produce.cycles[1].orders[2].created_at.opens_at"},
      {[](json& d) { d["produce"]["cycles"][1]["orders"][2]["items"][0]["allocated"] = 999; }, "$.produce.cycles[1].orders[2].items[0].allocated"},
      {[](json& d) { d["produce"]["cycles"][2]["status"] = "done"; }, "$.produce.cycles[2].status"},
  };
  for (const auto& c : cases) {
    json d = demo();
    c.apply(d);
    auto r = org::bundle::load(*conn, clock, d, sections);
    ASSERT_FALSE(r) << c.path;
    EXPECT_EQ(r.error().field, c.path) << r.error().message;
    EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM produce_suppliers"))->i64(0), 0);
    EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM members"))->i64(0), 0);
  }
}

CHIDOAN_INSTANTIATE_DB_TEST(ProduceBundleTest);

}  // namespace
}  // namespace chidoan::fund::produce
