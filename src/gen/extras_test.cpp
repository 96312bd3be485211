#include "gen/extras.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>

#include "activity/dues_store.hpp"
#include "blood/store.hpp"
#include "desk/kpi_rules.hpp"
#include "desk/kpi_store.hpp"
#include "fund/store.hpp"
#include "gen/province.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::gen {
namespace {

using namespace std::chrono_literals;

constexpr int kYear = 2021;

ProvinceSize small_size() {
  ProvinceSize s;
  s.districts = 2;
  s.branches = 6;
  s.members_per_branch = 20;
  s.units_per_branch = 2;
  s.activities_per_branch = 12;
  s.year = kYear;
  return s;
}

// Every table the generators write, in a fixed order of all their columns.
const std::vector<std::pair<std::string, std::string>>& tables() {
  static const std::vector<std::pair<std::string, std::string>> t = {
      {"members", "id"},
      {"member_periods", "id"},
      {"member_events", "id"},
      {"attendance", "activity_id, member_id"},
      {"dues_categories", "member_id, valid_from"},
      {"dues_payments", "id"},
      {"dues_paid_months", "member_id, month"},
      {"campaigns", "id"},
      {"campaign_rounds", "id"},
      {"contributions", "id"},
      {"contribution_sums", "campaign_id, round_no, kind, contributor_kind, unit_id, collected_by, item, unit"},
      {"outflows", "id"},
      {"blood_clubs", "id"},
      {"blood_donors", "id"},
      {"blood_consent_events", "id"},
      {"blood_donations", "id"},
      {"desk_centers", "id"},
      {"desk_counters", "id"},
      {"desk_procedures", "id"},
      {"desk_assists", "id"},
      {"desk_kpi_months", "center_id, month"},
      {"desk_kpi_targets", "center_id, year"},
  };
  return t;
}

// FNV-1a over every row of every table (ids included), with the row counts.
std::string digest(db::Connection& conn) {
  uint64_t h = 1469598103934665603ull;
  std::string counts;
  for (const auto& [table, order] : tables()) {
    auto rows = conn.query("SELECT * FROM " + table + " ORDER BY " + order);
    EXPECT_TRUE(rows) << table << ": " << rows.error().message;
    if (!rows) return "";
    counts += table + "=" + std::to_string(rows->size()) + " ";
    for (const auto& r : *rows)
      for (size_t i = 0; i < r.size(); ++i) {
        std::string v = r.is_null(i) ? std::string("\x01NULL") : r.str(i);
        v += '\x1f';
        for (unsigned char ch : v) h = (h ^ ch) * 1099511628211ull;
      }
  }
  return counts + std::to_string(h);
}

class GenExtrasTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{kYear + 1} / 1 / 15} + 3h};

  struct Made {
    ProvinceInfo province;
    ExtrasInfo extras;
  };

  // A small province with a year of extras on `c`.
  Made make(db::Connection& c, uint64_t seed, const ProvinceSize& size = small_size()) {
    Made m;
    auto p = generate_province(c, clock, seed, size, "TINH");
    EXPECT_TRUE(p) << p.error().message;
    if (!p) return m;
    m.province = *p;
    auto r = c.transaction([&]() -> Result<void> {
      CHIDOAN_TRY(x, add_extras(c, clock, seed, p->province_id, p->path, kYear));
      m.extras = x;
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return m;
  }

  int64_t count(const std::string& sql, const std::vector<db::Value>& params = {}) {
    auto r = conn->query_one(sql, params);
    EXPECT_TRUE(r) << sql << ": " << r.error().message;
    return r && *r ? (*r)->i64(0) : -1;
  }

  // Another fresh, migrated database of the same engine.
  std::pair<chidoan::testing::FreshDatabase, std::unique_ptr<db::Connection>> other() {
    auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
    EXPECT_TRUE(fresh) << fresh.error().message;
    auto c = db::Connection::open(fresh->url());
    EXPECT_TRUE(c) << c.error().message;
    return {std::move(*fresh), std::move(*c)};
  }
};

TEST_P(GenExtrasTest, CountsArePlausible) {
  Made m = make(*conn, 7);
  const ExtrasInfo& x = m.extras;
  const int64_t members = m.province.members;
  ASSERT_EQ(members, 120);
  EXPECT_GE(x.transfers, 1);
  EXPECT_LE(x.transfers, members / 10);
  EXPECT_GE(x.left, 1);
  EXPECT_LE(x.left, members / 20);
  EXPECT_GT(x.events, members);  // one each, and the year's moves and admissions
  EXPECT_EQ(x.events, count("SELECT COUNT(*) FROM member_events"));
  EXPECT_EQ(x.left, count("SELECT COUNT(*) FROM members WHERE status <> 'active'"));
  EXPECT_EQ(x.transfers, count("SELECT COUNT(*) FROM member_events WHERE kind = 'transfer_in'"));
  EXPECT_EQ(x.transfers, count("SELECT COUNT(*) FROM member_events WHERE kind = 'transfer_out' AND other_branch_id IS NOT NULL"));
  EXPECT_GE(count("SELECT COUNT(*) FROM member_events WHERE kind = 'admit' AND effective_on >= '2021-01-01'"), 1);
  // Most members pay every quarter: between 3 and 4 payments a member on average.
  EXPECT_GT(x.dues, members * 3);
  EXPECT_LE(x.dues, (members + 10) * 4 + x.transfers);
  EXPECT_EQ(x.dues, count("SELECT COUNT(*) FROM dues_payments"));
  EXPECT_EQ(x.campaigns, 2);
  EXPECT_GT(x.contributions, members / 3);
  EXPECT_EQ(x.contributions, count("SELECT COUNT(*) FROM contributions"));
  EXPECT_GE(x.donors, 1);
  EXPECT_LE(x.donors, members / 10);
  EXPECT_GT(x.desk_entries, 250 * 3);
  EXPECT_LT(x.desk_entries, 262 * 10);
  EXPECT_EQ(x.dossier_rows, 12);
  EXPECT_EQ(x.desk_entries, count("SELECT COUNT(*) FROM desk_assists"));
}

TEST_P(GenExtrasTest, LifecycleIsConsistent) {
  // Enough members for every way of leaving: 6 branches of 200.
  ProvinceSize size = small_size();
  size.members_per_branch = 200;
  Made m = make(*conn, 7, size);
  EXPECT_EQ(m.extras.left, 1200 * 15 / 1000);
  EXPECT_EQ(m.extras.transfers, 1200 * 30 / 1000);
  EXPECT_EQ(3, count("SELECT COUNT(DISTINCT status) FROM members WHERE status <> 'active'"));
  // Every member has an admission or entry event at the start of their first stay.
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_events e JOIN member_periods p "
                     "ON p.member_id = e.member_id AND p.from_on = e.effective_on AND p.branch_id = e.branch_id "
                     "WHERE e.member_id = m.id AND e.kind IN ('admit', 'enter'))"));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM members m JOIN member_events e ON e.member_id = m.id AND e.kind = 'admit' "
                     "WHERE e.effective_on <> m.joined_union_on"));
  // Periods never overlap; the open one is the current branch of an active member, and only theirs.
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM member_periods a JOIN member_periods b ON a.member_id = b.member_id AND a.id < b.id "
                     "AND a.from_on < COALESCE(b.to_on, '9999-12-31') AND b.from_on < COALESCE(a.to_on, '9999-12-31')"));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM member_periods WHERE to_on IS NOT NULL AND to_on <= from_on"));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM members m WHERE m.status = 'active' AND (SELECT COUNT(*) FROM member_periods p "
                     "WHERE p.member_id = m.id AND p.to_on IS NULL AND p.branch_id = m.branch_id) <> 1"));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM members m WHERE m.status <> 'active' AND EXISTS (SELECT 1 FROM member_periods p "
                     "WHERE p.member_id = m.id AND p.to_on IS NULL)"));
  // Statuses match the leaving events (org::Store::apply_lifecycle).
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM members m JOIN member_events e ON e.member_id = m.id WHERE "
                     "(e.kind = 'mature' AND m.status <> 'matured') OR (e.kind = 'remove' AND m.status <> 'removed') OR "
                     "(e.kind = 'transfer_out' AND e.other_branch_id IS NULL AND m.status <> 'transferred_out')"));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM member_events WHERE kind IN ('mature', 'remove', 'transfer_out') AND reason = ''"));
  // A moved member's unit is one of the new branch's; attendance follows the member.
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id WHERE u.org_id <> m.branch_id"));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM attendance a WHERE NOT EXISTS (SELECT 1 FROM member_periods p WHERE p.member_id = a.member_id "
                     "AND p.branch_id = a.branch_id AND p.from_on <= a.on_date AND (p.to_on IS NULL OR p.to_on > a.on_date))"));
  EXPECT_GT(count("SELECT COUNT(*) FROM attendance a JOIN member_events e ON e.member_id = a.member_id AND e.kind = 'transfer_in' "
                  "AND a.branch_id = e.branch_id"),
            0);
  // The year report's figures (review::members_part): joined and left in the year.
  EXPECT_GT(count("SELECT COUNT(*) FROM member_events WHERE effective_on >= '2021-01-01' AND effective_on <= '2021-12-31' "
                  "AND kind IN ('admit', 'enter', 'transfer_in')"),
            0);
  EXPECT_GT(count("SELECT COUNT(*) FROM member_events WHERE effective_on >= '2021-01-01' AND effective_on <= '2021-12-31' "
                  "AND kind IN ('transfer_out', 'mature', 'remove')"),
            0);
}

