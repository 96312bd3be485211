#include "fund/produce_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace chidoan::fund::produce {
namespace {

std::vector<int64_t> allocated(const Rounded& r) {
  std::vector<int64_t> out;
  for (const auto& a : r.allocations) out.push_back(a.allocated);
  return out;
}

// The worked example of docs/produce.md: Đạ Tẻh mango in 20 kg cases, sold by 5 kg.
TEST(ProduceRounding, TheDocumentedExample) {
  std::vector<Demand> d = {
      {1, 10, 5, 100, 1},   // An, earliest
      {2, 15, 0, 200, 2},   // Bình
      {3, 5, 10, 300, 3},   // Chi
      {4, 10, 5, 400, 4},   // Dũng, latest
  };
  // total 40 = 2 cases, nothing to round.
  Rounded r = round_cases(20, d);
  EXPECT_EQ(r.cases, 2);
  EXPECT_EQ(r.units, 40);
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{10, 15, 5, 10}));
  // Dũng orders 5 more (15): total 45, remainder 5, need 15; tolerances 5 + 10 + 5 = 20 ≥ 15:
  // a third case; An +5, Chi +10 (queue order), Dũng nothing (need used up).
  d[3].quantity = 15;
  r = round_cases(20, d);
  EXPECT_EQ(r.ordered, 45);
  EXPECT_EQ(r.cases, 3);
  EXPECT_EQ(r.units, 60);
  EXPECT_EQ(r.filled_by_tolerance, 15);
  EXPECT_EQ(r.cut, 0);
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{15, 15, 15, 15}));
  // Chi's tolerance 0: tolerances 10 < 15: the remainder 5 is not bought; the latest line
  // (Dũng's) loses 5.
  d[2].tolerance = 0;
  r = round_cases(20, d);
  EXPECT_EQ(r.cases, 2);
  EXPECT_EQ(r.units, 40);
  EXPECT_EQ(r.cut, 5);
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{10, 15, 5, 10}));
}

TEST(ProduceRounding, LooseProductsAndEmptyInput) {
  Rounded none = round_cases(10, {});
  EXPECT_EQ(none.cases, 0);
  EXPECT_EQ(none.units, 0);
  EXPECT_TRUE(none.allocations.empty());
  Rounded loose = round_cases(1, {{1, 3, 0, 1, 1}, {2, 7, 0, 2, 2}});
  EXPECT_EQ(loose.cases, 10);
  EXPECT_EQ(loose.units, 10);
  EXPECT_EQ(allocated(loose), (std::vector<int64_t>{3, 7}));
}

TEST(ProduceRounding, CutsTheLatestOrdersFirstAcrossSeveralLines) {
  // Case 10; 4 + 3 + 2 = 9: no case at all without tolerance: everyone is cut, latest first.
  Rounded r = round_cases(10, {{1, 4, 0, 30, 1}, {2, 3, 0, 10, 2}, {3, 2, 0, 20, 3}});
  EXPECT_EQ(r.cases, 0);
  EXPECT_EQ(r.cut, 9);
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{0, 0, 0}));
  // 8 + 3 + 2 = 13: one case; remainder 3 cut from the latest (member 1 at t=30).
  r = round_cases(10, {{1, 8, 0, 30, 1}, {2, 3, 0, 10, 2}, {3, 2, 0, 20, 3}});
  EXPECT_EQ(r.cases, 1);
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{5, 3, 2}));
  // 1 + 3 + 8 (latest has 1): the cut of 2 takes member 1's 1 unit, then 1 of member 3.
  r = round_cases(10, {{1, 1, 0, 30, 1}, {2, 3, 0, 10, 2}, {3, 8, 0, 20, 3}});
  EXPECT_EQ(r.cases, 1);
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{0, 3, 7}));
}

TEST(ProduceRounding, EqualTimesAreBrokenBySeqThenInputOrder) {
  // Same instant: seq decides; member with the smaller seq gets the tolerance units first.
  Rounded r = round_cases(10, {{1, 6, 4, 50, 9}, {2, 2, 4, 50, 3}});
  // total 8, need 2: member 2 (seq 3) is earlier.
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{6, 4}));
  r = round_cases(10, {{1, 6, 0, 50, 9}, {2, 3, 0, 50, 3}});
  // total 9, no tolerance: cut 9 from the latest (member 1, seq 9) — 6, then 3 from member 2.
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{0, 0}));
}

