#include "activity/dues_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "activity/dues_bundle.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/results.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::activity::dues {
namespace {

using chidoan::testing::ignore_value;
using namespace std::chrono_literals;
using nlohmann::json;

// The demo's org part only: the other modules' sections are not under test here.
nlohmann::json demo_org_part() {
  nlohmann::json d = chidoan::testing::demo_bundle();
  nlohmann::json out = nlohmann::json::object();
  for (const char* k : {"format", "version", "root_parent", "levels", "orgs", "org_events", "units", "members"})
    if (d.contains(k)) out[k] = d[k];
  return out;
}

Month M(int y, unsigned m) { return Month::of(y, m); }

// TW > LD > DKCQ > {A, B}; today is 15/01/2022.
class DuesStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    org::Store os(*conn, clock);
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY_VOID(os.install_default_levels());
      CHIDOAN_TRY(levels, os.levels());
      std::map<int64_t, int64_t> level;
      for (auto& l : levels) level[l.rank] = l.id;
      CHIDOAN_TRY(tw, os.create_org({"TW", "Trung ương Đoàn", level[0], std::nullopt, ""}));
      CHIDOAN_TRY(ld, os.create_org({"LD", "Tỉnh đoàn Lâm Đồng", level[1], tw, ""}));
      CHIDOAN_TRY(dk, os.create_org({"DKCQ", "Đoàn khối", level[2], ld, ""}));
      CHIDOAN_TRY(a, os.create_org({"CDA", "Chi đoàn A", level[4], dk, "2020-01-01"}));
      CHIDOAN_TRY(b, os.create_org({"CDB", "Chi đoàn B", level[4], dk, "2020-01-01"}));
      dkcq = dk;
      branch_a = a;
      branch_b = b;
      return {};
    }));
    anh = add("Lê", "Thị", "Anh", "2021-04-01", branch_a);
    binh = add("Trần", "Văn", "Bình", "2021-01-01", branch_a);
    chi = add("Phạm", "Thị", "Chi", "2021-01-01", branch_b);
    store = std::make_unique<DuesStore>(*conn, clock);
  }
  void TearDown() override {
    store.reset();
    DbTest::TearDown();
  }

  int64_t add(const std::string& family, const std::string& middle, const std::string& given, const std::string& since, int64_t branch) {
    RawFields raw{{"family_name", family}, {"middle_name", middle}, {"given_name", given}, {"sex", "female"},
                              {"birth_date", "1996-05-05"}, {"branch_since", since}};
    auto in = org::rules::validate_member(raw, today(clock));
    EXPECT_TRUE(in) << in.error().message;
    int64_t id = 0;
    EXPECT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(v, org::Store(*conn, clock).add_member(branch, *in));
      id = v;
      return {};
    }));
    return id;
  }
  Month now() const { return month_of(today(clock)); }
  PaymentInput pay(int64_t member, Month from, Month to, const std::string& on = "2022-01-10") {
    return PaymentInput{member, from, to, std::nullopt, on, "BL-01", ""};
  }
  // Runs a write in a transaction, as the routes do.
  template <typename T>
  Result<T> tx(const std::function<Result<T>()>& fn) {
    Result<T> out = fail(ErrorKind::internal, "");
    auto r = conn->transaction([&]() -> Result<void> {
      out = fn();
      if (!out) return std::unexpected(out.error());
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return out;
  }
  Result<Payment> record(int64_t branch, const PaymentInput& in) {
    return tx<Payment>([&] { return store->record_payment(branch, in, now()); });
  }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  int64_t written() { return rows("dues_payments") * 1000 + rows("dues_paid_months") * 100 + rows("dues_exemptions") * 10 + rows("dues_remittances"); }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15} + 3h};
  std::unique_ptr<DuesStore> store;
  int64_t dkcq = 0, branch_a = 0, branch_b = 0, anh = 0, binh = 0, chi = 0;
};