TEST_P(GenExtrasTest, DuesReadRightInTheBook) {
  Made m = make(*conn, 7);
  activity::dues::DuesStore dues(*conn, clock);
  using activity::dues::Month;
  int64_t book_paid = 0;
  for (int64_t b : m.province.branch_ids) {
    auto book = dues.book(b, kYear, Month::of(kYear + 1, 1));
    ASSERT_TRUE(book) << book.error().message;
    for (const auto& row : book->rows) book_paid += row.paid;
  }
  // Every month paid is one the book sees as owed to that branch, at the right rate.
  EXPECT_EQ(book_paid, count("SELECT COALESCE(SUM(amount), 0) FROM dues_paid_months"));
  EXPECT_EQ(book_paid, count("SELECT COALESCE(SUM(amount), 0) FROM dues_payments"));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM dues_payments d WHERE d.amount <> (SELECT SUM(x.amount) FROM dues_paid_months x "
                     "WHERE x.payment_id = d.id)"));
  EXPECT_GT(count("SELECT COUNT(*) FROM dues_paid_months WHERE amount = 2000"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM dues_paid_months WHERE amount = 5000"), 0);
  // The store accepts the same payments again: reverse a few (moved and admitted members
  // first) and record them anew with the generated amount.
  auto pays = conn->query("SELECT d.id, d.member_id, d.branch_id, d.from_month, d.to_month, d.amount, d.paid_on FROM dues_payments d "
                          "ORDER BY (SELECT COUNT(*) FROM member_events e WHERE e.member_id = d.member_id) DESC, d.id LIMIT 25");
  ASSERT_TRUE(pays);
  auto month = [](const std::string& s) { return Month::of(std::stoi(s.substr(0, 4)), static_cast<unsigned>(std::stoi(s.substr(5, 2)))); };
  for (const auto& p : *pays) {
    auto r = conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY_VOID(dues.reverse_payment(p.i64(2), p.i64(0), {"2022-01-10", "Kiểm tra"}));
      activity::dues::PaymentInput in{p.i64(1), month(p.str(3)), month(p.str(4)), p.i64(5), p.str(6), "", ""};
      CHIDOAN_TRY_VOID(dues.record_payment(p.i64(2), in, Month::of(kYear + 1, 1)));
      return {};
    });
    EXPECT_TRUE(r) << "payment " << p.i64(0) << ": " << r.error().message;
  }
}