TEST(ProduceRounding, ExactToleranceFillsTheCase) {
  Rounded r = round_cases(12, {{1, 7, 2, 1, 1}, {2, 2, 3, 2, 2}});
  // total 9, need 3 = 2 + 3 ≥ 3: member 1 gives 2, member 2 gives 1.
  EXPECT_EQ(r.cases, 1);
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{9, 3}));
  r = round_cases(12, {{1, 7, 1, 1, 1}, {2, 2, 1, 2, 2}});
  // tolerance 2 < need 3: cut 9 (no full case).
  EXPECT_EQ(r.cases, 0);
  EXPECT_EQ(allocated(r), (std::vector<int64_t>{0, 0}));
}

// Every combination of up to three members with small quantities, tolerances and times, for
// case sizes 1..6: the invariants of docs/produce.md hold.
TEST(ProduceRounding, ExhaustiveInvariants) {
  int checked = 0;
  for (int64_t cs = 1; cs <= 6; ++cs)
    for (int n = 0; n <= 3; ++n) {
      int combos = 1;
      for (int i = 0; i < n; ++i) combos *= 5 * 4 * 3;  // quantity 0..4, tolerance 0..3, time 0..2
      for (int k = 0; k < combos; ++k) {
        std::vector<Demand> d;
        int x = k;
        for (int i = 0; i < n; ++i) {
          int64_t q = x % 5;
          x /= 5;
          int64_t tol = x % 4;
          x /= 4;
          int64_t t = x % 3;
          x /= 3;
          d.push_back(Demand{i + 1, q, tol, t, i + 1});
        }
        Rounded r = round_cases(cs, d);
        int64_t total = 0, tols = 0;
        for (const auto& e : d) total += e.quantity, tols += e.tolerance;
        ASSERT_EQ(r.ordered, total);
        ASSERT_EQ(r.units, r.cases * cs);
        int64_t sum = 0;
        for (size_t i = 0; i < d.size(); ++i) {
          const auto& a = r.allocations[i];
          sum += a.allocated;
          ASSERT_GE(a.allocated, 0);
          ASSERT_LE(a.allocated, d[i].quantity + d[i].tolerance);
        }
        ASSERT_EQ(sum, r.units);
        int64_t rem = total % cs;
        if (rem == 0) {
          ASSERT_EQ(r.cases, total / cs);
          for (size_t i = 0; i < d.size(); ++i) ASSERT_EQ(r.allocations[i].allocated, d[i].quantity);
        } else if (tols >= cs - rem) {
          ASSERT_EQ(r.cases, total / cs + 1);
          ASSERT_EQ(r.filled_by_tolerance, cs - rem);
          // Nobody is cut; an extra unit goes to a later line only when every earlier line
          // with tolerance is full.
          for (size_t i = 0; i < d.size(); ++i) {
            ASSERT_GE(r.allocations[i].allocated, d[i].quantity);
            if (r.allocations[i].allocated > d[i].quantity)
              for (size_t j = 0; j < d.size(); ++j)
                if (std::pair(d[j].ordered_at, d[j].seq) < std::pair(d[i].ordered_at, d[i].seq)) {
                  ASSERT_EQ(r.allocations[j].allocated, d[j].quantity + d[j].tolerance);
                }
          }
        } else {
          ASSERT_EQ(r.cases, total / cs);
          ASSERT_EQ(r.cut, rem);
          // Nobody gets more than ordered; a line is cut only when every later line is cut to 0.
          for (size_t i = 0; i < d.size(); ++i) {
            ASSERT_LE(r.allocations[i].allocated, d[i].quantity);
            if (r.allocations[i].allocated < d[i].quantity)
              for (size_t j = 0; j < d.size(); ++j)
                if (std::pair(d[j].ordered_at, d[j].seq) > std::pair(d[i].ordered_at, d[i].seq)) {
                  ASSERT_EQ(r.allocations[j].allocated, 0);
                }
          }
        }
        ++checked;
      }
    }
  EXPECT_GT(checked, 1'000'000);
}

CycleProduct mango() { return CycleProduct{7, "Xoài cát Đạ Tẻh", "kg", 35000, 20, 5, {}, {}}; }
CycleProduct roses() { return CycleProduct{8, "Hoa hồng Đà Lạt", "bó", 50000, 1, 1, {}, {}}; }