TEST_P(DuesStoreTest, ThePaymentIsComputedFromRatesAndCategory) {
  auto p = record(branch_a, pay(anh, M(2021, 4), M(2021, 6)));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->amount, 15000);
  auto l = store->ledger(anh);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->paid.size(), 3u);
  EXPECT_EQ(l->paid.at(M(2021, 5)), 5000);
  // From July she studies without a salary: 2,000 a month.
  ASSERT_TRUE(tx<bool>([&]() -> Result<bool> {
    CHIDOAN_TRY_VOID(store->set_category(branch_a, CategoryInput{anh, Category::unsalaried, M(2021, 7)}));
    return true;
  }));
  PaymentInput in = pay(anh, M(2021, 7), M(2021, 12));
  in.amount = 12000;
  auto q = record(branch_a, in);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->amount, 12000);
  // A category change over paid months is refused.
  auto late = tx<bool>([&]() -> Result<bool> {
    CHIDOAN_TRY_VOID(store->set_category(branch_a, CategoryInput{anh, Category::salaried, M(2021, 10)}));
    return true;
  });
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().field, "valid_from");
}

// A remittance of January made while a January payment is being written, from another
// connection (another server): it waits for the payment, then counts it. On PostgreSQL without
// the dues writes' lock it read the month without the payment, and the third it owes up was lost.
TEST_P(DuesStoreTest, ARemittanceWaitsForAPaymentBeingWritten) {
  auto second = db::Connection::open(url());
  ASSERT_TRUE(second) << second.error().message;
  DuesStore other(**second, clock);
  std::atomic<bool> finished{false};
  Result<Remittance> remitted = fail(ErrorKind::internal, "not run");
  std::thread remit;
  auto paid = conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(ignore_value(store->record_payment(branch_a, pay(anh, M(2022, 1), M(2022, 1), "2022-01-10"), now())));
    remit = std::thread([&] {
      auto r = (*second)->transaction([&]() -> Result<void> {
        remitted = other.add_remittance(branch_a, RemittanceInput{M(2022, 1), M(2022, 1), std::nullopt, "2022-01-15", ""}, now());
        if (!remitted) return std::unexpected(remitted.error());
        return {};
      });
      static_cast<void>(r);
      finished = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(finished) << "the remittance did not wait for the payment";
    return {};
  });
  ASSERT_TRUE(paid) << paid.error().message;
  remit.join();
  ASSERT_TRUE(remitted) << remitted.error().message;
  EXPECT_EQ(remitted->collected, 5000);
  second->reset();
}

// Bình moves from A to B on 1 May: A no longer changes what B collects from her.
TEST_P(DuesStoreTest, ABranchSetsTheCategoryOnlyOfMonthsSpentInIt) {
  ASSERT_TRUE(conn->transaction([&] {
    return org::Store(*conn, clock).apply_lifecycle(binh, org::rules::Lifecycle::transfer, "2021-05-01", "", branch_b, today(clock));
  }));
  auto category = [&](int64_t branch, Month from) {
    return tx<bool>([&]() -> Result<bool> {
      CHIDOAN_TRY_VOID(store->set_category(branch, CategoryInput{binh, Category::unsalaried, from}));
      return true;
    });
  };
  const int64_t before = rows("dues_categories");
  auto left = category(branch_a, M(2021, 6));
  ASSERT_FALSE(left);
  EXPECT_EQ(left.error().field, "valid_from");
  EXPECT_EQ(rows("dues_categories"), before);
  EXPECT_TRUE(category(branch_b, M(2021, 6)));
  EXPECT_TRUE(category(branch_a, M(2021, 3)));  // while she was in A
  EXPECT_EQ(rows("dues_categories"), before + 2);
}

TEST_P(DuesStoreTest, BadPaymentsNameTheFieldAndWriteNothing) {
  ASSERT_TRUE(record(branch_a, pay(anh, M(2021, 6), M(2021, 6))));
  int64_t before = written();
  struct Case {
    const char* name;
    int64_t branch;
    PaymentInput in;
    const char* field;
  };
  PaymentInput wrong_amount = pay(anh, M(2021, 4), M(2021, 5));
  wrong_amount.amount = 5000;
  PaymentInput backwards = pay(anh, M(2021, 9), M(2021, 8));
  std::vector<Case> cases = {
      {"before joining the branch", branch_a, pay(anh, M(2021, 3), M(2021, 4)), "from_month"},
      {"a month already paid", branch_a, pay(anh, M(2021, 5), M(2021, 7)), "from_month"},
      {"more than 12 months ahead", branch_a, pay(anh, M(2022, 1), M(2023, 2)), "to_month"},
      {"to before from", branch_a, backwards, "to_month"},
      {"a member not in the branch", branch_a, pay(chi, M(2021, 4), M(2021, 4)), "member_id"},
      {"an unknown member", branch_a, pay(999999, M(2021, 4), M(2021, 4)), "member_id"},
      {"an amount that is not the computed one", branch_a, wrong_amount, "amount"},
      {"not a branch", dkcq, pay(anh, M(2021, 4), M(2021, 4)), "org_id"},
  };
  for (const auto& c : cases) {
    auto r = record(c.branch, c.in);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().field, c.field) << c.name << ": " << r.error().message;
    EXPECT_FALSE(r.error().message.empty()) << c.name;
    EXPECT_EQ(written(), before) << c.name;
  }
}