TEST_P(GenExtrasTest, FundTotalsEqualTheLedger) {
  make(*conn, 7);
  fund::Store store(*conn, clock);
  auto ids = conn->query("SELECT id, last_receipt FROM campaigns ORDER BY id");
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), 2u);
  for (const auto& c : *ids) {
    const int64_t id = c.i64(0);
    auto t = store.totals(id);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_GT(t->money_vnd, 0);
    EXPECT_EQ(t->money_vnd, count("SELECT SUM(amount_vnd) FROM contributions WHERE campaign_id = ?1 AND kind = 'money'", {id}));
    EXPECT_EQ(t->entries, count("SELECT COUNT(*) FROM contributions WHERE campaign_id = ?1", {id}));
    EXPECT_FALSE(t->items.empty());
    int64_t goods = 0;
    for (const auto& i : t->items) goods += i.value_vnd;
    EXPECT_EQ(goods, count("SELECT SUM(value_vnd) FROM contributions WHERE campaign_id = ?1 AND kind = 'in_kind'", {id}));
    // Receipts are gapless, and the counter is where the next one starts.
    EXPECT_EQ(c.i64(1), count("SELECT COUNT(*) FROM contributions WHERE campaign_id = ?1", {id}));
    EXPECT_EQ(c.i64(1), count("SELECT COUNT(DISTINCT receipt_no) FROM contributions WHERE campaign_id = ?1 AND receipt_no BETWEEN 1 AND ?2",
                              {id, c.i64(1)}));
    auto camp = store.campaign(id);
    ASSERT_TRUE(camp) << camp.error().message;
    EXPECT_EQ(camp->rounds.size(), 2u);
    auto rounds = store.by_round(id);
    ASSERT_TRUE(rounds) << rounds.error().message;
    EXPECT_EQ(rounds->size(), 2u);
    // Every line within its campaign's dates; members' lines from members in that branch then.
    EXPECT_EQ(0, count("SELECT COUNT(*) FROM contributions x JOIN campaigns k ON k.id = x.campaign_id "
                       "WHERE x.on_date < k.starts_on OR x.on_date > k.ends_on"));
    EXPECT_EQ(0, count("SELECT COUNT(*) FROM contributions x WHERE x.member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM member_periods p "
                       "WHERE p.member_id = x.member_id AND p.branch_id = x.collected_by AND p.from_on <= x.on_date "
                       "AND (p.to_on IS NULL OR p.to_on > x.on_date))"));
  }
}