TEST(ProduceLines, StepsTolerancesAndSigns) {
  auto field = [](const Result<void>& r) { return r ? std::string("ok") : r.error().field; };
  EXPECT_EQ(field(check_line(mango(), {7, 10, 5}, 0)), "ok");
  EXPECT_EQ(field(check_line(mango(), {7, 15, 15}, 0)), "ok");   // tolerance up to case - step
  EXPECT_EQ(field(check_line(mango(), {7, 12, 0}, 2)), "items[2].quantity");  // not a multiple of 5
  EXPECT_EQ(field(check_line(mango(), {7, 0, 0}, 0)), "items[0].quantity");
  EXPECT_EQ(field(check_line(mango(), {7, -5, 0}, 0)), "items[0].quantity");
  EXPECT_EQ(field(check_line(mango(), {7, kMaxQuantity + 5, 0}, 0)), "items[0].quantity");
  EXPECT_EQ(field(check_line(mango(), {7, 10, 3}, 1)), "items[1].tolerance");  // not a multiple of 5
  EXPECT_EQ(field(check_line(mango(), {7, 10, 20}, 1)), "items[1].tolerance");  // a whole case
  EXPECT_EQ(field(check_line(mango(), {7, 10, -5}, 1)), "items[1].tolerance");
  EXPECT_EQ(field(check_line(roses(), {8, 3, 0}, 0)), "ok");
  EXPECT_EQ(field(check_line(roses(), {8, 3, 1}, 0)), "items[0].tolerance");  // loose: no tolerance
  auto msg = check_line(mango(), {7, 12, 0}, 0);
  ASSERT_FALSE(msg);
  EXPECT_NE(msg.error().message.find("bội số của 5"), std::string::npos) << msg.error().message;
}

TEST(ProduceLines, OrdersAndWindow) {
  Cycle c;
  c.products = {mango(), roses()};
  c.opens_at = "2021-06-01T08:00";
  c.closes_at = "2021-06-05T17:00";
  EXPECT_TRUE(check_order(c, {}));
  EXPECT_TRUE(check_order(c, {{7, 10, 0}, {8, 2, 0}}));
  auto unknown = check_order(c, {{7, 10, 0}, {99, 1, 0}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "items[1].product_id");
  auto twice = check_order(c, {{7, 10, 0}, {7, 5, 0}});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().field, "items[1].product_id");
  auto bad = check_order(c, {{8, 1, 0}, {7, 7, 0}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "items[1].quantity");

  EXPECT_TRUE(check_window(c, "2021-06-01T08:00"));
  EXPECT_TRUE(check_window(c, "2021-06-05T16:59"));
  auto early = check_window(c, "2021-06-01T07:59");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().field, "opens_at");
  auto late = check_window(c, "2021-06-05T17:00");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().field, "closes_at");
  EXPECT_EQ(late.error().kind, ErrorKind::conflict);
  c.status = CycleStatus::closed;
  auto closed = check_window(c, "2021-06-02T10:00");
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().field, "closes_at");
}

TEST(ProduceLines, QueueTime) {
  OrderLine old{7, 10, 0, 100, std::nullopt};
  EXPECT_EQ(queue_time(std::nullopt, 5, 500), 500);  // new line: the back of the queue
  EXPECT_EQ(queue_time(old, 15, 500), 500);           // grows: the back of the queue
  EXPECT_EQ(queue_time(old, 10, 500), 100);           // same (tolerance changed): keeps its place
  EXPECT_EQ(queue_time(old, 5, 500), 100);            // shrinks: keeps its place
}

TEST(ProduceInput, WholeNumbers) {
  auto field_of = [](const Result<int64_t>& r) { return r ? std::string("ok") : r.error().message; };
  EXPECT_EQ(*parse_whole("15", "q", 1, 100), 15);
  EXPECT_EQ(*parse_whole(" 15 ", "q", 1, 100), 15);
  EXPECT_EQ(*parse_whole("", "q", 1, 100, 1), 1);
  for (const char* bad : {"", "2.5", "2,5", "-5", "0", "abc", "1e3", "101", "99999999999999999999", "+5", "0x10"}) {
    auto r = parse_whole(bad, "q", 1, 100);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "q") << bad;
  }
  EXPECT_NE(field_of(parse_whole("2,5", "q", 1, 100)).find("số lẻ"), std::string::npos);
  EXPECT_NE(field_of(parse_whole("-5", "q", 1, 100)).find("âm"), std::string::npos);
  EXPECT_TRUE(parse_whole("0", "q", 0, 100));
}