TEST_P(DuesStoreTest, ACorrectionIsAReversalNeverAnEdit) {
  auto p = record(branch_a, pay(binh, M(2021, 1), M(2021, 12), "2021-02-01"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->amount, 60000);
  auto rev = tx<Payment>([&] { return store->reverse_payment(branch_a, p->id, ReversalInput{"2022-01-10", "Ghi nhầm người nộp"}); });
  ASSERT_TRUE(rev) << rev.error().message;
  EXPECT_EQ(rev->amount, -60000);
  EXPECT_EQ(rev->reverses_id, p->id);
  auto original = store->payment(p->id);
  EXPECT_EQ((*original)->amount, 60000);  // untouched
  EXPECT_EQ((*original)->reversed_by, rev->id);
  EXPECT_TRUE(store->ledger(binh)->paid.empty());
  EXPECT_EQ(*store->collected(branch_a, M(2021, 1), M(2022, 1)), 0);
  // Once only; a reversal is not reversed; another branch does not see it.
  auto again = tx<Payment>([&] { return store->reverse_payment(branch_a, p->id, ReversalInput{"2022-01-10", "x"}); });
  EXPECT_EQ(again.error().field, "payment_id");
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(tx<Payment>([&] { return store->reverse_payment(branch_a, rev->id, ReversalInput{"2022-01-10", "x"}); }).error().field, "payment_id");
  EXPECT_EQ(tx<Payment>([&] { return store->reverse_payment(branch_b, p->id, ReversalInput{"2022-01-10", "x"}); }).error().kind, ErrorKind::not_found);
  // The months can be paid again.
  EXPECT_TRUE(record(branch_a, pay(binh, M(2021, 1), M(2021, 12))));
}

// The year sums the reports read (dues_paid_years, migration 0021) are the paid months summed,
// after every kind of change to the months: payments across a year's end, a reversal, and the
// updates and deletes no store makes but a repair by hand might.
TEST_P(DuesStoreTest, TheYearSumsFollowThePaidMonths) {
  auto sums = [&] {
    return conn->query("SELECT branch_id, year, member_id, months, amount FROM dues_paid_years ORDER BY 1, 2, 3");
  };
  auto summed = [&] {
    return conn->query("SELECT branch_id, CAST(substr(month, 1, 4) AS INTEGER), member_id, COUNT(*), SUM(amount) FROM dues_paid_months "
                       "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3");
  };
  auto same = [&](const char* after) {
    auto a = sums();
    auto b = summed();
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->size(), b->size()) << after;
    for (size_t i = 0; i < a->size(); ++i)
      for (size_t c = 0; c < 5; ++c) EXPECT_EQ((*a)[i].i64(c), (*b)[i].i64(c)) << after << ", row " << i << ", column " << c;
  };
  auto p = record(branch_a, pay(binh, M(2021, 7), M(2022, 2), "2021-07-05"));
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_TRUE(record(branch_b, pay(chi, M(2021, 1), M(2021, 12), "2021-02-01")));
  ASSERT_TRUE(record(branch_a, pay(anh, M(2021, 4), M(2021, 6), "2021-04-02")));
  same("three payments");
  auto row = conn->query_one("SELECT months, amount FROM dues_paid_years WHERE member_id = ?1 AND year = 2021", {binh});
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->i64(0), 6);  // July to December; January and February are 2022's
  ASSERT_TRUE(tx<Payment>([&] { return store->reverse_payment(branch_a, p->id, ReversalInput{"2022-01-10", "Ghi nhầm"}); }));
  same("a reversal");
  EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM dues_paid_years WHERE member_id = ?1", {binh}))->i64(0), 0);
  ASSERT_TRUE(conn->execute("UPDATE dues_paid_months SET amount = amount + 1000, branch_id = ?1 WHERE member_id = ?2 AND month >= '2021-06'",
                            {branch_a, chi}));
  same("an update that moves months to another branch");
  ASSERT_TRUE(conn->execute("DELETE FROM dues_paid_months WHERE member_id = ?1 AND month <= '2021-03'", {chi}));
  same("a delete");
  ASSERT_TRUE(conn->execute("DELETE FROM dues_paid_months"));
  same("everything deleted");
  EXPECT_EQ(rows("dues_paid_years"), 0);
}