TEST_P(GenExtrasTest, BloodStoreListsTheDonors) {
  Made m = make(*conn, 7);
  blood::Store store(*conn, clock);
  auto clubs = store.clubs(m.province.province_id);
  ASSERT_TRUE(clubs) << clubs.error().message;
  ASSERT_EQ(clubs->size(), 1u);
  auto donors = store.donors(clubs->front().id);
  ASSERT_TRUE(donors) << donors.error().message;
  EXPECT_EQ(static_cast<int64_t>(donors->size()), m.extras.donors);
  const std::set<std::string> groups = {"", "O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"};
  for (const auto& d : *donors) {
    EXPECT_TRUE(groups.contains(d.group)) << d.group;
    EXPECT_FALSE(d.eligible_until.empty());
    EXPECT_TRUE(d.member_id.has_value());
  }
  // The derived columns are what blood::Store::refresh computes.
  auto before = conn->query("SELECT id, next_eligible_on, eligible_until, last_donation_on, last_donation_type, callable, contacts, "
                            "accepted, response_bp, last_contacted_at FROM blood_donors ORDER BY id");
  ASSERT_TRUE(before);
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    for (const auto& d : *donors) CHIDOAN_TRY_VOID(store.refresh(d.id));
    return {};
  }));
  auto after = conn->query("SELECT id, next_eligible_on, eligible_until, last_donation_on, last_donation_type, callable, contacts, "
                           "accepted, response_bp, last_contacted_at FROM blood_donors ORDER BY id");
  ASSERT_TRUE(after);
  ASSERT_EQ(before->size(), after->size());
  for (size_t i = 0; i < before->size(); ++i)
    for (size_t k = 0; k < (*before)[i].size(); ++k) EXPECT_EQ((*before)[i].str(k), (*after)[i].str(k)) << "donor row " << i << " col " << k;
  // Donations 84 days or more apart, none before the donor joined.
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM blood_donations a JOIN blood_donations b ON a.donor_id = b.donor_id AND a.id < b.id "
                     "AND a.on_date = b.on_date"));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM blood_donations x JOIN blood_donors d ON d.id = x.donor_id WHERE x.on_date < d.consent_join_on"));
}