TEST(ProduceInput, SuppliersProductsCycles) {
  EXPECT_TRUE(parse_supplier({{"name", "HTX Xoài Đạ Tẻh"}, {"kind", "cooperative"}}));
  EXPECT_EQ(parse_supplier({{"name", " "}}).error().field, "name");
  EXPECT_EQ(parse_supplier({{"name", "A"}, {"kind", "shop"}}).error().field, "kind");
  EXPECT_EQ(parse_supplier({{"name", "A"}, {"active", "maybe"}}).error().field, "active");

  auto p = parse_product({{"name", "Xoài"}, {"unit", "kg"}, {"price_vnd", "35000"}, {"case_size", "20"}, {"step", "5"}});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->case_size, 20);
  EXPECT_EQ(p->step, 5);
  auto loose = parse_product({{"name", "Hồng"}, {"unit", "bó"}, {"price_vnd", "50000"}});
  ASSERT_TRUE(loose);
  EXPECT_EQ(loose->case_size, 1);
  EXPECT_EQ(loose->step, 1);
  EXPECT_EQ(parse_product({{"name", "X"}, {"unit", "kg"}, {"price_vnd", "0"}}).error().field, "price_vnd");
  EXPECT_EQ(parse_product({{"name", "X"}, {"unit", "kg"}, {"price_vnd", "-1"}}).error().field, "price_vnd");
  EXPECT_EQ(parse_product({{"name", "X"}, {"unit", "kg"}, {"price_vnd", "1000.5"}}).error().field, "price_vnd");
  EXPECT_EQ(parse_product({{"name", "X"}, {"unit", "kg"}, {"price_vnd", "1000"}, {"case_size", "20"}, {"step", "3"}}).error().field, "step");
  EXPECT_EQ(parse_product({{"name", "X"}, {"unit", "kg"}, {"price_vnd", "1000"}, {"case_size", "5"}, {"step", "10"}}).error().field, "step");
  EXPECT_EQ(parse_product({{"name", "X"}, {"unit", ""}, {"price_vnd", "1000"}}).error().field, "unit");

  RawFields c{{"supplier_id", "3"}, {"opens_at", "2021-06-01T08:00"}, {"closes_at", "2021-06-05 17:00:00"}, {"pickup_on", "2021-06-08"}};
  auto cy = parse_cycle(c);
  ASSERT_TRUE(cy) << cy.error().message;
  EXPECT_EQ(cy->closes_at, "2021-06-05T17:00");
  auto with = [&](const char* k, const char* v) {
    RawFields x = c;
    x[k] = v;
    return parse_cycle(x);
  };
  EXPECT_EQ(with("closes_at", "2021-06-01T08:00").error().field, "closes_at");
  EXPECT_EQ(with("opens_at", "2021-06-31T08:00").error().field, "opens_at");
  EXPECT_EQ(with("opens_at", "2021-06-01T24:00").error().field, "opens_at");
  EXPECT_EQ(with("pickup_on", "2021-06-04").error().field, "pickup_on");
  EXPECT_EQ(with("supplier_id", "x").error().field, "supplier_id");
}

TEST(ProduceTotals, OpenCyclesRoundNowClosedOnesKeepTheirAllocation) {
  Cycle c;
  c.products = {mango(), roses()};
  Order a{1, 1, 11, "An", 0, 0, false, false, {{7, 10, 5, 100, {}}, {8, 2, 0, 100, {}}}};
  Order b{2, 1, 12, "Bình", 0, 0, true, true, {{7, 15, 0, 200, {}}}};
  CycleTotals t = totals(c, {a, b});
  ASSERT_EQ(t.products.size(), 2u);
  EXPECT_EQ(t.products[0].rounded.cases, 1);  // 25 kg: remainder 5 needs 15, tolerance only 5: cut
  EXPECT_EQ(t.products[0].rounded.units, 20);
  EXPECT_EQ(t.products[1].rounded.units, 2);
  ASSERT_EQ(t.members.size(), 2u);
  // Bình ordered later: the 5 kg remainder is cut from Bình's 15.
  EXPECT_EQ(t.members[0].amount_vnd, 10 * 35000 + 2 * 50000);
  EXPECT_EQ(t.members[1].amount_vnd, 10 * 35000);
  EXPECT_EQ(t.amount_vnd, 20 * 35000 + 2 * 50000);
  EXPECT_EQ(t.amount_vnd, t.members[0].amount_vnd + t.members[1].amount_vnd);
  EXPECT_EQ(t.ordered_amount_vnd, 25 * 35000 + 2 * 50000);
  EXPECT_EQ(t.members_paid, 1);
  EXPECT_EQ(t.paid_vnd, 10 * 35000);
  // Closed: the stored allocation wins.
  c.status = CycleStatus::closed;
  c.products[0].cases = 1;
  c.products[0].units = 20;
  a.lines[0].allocated = 5;
  a.lines[1].allocated = 2;
  b.lines[0].allocated = 15;
  t = totals(c, {a, b});
  EXPECT_EQ(t.products[0].rounded.cases, 1);
  EXPECT_EQ(t.members[0].amount_vnd, 5 * 35000 + 2 * 50000);
  EXPECT_EQ(t.members[1].amount_vnd, 15 * 35000);
}

}  // namespace
}  // namespace chidoan::fund::produce