TEST_P(DuesStoreTest, ExemptionsUpToSixMonthsAYear) {
  auto e = tx<Exemption>([&] { return store->add_exemption(branch_a, ExemptionInput{binh, M(2021, 3), M(2021, 8), "Gia đình khó khăn"}, now()); });
  ASSERT_TRUE(e) << e.error().message;
  int64_t before = written();
  auto seventh = tx<Exemption>([&] { return store->add_exemption(branch_a, ExemptionInput{binh, M(2021, 10), M(2021, 10), "x"}, now()); });
  EXPECT_EQ(seventh.error().field, "to_month");
  auto overlap = tx<Exemption>([&] { return store->add_exemption(branch_a, ExemptionInput{binh, M(2021, 8), M(2021, 8), "x"}, now()); });
  EXPECT_EQ(overlap.error().field, "from_month");
  EXPECT_EQ(written(), before);
  auto p = record(branch_a, pay(binh, M(2021, 1), M(2021, 12)));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->amount, 6 * 5000);
}

TEST_P(DuesStoreTest, RemittanceIsAThirdOfWhatWasCollected) {
  ASSERT_TRUE(record(branch_a, pay(anh, M(2021, 4), M(2021, 12), "2021-04-10")));   // 45,000
  ASSERT_TRUE(record(branch_a, pay(binh, M(2021, 1), M(2021, 12), "2021-04-20")));  // 60,000
  ASSERT_TRUE(record(branch_b, pay(chi, M(2021, 1), M(2021, 12), "2021-04-20")));   // another branch
  auto r = tx<Remittance>([&] { return store->add_remittance(branch_a, RemittanceInput{M(2021, 4), M(2021, 4), 35000, "2021-05-05", ""}, now()); });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->collected, 105000);
  EXPECT_EQ(r->amount, 35000);
  EXPECT_EQ(r->to_org_id, dkcq);
  int64_t before = written();
  auto dup = tx<Remittance>([&] { return store->add_remittance(branch_a, RemittanceInput{M(2021, 3), M(2021, 5), std::nullopt, "2021-06-01", ""}, now()); });
  EXPECT_EQ(dup.error().field, "from_month");
  EXPECT_EQ(dup.error().kind, ErrorKind::conflict);
  auto nothing = tx<Remittance>([&] { return store->add_remittance(branch_a, RemittanceInput{M(2021, 5), M(2021, 6), std::nullopt, "2021-07-01", ""}, now()); });
  EXPECT_EQ(nothing.error().field, "from_month");
  // April is closed: a payment dated in April is refused.
  ASSERT_TRUE(record(branch_a, pay(anh, M(2022, 1), M(2022, 1), "2022-01-02")));
  auto closed = record(branch_a, pay(binh, M(2022, 1), M(2022, 1), "2021-04-25"));
  EXPECT_EQ(closed.error().field, "paid_on");
  auto bad = tx<Remittance>([&] { return store->add_remittance(branch_a, RemittanceInput{M(2022, 1), M(2022, 1), 2000, "2022-01-15", ""}, now()); });
  EXPECT_EQ(bad.error().field, "amount");  // 5,000 collected: 1,666
  EXPECT_EQ(written(), before + 1000 + 100);
}

TEST_P(DuesStoreTest, TheBookOfABranchYear) {
  ASSERT_TRUE(record(branch_a, pay(anh, M(2021, 4), M(2021, 9), "2021-04-10")));
  ASSERT_TRUE(tx<Exemption>([&] { return store->add_exemption(branch_a, ExemptionInput{binh, M(2021, 1), M(2021, 2), "Ốm dài ngày"}, now()); }));
  auto b = store->book(branch_a, 2021, now());
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(b->rows.size(), 2u);
  EXPECT_EQ(b->rows[0].full_name, "Lê Thị Anh");  // tên order: Anh before Bình
  EXPECT_EQ(b->rows[0].states[2], MonthState::none);
  EXPECT_EQ(b->rows[0].states[3], MonthState::paid);
  EXPECT_EQ(b->rows[0].arrears.size(), 3u);  // October to December
  EXPECT_EQ(b->rows[1].states[0], MonthState::exempt);
  EXPECT_EQ(b->rows[1].arrears.size(), 10u);
  EXPECT_EQ(b->totals.expected, 9 * 5000 + 10 * 5000);
  EXPECT_EQ(b->totals.paid, 30000);
  EXPECT_EQ(b->totals.exempted, 10000);
  EXPECT_EQ(b->totals.collected, 30000);
  EXPECT_EQ(b->totals.arrears, 3 * 5000 + 10 * 5000);
  EXPECT_EQ(b->totals.to_remit, 10000);
  EXPECT_EQ(b->months[3].collected, 30000);
  EXPECT_EQ(b->payments.size(), 1u);
  EXPECT_EQ(b->exemptions.size(), 1u);
  EXPECT_EQ(store->book(dkcq, 2021, now()).error().field, "org_id");
}