TEST_P(GenExtrasTest, BloodGroupsFollowThePopulation) {
  // Enough members for the shares to show: 6 branches of 200.
  ProvinceSize s = small_size();
  s.members_per_branch = 200;
  s.activities_per_branch = 0;
  auto p = generate_province(*conn, clock, 11, s, "TINH");
  ASSERT_TRUE(p) << p.error().message;
  ExtrasInfo x;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(got, add_extras(*conn, clock, 11, p->province_id, p->path, kYear));
    x = got;
    return {};
  }));
  EXPECT_GE(x.donors, 1200 * 3 / 100);
  EXPECT_LE(x.donors, 1200 * 5 / 100);
  const int64_t tested = count("SELECT COUNT(*) FROM blood_donors WHERE blood_group IS NOT NULL");
  const int64_t o = count("SELECT COUNT(*) FROM blood_donors WHERE blood_group LIKE 'O%'");
  const int64_t ab = count("SELECT COUNT(*) FROM blood_donors WHERE blood_group LIKE 'AB%'");
  ASSERT_GT(tested, 30);
  EXPECT_GT(o * 100, tested * 25);
  EXPECT_LT(o * 100, tested * 60);
  EXPECT_LT(ab * 100, tested * 20);
}

TEST_P(GenExtrasTest, DeskKpiComputes) {
  make(*conn, 7);
  desk::KpiStore kpi(*conn, clock);
  auto centers = conn->query("SELECT id, org_id FROM desk_centers ORDER BY id");
  ASSERT_TRUE(centers);
  ASSERT_EQ(centers->size(), 1u);
  const int64_t org = (*centers)[0].i64(1);
  auto months = kpi.org_months(org, kYear);
  ASSERT_TRUE(months) << months.error().message;
  ASSERT_EQ(months->size(), 12u);
  int64_t online = 0, received = 0, assisted = 0;
  for (const auto& m : *months) {
    EXPECT_TRUE(desk::kpi::check_figures(m, kYear)) << m.month;
    online += m.online();
    received += m.received;
    assisted += m.assisted;
  }
  auto rate = desk::kpi::ratio_bp(online, received);
  ASSERT_TRUE(rate.has_value());
  EXPECT_GT(*rate, 2500);
  EXPECT_LT(*rate, 7000);
  auto target = kpi.org_target(org, kYear);
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(*target, std::optional<int64_t>(3000));
  EXPECT_EQ(assisted, count("SELECT COUNT(*) FROM desk_assists"));
  // The log's volunteers are active members of the desk's branch; procedures are the center's.
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM desk_assists a JOIN members m ON m.id = a.member_id WHERE m.branch_id <> ?1", {org}));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM desk_assists a JOIN desk_procedures p ON p.id = a.procedure_id WHERE p.center_id <> a.center_id"));
  EXPECT_EQ(0, count("SELECT COUNT(*) FROM desk_assists WHERE (outcome = 'submitted') <> (step_submitted = 1)"));
}

TEST_P(GenExtrasTest, SameSeedSameData) {
  Made a = make(*conn, 7);
  ASSERT_GT(a.extras.events, 0);
  const std::string first = digest(*conn);
  auto [db2, c2] = other();
  make(*c2, 7);
  EXPECT_EQ(first, digest(*c2));
  auto [db3, c3] = other();
  make(*c3, 8);
  EXPECT_NE(first, digest(*c3));
  c2.reset();
  c3.reset();
}

CHIDOAN_INSTANTIATE_DB_TEST(GenExtrasTest);

}  // namespace
}  // namespace chidoan::gen