TEST_P(DuesStoreTest, RatesAreVersioned) {
  clock.advance(std::chrono::hours(24 * 365 * 4));  // 2026
  auto r = tx<Rate>([&] { return store->add_rate(RateInput{Category::salaried, 8000, now() + 1, std::nullopt, "NQ mới"}, now()); });
  ASSERT_TRUE(r) << r.error().message;
  auto rates = store->rates();
  ASSERT_EQ(rates->size(), 3u);
  EXPECT_EQ((*rates)[0].to, now());  // the 2010 rate ends the month before
  auto overlap = tx<Rate>([&] { return store->add_rate(RateInput{Category::salaried, 9000, now() + 1, std::nullopt, ""}, now()); });
  EXPECT_EQ(overlap.error().field, "valid_from");
  EXPECT_EQ(store->rates()->size(), 3u);
}

TEST_P(DuesStoreTest, ConcurrentPaymentsOfTheSameMonthsPayOnce) {
  auto pool = open_pool(2);
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&] {
      auto lease = pool->acquire();
      DuesStore s(*lease, clock);
      auto r = lease->transaction([&]() -> Result<void> {
        CHIDOAN_TRY_VOID(s.record_payment(branch_a, pay(binh, M(2021, 1), M(2021, 6)), now()));
        return {};
      });
      if (r) ++ok;
      else if (r.error().kind == ErrorKind::conflict) ++conflict;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 1);
  EXPECT_EQ(rows("dues_payments"), 1);
}

// ---- the bundle section ----

class DuesBundleTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15} + 3h};
  int64_t id_of(db::Connection& c, const std::string& code) { return (*org::Store(c, clock).org_by_code(code))->id; }
  std::vector<chidoan::bundle::Section> sections() { return {dues_bundle_section()}; }
};

TEST_P(DuesBundleTest, LoadDumpLoadDumpIsIdentical) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo_org_part(), sections()));
  int64_t branch = id_of(*conn, "VPUBND");
  org::Store os(*conn, clock);
  org::MemberQuery q;
  auto members = os.members(*os.org(branch), q, today(clock));
  ASSERT_GE(members->items.size(), 4u);
  DuesStore store(*conn, clock);
  Month now = month_of(today(clock));
  std::vector<org::Member> m;  // those in the branch since its founding, 01/04/2021
  for (const auto& x : members->items) {
    auto l = store.ledger(x.id);
    if (l && l->stays.back().branch_id == branch && l->stays.back().from_on == "2021-04-01") m.push_back(x);
  }
  ASSERT_GE(m.size(), 4u);
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_category(branch, CategoryInput{m[3].id, Category::unsalaried, Month::of(2021, 4)}));
    CHIDOAN_TRY_VOID(store.add_exemption(branch, ExemptionInput{m[2].id, Month::of(2021, 10), Month::of(2021, 12), "Gia đình khó khăn"}, now));
    for (size_t i = 0; i < m.size(); ++i)
      CHIDOAN_TRY_VOID(store.record_payment(branch, PaymentInput{m[i].id, Month::of(2021, 4), Month::of(2021, 12), std::nullopt, "2021-04-15",
                                                                 "BL-" + std::to_string(i), ""},
                                            now));
    CHIDOAN_TRY(p, store.record_payment(branch, PaymentInput{m[0].id, Month::of(2022, 1), Month::of(2022, 3), std::nullopt, "2021-12-20", "", ""}, now));
    CHIDOAN_TRY_VOID(store.reverse_payment(branch, p.id, ReversalInput{"2022-01-05", "Nộp nhầm"}));
    CHIDOAN_TRY_VOID(store.add_remittance(branch, RemittanceInput{Month::of(2021, 4), Month::of(2021, 6), std::nullopt, "2021-07-05", "Quý II"}, now));
    return {};
  }));
  auto first = org::bundle::dump(*conn, clock, id_of(*conn, "TW"), sections());
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->contains("dues"));
  const json& d = (*first)["dues"];
  EXPECT_EQ(d["categories"].size(), 1u);
  EXPECT_EQ(d["payments"].size(), m.size() + 1);
  EXPECT_EQ(d["reversals"].size(), 1u);
  EXPECT_EQ(d["reversals"][0]["payment"], d["payments"].back()["ref"]);
  EXPECT_EQ(d["remittances"][0]["to_org"], "DKCQ");

  auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  ASSERT_TRUE(fresh);
  auto other = db::Connection::open(fresh->url());
  ASSERT_TRUE(other);
  auto loaded = org::bundle::load(**other, clock, *first, sections());
  ASSERT_TRUE(loaded) << loaded.error().field << ": " << loaded.error().message;
  auto second = org::bundle::dump(**other, clock, id_of(**other, "TW"), sections());
  ASSERT_TRUE(second);
  EXPECT_EQ(first->dump(2), second->dump(2));
  // The figures agree too.
  auto b1 = store.book(branch, 2021, now);
  auto b2 = DuesStore(**other, clock).book(id_of(**other, "VPUBND"), 2021, now);
  EXPECT_EQ(b1->totals.collected, b2->totals.collected);
  EXPECT_EQ(b1->totals.remitted, b2->totals.remitted);
  other->reset();
}

TEST_P(DuesBundleTest, ErrorsNameTheJsonPathAndWriteNothing) {
  json base = demo_org_part();
  std::string ref = base["members"][0]["ref"];
  auto with = [&](json dues) {
    json d = base;
    d["dues"] = std::move(dues);
    return d;
  };
  json good_payment = {{"ref", "P1"}, {"member", ref}, {"branch", "VPUBND"}, {"from_month", "2021-04"}, {"to_month", "2021-06"},
                       {"amount", 15000}, {"paid_on", "2021-04-15"}};
  struct Case {
    const char* name;
    json dues;
    const char* path;
  };
  auto pay_with = [&](const char* key, json value) {
    json p = good_payment;
    p[key] = std::move(value);
    return json{{"payments", json::array({p})}};
  };
  std::vector<Case> cases = {
      {"unknown key", json{{"fees", json::array()}}, "$.dues.fees"},
      {"unknown member", pay_with("member", "M9999"), "$.dues.payments[0].member"},
      {"unknown branch", pay_with("branch", "NOPE"), "$.dues.payments[0].branch"},
      {"bad month", pay_with("from_month", "2021-13"), "$.dues.payments[0].from_month"},
      {"amount as text", pay_with("amount", "15000"), "$.dues.payments[0].amount"},
      {"unknown field", pay_with("cashier", "x"), "$.dues.payments[0].cashier"},
      {"wrong amount", pay_with("amount", 14000), "$.dues.payments[0].amount"},
      {"before joining", pay_with("from_month", "2021-03"), "$.dues.payments[0].from_month"},
      {"reversal of nothing", json{{"reversals", json::array({{{"payment", "P9"}, {"reversed_on", "2021-05-01"}, {"reason", "x"}}})}},
       "$.dues.reversals[0].payment"},
      {"seven exempt months",
       json{{"exemptions", json::array({{{"member", ref}, {"branch", "VPUBND"}, {"from_month", "2021-04"}, {"to_month", "2021-10"}, {"reason", "x"}}})}},
       "$.dues.exemptions[0].to_month"},
  };
  for (const auto& c : cases) {
    auto r = org::bundle::load(*conn, clock, with(c.dues), sections());
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().field, c.path) << c.name << ": " << r.error().message;
    EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM orgs"))->i64(0), 0) << c.name;
    EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM dues_payments"))->i64(0), 0) << c.name;
  }
  auto ok = org::bundle::load(*conn, clock, with(json{{"payments", json::array({good_payment})}}), sections());
  ASSERT_TRUE(ok) << ok.error().field << ": " << ok.error().message;
}

CHIDOAN_INSTANTIATE_DB_TEST(DuesStoreTest);
CHIDOAN_INSTANTIATE_DB_TEST(DuesBundleTest);

}  // namespace
}  // namespace chidoan::activity::dues
