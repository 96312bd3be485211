#include "blood/store.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/results.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::blood {
namespace {

using chidoan::testing::ignore_value;
using namespace std::chrono_literals;

Date d(const char* iso) { return *parse_date(iso); }

class BloodStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    // The demo roll holds dates up to the end of 2021: loaded with a clock after them.
    FixedClock year_end{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
    auto loaded = org::bundle::load(*conn, year_end, chidoan::testing::demo_bundle());
    ASSERT_TRUE(loaded) << loaded.error().message;
    branch = **org::Store(*conn, clock).org_by_code("VPUBND");
    store = std::make_unique<Store>(*conn, clock);
    auto user = conn->insert_id(
        "INSERT INTO users (username, password_hash, role, org_id, display_name, created_at) VALUES ('sangpv', 'x', 'branch_secretary', ?1, "
        "'Phan Văn Sang', 0) RETURNING id",
        {branch.id});
    ASSERT_TRUE(user) << user.error().message;
    coordinator = *user;
    ASSERT_TRUE(tx([&]() -> Result<void> {
      CHIDOAN_TRY(id, store->create_club(branch.id, "CLB Máu sống – Máu hiếm"));
      club_id = id;
      return {};
    }));
  }

  Result<void> tx(const std::function<Result<void>()>& fn) { return conn->transaction(fn); }
  template <typename T>
  Result<T> in_tx(const std::function<Result<T>()>& fn) {
    std::optional<T> value;
    auto r = conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(v, fn());
      value = std::move(v);
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return std::move(*value);
  }

  DonorInput outsider(const char* name, const char* group, const char* district = "Đức Trọng") {
    DonorInput in;
    in.name = name;
    in.phone = "+84912345678";
    in.sex = "male";
    in.birth_date = "1990-05-15";
    in.weight_class = ">=50";
    in.group = group;
    in.district = district;
    in.on_call = true;
    in.consent_health = in.consent_call = in.consent_location = true;
    in.consented_on = "2021-04-01";
    return in;
  }
  // The profile of `x` as a form, with another group.
  static DonorInput after_input(const Donor& x, const char* group) {
    DonorInput in;
    in.name = x.name;
    in.phone = x.phone;
    in.sex = x.sex;
    in.birth_date = x.birth_date;
    in.weight_class = x.weight_class;
    in.group = group;
    in.phenotype = x.phenotype;
    in.phenotype_tested_on = x.phenotype_tested_on;
    in.phenotype_lab = x.phenotype_lab;
    in.district = x.district;
    in.commune = x.commune;
    in.on_call = x.on_call;
    in.availability = x.availability;
    return in;
  }
  int64_t add(const DonorInput& in) {
    auto id = in_tx<int64_t>([&] { return store->register_donor(club_id, in); });
    EXPECT_TRUE(id) << (id ? "" : id.error().field + ": " + id.error().message);
    return id ? *id : 0;
  }
  Result<Store::Recorded> donate(int64_t donor, const char* on, const char* type = "whole_blood", const char* override_reason = "") {
    DonationInput in{on, type, std::string(type) == "whole_blood" ? 350 : 0, "Bệnh viện Đa khoa tỉnh Lâm Đồng", override_reason};
    return in_tx<Store::Recorded>([&] { return store->record_donation(donor, in); });
  }
  RequestInput request(const char* group = "A+", const char* component = "red_cells") {
    RequestInput in;
    in.hospital = "Bệnh viện Đa khoa tỉnh Lâm Đồng";
    in.recipient_group = group;
    in.component = component;
    in.units = 2;
    in.needed_by = "2021-06-10";
    in.district = "Đức Trọng";
    in.contact_name = "BS. Trần Thị Mai";
    in.contact_phone = "+842633822152";
    return in;
  }
  int64_t open_request(const RequestInput& in) {
    auto id = in_tx<int64_t>([&] { return store->create_request(club_id, in, coordinator); });
    EXPECT_TRUE(id) << (id ? "" : id.error().field + ": " + id.error().message);
    return id ? *id : 0;
  }
  Result<Store::CallLogged> call(int64_t request_id, int64_t donor, const char* outcome, const char* override_reason = "") {
    CallInput in;
    in.outcome = outcome;
    in.override_reason = override_reason;
    return in_tx<Store::CallLogged>([&] { return store->log_call(request_id, donor, in, coordinator); });
  }
  std::vector<int64_t> matched(int64_t request_id, size_t limit = 100) {
    auto m = store->match(request_id, limit);
    EXPECT_TRUE(m) << (m ? "" : m.error().message);
    std::vector<int64_t> ids;
    if (m)
      for (const auto& x : *m) ids.push_back(x.donor_id);
    return ids;
  }
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }

  // 08/06/2021, 10:00 in Vietnam.
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 6 / 8} + 3h};
  std::unique_ptr<Store> store;
  org::Org branch;
  int64_t club_id = 0;
  int64_t coordinator = 0;
};

TEST_P(BloodStoreTest, ClubsBelongToAnOrg) {
  auto c = *store->club(club_id);
  EXPECT_EQ(c.org_id, branch.id);
  EXPECT_EQ(store->clubs(branch.id)->size(), 1u);
  EXPECT_EQ(store->clubs()->size(), 1u);
  EXPECT_EQ(store->club(999999).error().kind, ErrorKind::not_found);
  auto twice = tx([&] { return ignore_value(store->create_club(branch.id, "CLB Máu sống – Máu hiếm")); });
  EXPECT_EQ(twice.error().field, "name");
}

TEST_P(BloodStoreTest, RegistersMembersFromTheRollAndOutsiders) {
  auto m = *conn->query_one("SELECT id, family_name, given_name, sex, birth_date, phone FROM members WHERE branch_id = ?1 ORDER BY id LIMIT 1", {branch.id});
  DonorInput member;
  member.member_id = m->i64(0);
  member.weight_class = "45-50";
  member.consented_on = "2021-04-01";
  int64_t a = add(member);
  auto donor = *store->donor(a);
  EXPECT_TRUE(donor.name.starts_with(m->str(1)));
  EXPECT_TRUE(donor.name.ends_with(m->str(2)));
  EXPECT_EQ(donor.sex, m->str(3));
  EXPECT_EQ(donor.birth_date, m->str(4));
  EXPECT_EQ(donor.phone, m->str(5));  // the roll's
  EXPECT_EQ(donor.group, "");
  EXPECT_EQ(donor.consent_join_on, "2021-04-01");
  EXPECT_EQ(donor.consent_health_on, "");
  auto twice = in_tx<int64_t>([&] { return store->register_donor(club_id, member); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  EXPECT_EQ(twice.error().field, "member_id");

  int64_t b = add(outsider("Nguyễn Văn Hùng", "O-"));
  auto o = *store->donor(b);
  EXPECT_EQ(o.name, "Nguyễn Văn Hùng");
  EXPECT_EQ(o.group, "O-");
  EXPECT_EQ(o.district, "Đức Trọng");
  EXPECT_EQ(o.next_eligible_on, "2008-05-15");  // the 18th birthday: never donated
  EXPECT_EQ(o.eligible_until, "2051-05-15");
  EXPECT_EQ(store->donors(club_id)->size(), 2u);
  EXPECT_EQ(store->consent_events(club_id)->size(), 5u);  // join; join, health, call, location
}

TEST_P(BloodStoreTest, BadInputIsRefusedNamingTheFieldAndChangesNothing) {
  int64_t donor = add(outsider("Trần Văn Bình", "A+"));
  ASSERT_TRUE(donate(donor, "2021-05-01"));
  int64_t donors = count("blood_donors"), donations = count("blood_donations"), requests = count("blood_requests"), events = count("blood_consent_events");
  auto expect_invalid = [&](const Result<void>& r, const char* field) {
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid) << field;
    EXPECT_EQ(r.error().field, field) << r.error().message;
    EXPECT_FALSE(r.error().message.empty());
  };
  for (auto [group, weight, birth, field] : {std::tuple{"C+", ">=50", "1990-05-15", "blood_group"}, {"AB", ">=50", "1990-05-15", "blood_group"},
                                            {"A+", "heavy", "1990-05-15", "weight_class"}, {"A+", ">=50", "2030-01-01", "birth_date"},
                                            {"A+", ">=50", "1899-01-01", "birth_date"}}) {
    auto in = outsider("Lê Thị Cúc", group);
    in.weight_class = weight;
    in.birth_date = birth;
    expect_invalid(tx([&] { return ignore_value(store->register_donor(club_id, in)); }), field);
  }
  auto no_health = outsider("Lê Thị Cúc", "B+");
  no_health.consent_health = false;
  expect_invalid(tx([&] { return ignore_value(store->register_donor(club_id, no_health)); }), "blood_group");
  expect_invalid(ignore_value(donate(donor, "2021-06-09")), "on_date");                 // in the future
  expect_invalid(ignore_value(donate(donor, "1989-01-01", "plasma")), "on_date");        // before birth
  expect_invalid(ignore_value(donate(donor, "2021-06-01")), "on_date");                 // inside 12 weeks
  auto zero = request();
  zero.units = 0;
  expect_invalid(tx([&] { return ignore_value(store->create_request(club_id, zero, coordinator)); }), "units");
  auto blood = request();
  blood.component = "blood";
  expect_invalid(tx([&] { return ignore_value(store->create_request(club_id, blood, coordinator)); }), "component");
  auto ab = request("AB");
  expect_invalid(tx([&] { return ignore_value(store->create_request(club_id, ab, coordinator)); }), "recipient_group");
  EXPECT_EQ(count("blood_donors"), donors);
  EXPECT_EQ(count("blood_donations"), donations);
  EXPECT_EQ(count("blood_requests"), requests);
  EXPECT_EQ(count("blood_consent_events"), events);
}

TEST_P(BloodStoreTest, WithdrawingAConsentClearsItsDataAtOnce) {
  auto in = outsider("Phạm Thị Dung", "O-");
  in.phenotype = "--+-??????????";
  in.phenotype_tested_on = "2021-03-01";
  in.phenotype_lab = "Viện Huyết học – Truyền máu Trung ương";
  int64_t donor = add(in);
  ASSERT_TRUE(in_tx<int64_t>([&] { return store->record_deferral(donor, DeferralInput{"months_6", "2021-05-01", ""}); }));
  EXPECT_EQ(store->donor(donor)->next_eligible_on, "2021-11-01");
  int64_t req = open_request(request("O-"));
  ASSERT_TRUE(tx([&] { return ignore_value(store->delete_deferral(store->deferrals_of(donor)->at(0).id)); }));
  EXPECT_EQ(matched(req), std::vector<int64_t>{donor});
  ASSERT_TRUE(in_tx<int64_t>([&] { return store->record_deferral(donor, DeferralInput{"days_7", "2021-06-08", ""}); }));
  EXPECT_TRUE(matched(req).empty());  // deferred until 15/06

  ASSERT_TRUE(tx([&] { return store->withdraw_consent(donor, Consent::health, "2021-06-08"); }));
  auto after = *store->donor(donor);
  EXPECT_EQ(after.group, "");
  EXPECT_EQ(after.phenotype, kUnknownPhenotype);
  EXPECT_EQ(after.phenotype_tested_on, "");
  EXPECT_EQ(after.phenotype_lab, "");
  EXPECT_EQ(after.consent_health_on, "");
  EXPECT_TRUE(store->deferrals_of(donor)->empty());
  EXPECT_EQ(count("blood_deferrals"), 0);
  // Stored nowhere: not even in the row's columns.
  auto raw = *conn->query_one("SELECT blood_group, phenotype_tested_on FROM blood_donors WHERE id = ?1", {donor});
  EXPECT_TRUE(raw->is_null(0));
  EXPECT_TRUE(raw->is_null(1));
  // Without the consent, no group and no deferral can be written.
  auto regroup = after_input(after, "O-");
  auto refused = tx([&] { return store->update_donor(donor, regroup); });
  EXPECT_EQ(refused.error().field, "blood_group");
  auto deferral = in_tx<int64_t>([&] { return store->record_deferral(donor, DeferralInput{"days_7", "2021-06-01", ""}); });
  EXPECT_EQ(deferral.error().kind, ErrorKind::conflict);
  // Given again, the group is entered again and the donor is matched again.
  ASSERT_TRUE(tx([&] { return store->give_consent(donor, Consent::health, "2021-06-08"); }));
  EXPECT_TRUE(matched(req).empty());  // the group is unknown now
  ASSERT_TRUE(tx([&] { return store->update_donor(donor, regroup); }));
  EXPECT_EQ(matched(req), std::vector<int64_t>{donor});

  ASSERT_TRUE(tx([&] { return store->withdraw_consent(donor, Consent::location, "2021-06-08"); }));
  EXPECT_EQ(store->donor(donor)->district, "");
  EXPECT_EQ(store->donor(donor)->commune, "");
  auto located = after_input(*store->donor(donor), "O-");
  located.district = "Lạc Dương";
  EXPECT_EQ(tx([&] { return store->update_donor(donor, located); }).error().field, "district");

  ASSERT_TRUE(tx([&] { return store->withdraw_consent(donor, Consent::call, "2021-06-08"); }));
  EXPECT_TRUE(matched(req).empty());
  EXPECT_EQ(call(req, donor, "accepted").error().kind, ErrorKind::conflict);

  auto events = *store->consent_events(club_id);
  EXPECT_EQ(std::count_if(events.begin(), events.end(), [](const auto& e) { return !e.given; }), 3);

  ASSERT_TRUE(donate(donor, "2021-01-10"));
  ASSERT_TRUE(tx([&] { return store->withdraw_consent(donor, Consent::join, "2021-06-08"); }));
  EXPECT_EQ(store->donor(donor).error().kind, ErrorKind::not_found);
  for (const char* table : {"blood_donors", "blood_donations", "blood_deferrals", "blood_consent_events", "blood_calls", "blood_reminders"})
    EXPECT_EQ(count(table), 0) << table;
  auto s = *store->stats(club_id);
  ASSERT_EQ(s.donations_by_year.size(), 1u);  // the aggregate survives, nothing else
  EXPECT_EQ(s.donations_by_year[0].year, 2021);
  EXPECT_EQ(s.donations_by_year[0].donations, 1);
}

TEST_P(BloodStoreTest, DonationHistoryKeepsTheNextEligibleDate) {
  int64_t donor = add(outsider("Võ Văn Em", "B+"));
  ASSERT_TRUE(donate(donor, "2020-11-20"));
  ASSERT_TRUE(donate(donor, "2021-03-10"));
  auto x = *store->donor(donor);
  EXPECT_EQ(x.last_donation_on, "2021-03-10");
  EXPECT_EQ(x.last_donation_type, "whole_blood");
  EXPECT_EQ(x.next_eligible_on, "2021-06-02");
  auto e = *store->eligibility(donor, d("2021-06-01"));
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.reasons.at(0), "Lần hiến gần nhất 10/03/2021 (máu toàn phần): cách 12 tuần, từ 02/06/2021");
  EXPECT_TRUE(store->eligibility(donor, d("2021-06-02"))->eligible);
  // Inside the interval: refused without a reason, recorded with one (returned for the audit).
  auto early = donate(donor, "2021-04-01", "plasma");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().field, "on_date");
  auto overridden = donate(donor, "2021-04-01", "plasma", "Bệnh viện cần gấp, bác sĩ đồng ý");
  ASSERT_TRUE(overridden);
  EXPECT_EQ(overridden->override_reason, "Bệnh viện cần gấp, bác sĩ đồng ý");
  auto normal = donate(donor, "2021-06-01", "plasma", "không cần");
  ASSERT_TRUE(normal);
  EXPECT_EQ(normal->override_reason, "");  // no override needed, nothing to audit
  EXPECT_EQ(store->donor(donor)->next_eligible_on, "2021-06-15");
  auto history = *store->donations_of(donor);
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[0].on_date, "2020-11-20");
  EXPECT_EQ(history[0].volume_ml, 350);
  EXPECT_EQ(history[3].type, "plasma");
  EXPECT_EQ(history[3].volume_ml, 0);
  ASSERT_TRUE(tx([&] { return store->delete_donation(history[3].id); }));
  EXPECT_EQ(store->donor(donor)->next_eligible_on, "2021-04-15");
  EXPECT_EQ(store->donations(club_id)->size(), 3u);
}

TEST_P(BloodStoreTest, DeferralsMoveTheNextEligibleDate) {
  int64_t donor = add(outsider("Đặng Thị Giang", "A-"));
  auto bad = in_tx<int64_t>([&] { return store->record_deferral(donor, DeferralInput{"custom", "2021-06-01", "2021-05-01"}); });
  EXPECT_EQ(bad.error().field, "ends_on");
  auto future = in_tx<int64_t>([&] { return store->record_deferral(donor, DeferralInput{"days_7", "2021-06-09", ""}); });
  EXPECT_EQ(future.error().field, "starts_on");
  ASSERT_TRUE(in_tx<int64_t>([&] { return store->record_deferral(donor, DeferralInput{"weeks_4", "2021-06-01", ""}); }));
  auto list = *store->deferrals_of(donor);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].ends_on, "2021-06-29");
  EXPECT_EQ(store->donor(donor)->next_eligible_on, "2021-06-29");
  EXPECT_FALSE(store->eligibility(donor, d("2021-06-28"))->eligible);
  EXPECT_TRUE(store->eligibility(donor, d("2021-06-29"))->eligible);
  EXPECT_EQ(store->deferrals(club_id)->size(), 1u);
}

TEST_P(BloodStoreTest, MatchingOrderAndFilters) {
  auto with_stats = [&](int64_t donor, int64_t contacts, int64_t accepted, int64_t last) {
    ASSERT_TRUE(conn->execute("UPDATE blood_donors SET contacts = ?2, accepted = ?3, response_bp = ?4, last_contacted_at = ?5 WHERE id = ?1",
                              {donor, contacts, accepted, rules::response_bp(contacts, accepted), last}));
  };
  int64_t o_neg_here = add(outsider("Một", "O-"));
  int64_t a_pos_there = add(outsider("Hai", "A+", "Lạc Dương"));
  int64_t a_pos_low = add(outsider("Ba", "A+"));
  with_stats(a_pos_low, 4, 1, 1600000000);
  int64_t a_pos_high = add(outsider("Bốn", "A+"));
  with_stats(a_pos_high, 4, 4, 1620000000);
  int64_t a_pos_high_older = add(outsider("Năm", "A+"));
  with_stats(a_pos_high_older, 4, 4, 1610000000);
  int64_t b_pos = add(outsider("Sáu", "B+"));  // incompatible
  int64_t o_pos_there = add(outsider("Bảy", "O+", "Lạc Dương"));
  int64_t recent = add(outsider("Tám", "A+"));  // donated 01/05: not eligible on 10/06
  ASSERT_TRUE(donate(recent, "2021-05-01"));
  auto off = outsider("Chín", "A+");
  off.on_call = false;
  add(off);
  auto no_call = outsider("Mười", "A+");
  no_call.consent_call = false;
  add(no_call);
  auto unknown = outsider("Mười một", "");
  unknown.group = "";
  add(unknown);
  auto light = outsider("Mười hai", "A+");
  light.weight_class = "42-45";  // a man under 45 kg
  add(light);

  int64_t req = open_request(request("A+"));
  auto result = *store->match(req);
  std::vector<int64_t> ids;
  for (const auto& m : result) ids.push_back(m.donor_id);
  // The rare O− donor after O+, though O− lives in the district: kept for RhD− patients.
  EXPECT_EQ(ids, (std::vector<int64_t>{a_pos_high_older, a_pos_high, a_pos_low, a_pos_there, o_pos_there, o_neg_here}));
  EXPECT_EQ(result[0].group, "A+");
  EXPECT_TRUE(result[0].exact);
  EXPECT_EQ(result[0].eligible_from, "2021-06-08");
  EXPECT_EQ(result[0].rank_reasons.at(0), "Cùng nhóm máu A+");
  // The limit keeps the best ones.
  EXPECT_EQ(matched(req, 2), (std::vector<int64_t>{a_pos_high_older, a_pos_high}));
  EXPECT_EQ(matched(req, 5), std::vector<int64_t>(ids.begin(), ids.begin() + 5));
  EXPECT_TRUE(matched(req, 0).empty());
  // A later needed-by date brings the recent donor back (from 24/07).
  auto later = request("A+");
  later.needed_by = "2021-07-24";
  auto back = matched(open_request(later));
  EXPECT_NE(std::find(back.begin(), back.end(), recent), back.end());
  // Required antigen negatives: unknown does not match.
  auto kneg = request("A+");
  kneg.antigen_negatives = {"K"};
  EXPECT_TRUE(matched(open_request(kneg)).empty());
  auto typed = after_input(*store->donor(a_pos_there), "A+");
  typed.phenotype = kUnknownPhenotype;
  typed.phenotype[static_cast<size_t>(Antigen::K)] = '-';
  typed.phenotype_tested_on = "2021-01-01";
  ASSERT_TRUE(tx([&] { return store->update_donor(a_pos_there, typed); }));
  EXPECT_EQ(matched(open_request(kneg)), std::vector<int64_t>{a_pos_there});
  // O− recipients: O− donors only.
  EXPECT_EQ(matched(open_request(request("O-"))), std::vector<int64_t>{o_neg_here});
  // Without a district: no district tiers.
  auto anywhere = request("A+");
  anywhere.district = "";
  // Never called (5000) ranks above 1 of 4 (3333).
  EXPECT_EQ(matched(open_request(anywhere)), (std::vector<int64_t>{a_pos_high_older, a_pos_high, a_pos_there, a_pos_low, o_pos_there, o_neg_here}));
  // Platelets: the patient's own group first, then any ABO of the right RhD (identical preferred).
  auto platelets = request("B+", "platelets");
  platelets.district = "";
  auto plt = matched(open_request(platelets));
  ASSERT_FALSE(plt.empty());
  EXPECT_EQ(plt.front(), b_pos);
  EXPECT_NE(std::find(plt.begin(), plt.end(), a_pos_high), plt.end());
  EXPECT_NE(std::find(plt.begin(), plt.end(), o_neg_here), plt.end());
  // The first request, still open on 25/07, past its day: matched for today, so the recent donor
  // (eligible again from 24/07) is called too.
  EXPECT_EQ(std::find(ids.begin(), ids.end(), recent), ids.end());
  clock.advance(std::chrono::days(47));
  auto still_open = matched(req);
  EXPECT_NE(std::find(still_open.begin(), still_open.end(), recent), still_open.end());
}

TEST_P(BloodStoreTest, CallLogRevealsThePhoneOnlyAfterAcceptance) {
  int64_t donor = add(outsider("Hoàng Văn Khoa", "O+"));
  int64_t other = add(outsider("Lý Thị Lan", "O+"));
  int64_t req = open_request(request("O+", "whole_blood"));
  auto forbidden = [&](int64_t who) {
    auto r = in_tx<std::string>([&] { return store->reveal_phone(req, who); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::forbidden);
  };
  forbidden(donor);
  ASSERT_TRUE(call(req, donor, "no_answer"));
  forbidden(donor);
  clock.advance(10min);
  ASSERT_TRUE(call(req, donor, "accepted"));
  EXPECT_EQ(*in_tx<std::string>([&] { return store->reveal_phone(req, donor); }), "+84912345678");
  forbidden(other);
  clock.advance(10min);
  ASSERT_TRUE(call(req, donor, "declined"));  // changed their mind: the latest outcome counts
  forbidden(donor);
  auto x = *store->donor(donor);
  EXPECT_EQ(x.contacts, 1);  // one request
  EXPECT_EQ(x.accepted, 1);
  EXPECT_EQ(x.last_contacted_at, clock.unix_seconds());
  EXPECT_EQ(store->calls(req)->size(), 3u);
  EXPECT_EQ(call(req, donor, "maybe").error().field, "outcome");

  // "donated" records the donation (type from the component, today, at the hospital).
  auto logged = call(req, other, "donated");
  ASSERT_TRUE(logged) << logged.error().message;
  ASSERT_TRUE(logged->donation_id);
  auto donation = store->donations_of(other)->at(0);
  EXPECT_EQ(donation.on_date, "2021-06-08");
  EXPECT_EQ(donation.type, "whole_blood");
  EXPECT_EQ(donation.volume_ml, 350);
  EXPECT_EQ(donation.request_id, req);
  EXPECT_EQ(*in_tx<std::string>([&] { return store->reveal_phone(req, other); }), "+84912345678");
  EXPECT_EQ(store->donor(other)->next_eligible_on, "2021-08-31");
  // A second donation the same day is inside the interval: refused without a reason.
  int64_t req2 = open_request(request("O+", "plasma"));
  auto again = call(req2, other, "donated");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().field, "on_date");
  EXPECT_EQ(store->calls(req2)->size(), 0u);
  auto forced = call(req2, other, "donated", "Bác sĩ chỉ định");
  ASSERT_TRUE(forced);
  EXPECT_EQ(forced->override_reason, "Bác sĩ chỉ định");
  // A cancelled request takes no more calls and reveals nothing.
  ASSERT_TRUE(tx([&] { return store->set_request_status(req, RequestStatus::cancelled); }));
  EXPECT_EQ(call(req, donor, "accepted").error().kind, ErrorKind::conflict);
  EXPECT_EQ(in_tx<std::string>([&] { return store->reveal_phone(req, other); }).error().kind, ErrorKind::conflict);
  EXPECT_EQ(store->calls_of_club(club_id)->size(), 5u);
}

TEST_P(BloodStoreTest, RemindersAreDueFromTheEligibleDateForAWeekAndSentOnce) {
  int64_t a = add(outsider("An", "A+"));
  ASSERT_TRUE(donate(a, "2021-03-16"));  // + 12 weeks = 08/06
  auto quiet_in = outsider("Bình", "A+");
  quiet_in.consent_call = false;
  int64_t quiet = add(quiet_in);
  ASSERT_TRUE(donate(quiet, "2021-03-16"));
  int64_t deferred = add(outsider("Cường", "B+"));
  ASSERT_TRUE(in_tx<int64_t>([&] { return store->record_deferral(deferred, DeferralInput{"custom", "2021-06-01", "2021-06-08"}); }));
  add(outsider("Dũng", "O+"));  // never donated
  auto due = *store->due_reminders(club_id, d("2021-06-08"));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].donor_id, a);
  EXPECT_EQ(due[0].name, "An");
  EXPECT_EQ(due[0].due_on, "2021-06-08");
  EXPECT_EQ(due[1].donor_id, deferred);
  EXPECT_TRUE(store->due_reminders(club_id, d("2021-06-07"))->empty());
  // A server down on the day catches up within the week, not later.
  EXPECT_EQ(store->due_reminders(club_id, d("2021-06-14"))->size(), 2u);
  EXPECT_TRUE(store->due_reminders(club_id, d("2021-06-15"))->empty());
  ASSERT_TRUE(tx([&] { return store->mark_reminder_sent(a, "2021-06-08"); }));
  EXPECT_EQ(store->due_reminders(club_id, d("2021-06-08"))->size(), 1u);
  EXPECT_EQ(store->due_reminders(club_id, d("2021-06-12"))->size(), 1u);
  auto twice = tx([&] { return store->mark_reminder_sent(a, "2021-06-08"); });
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
}

TEST_P(BloodStoreTest, Statistics) {
  int64_t a = add(outsider("An", "A+"));
  add(outsider("Bình", "A+"));
  add(outsider("Cường", "O-"));
  add(outsider("Dũng", ""));
  ASSERT_TRUE(donate(a, "2020-10-01"));
  ASSERT_TRUE(donate(a, "2021-03-01"));
  int64_t req = open_request(request());
  open_request(request());
  ASSERT_TRUE(tx([&] { return store->set_request_status(req, RequestStatus::served); }));
  auto s = *store->stats(club_id);
  EXPECT_EQ(s.donors, 4);
  EXPECT_EQ(s.on_call, 4);
  ASSERT_EQ(s.donors_by_group.size(), 3u);
  EXPECT_EQ(s.donors_by_group[0].group, "O-");
  EXPECT_EQ(s.donors_by_group[1].group, "A+");
  EXPECT_EQ(s.donors_by_group[1].donors, 2);
  EXPECT_EQ(s.donors_by_group[2].group, "");
  ASSERT_EQ(s.donations_by_year.size(), 2u);
  EXPECT_EQ(s.donations_by_year[0].year, 2020);
  EXPECT_EQ(s.requests_served, 1);
  EXPECT_EQ(s.requests_open, 1);
  EXPECT_EQ(store->requests(club_id)->size(), 2u);
  auto r = *store->request(req);
  EXPECT_EQ(r.status, "served");
  EXPECT_EQ(r.contact_phone, "+842633822152");
}

// The consent property on storage: random donors, consents, donations and deferrals written
// through the store, random requests; every match has the three consents, is on call, compatible,
// lacks the required antigens and is eligible on the needed-by date by the full rules; and every
// such donor is matched.
TEST_P(BloodStoreTest, PropertyMatchesOnlyConsentingEligibleDonors) {
  std::mt19937 rng(2021);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* districts[] = {"", "Đức Trọng", "Lạc Dương"};
  const char* weights[] = {"<42", "42-45", "45-50", ">=50"};
  for (int i = 0; i < 60; ++i) {
    DonorInput in;
    in.name = "Người " + std::to_string(i);
    in.phone = "+84912345678";
    in.sex = pick(2) ? "male" : "female";
    in.birth_date = to_iso(rules::add_days(d("1960-01-01"), pick(365 * 46)));
    in.weight_class = weights[pick(4)];
    in.consent_health = pick(4) != 0;
    in.consent_call = pick(3) != 0;
    in.consent_location = pick(2) != 0;
    in.on_call = pick(4) != 0;
    if (in.consent_health && pick(6)) in.group = rules::to_string(kAllGroups[static_cast<size_t>(pick(8))]);
    if (in.consent_health && pick(2)) {
      for (char& ch : in.phenotype) ch = "+-?"[pick(3)];
      in.phenotype_tested_on = "2021-01-01";
    }
    if (in.consent_location) in.district = districts[pick(3)];
    in.consented_on = "2021-01-01";
    int64_t id = add(in);
    if (pick(2)) {
      std::string on = to_iso(rules::add_days(d("2021-01-01"), pick(150)));
      ASSERT_TRUE(donate(id, on.c_str(), pick(2) ? "whole_blood" : "platelets", "x"));
    }
    if (in.consent_health && pick(3) == 0) {
      DeferralInput deferral{"custom", to_iso(rules::add_days(d("2021-05-01"), pick(30))), "2021-06-" + std::to_string(10 + pick(10))};
      ASSERT_TRUE(in_tx<int64_t>([&] { return store->record_deferral(id, deferral); }));
    }
    if (pick(5) == 0) {
      auto consent = static_cast<Consent>(1 + pick(3));
      ASSERT_TRUE(tx([&] { return store->withdraw_consent(id, consent, "2021-06-01"); }));
    }
  }
  auto donors = *store->donors(club_id);
  int offered = 0;
  for (int trial = 0; trial < 40; ++trial) {
    auto in = request(rules::to_string(kAllGroups[static_cast<size_t>(pick(8))]).c_str(),
                      std::string(rules::to_string(static_cast<Component>(pick(4)))).c_str());
    in.needed_by = to_iso(rules::add_days(d("2021-06-08"), pick(30)));
    in.district = districts[pick(3)];
    if (pick(3) == 0) in.antigen_negatives = {std::string(kAntigenNames[static_cast<size_t>(pick(14))])};
    int64_t req = open_request(in);
    auto r = *store->request(req);
    auto result = *store->match(req, 1000);
    std::set<int64_t> ids;
    Group recipient = *rules::parse_group(r.recipient_group);
    Component component = *rules::parse_component(r.component);
    for (const auto& m : result) ids.insert(m.donor_id);
    for (const auto& x : donors) {
      auto now = *store->donor(x.id);
      bool ok = !now.consent_join_on.empty() && !now.consent_health_on.empty() && !now.consent_call_on.empty() && now.on_call &&
                !now.group.empty() && rules::compatible(recipient, *rules::parse_group(now.group), component) &&
                store->eligibility(x.id, d(r.needed_by.c_str()))->eligible;
      for (const auto& a : r.antigen_negatives) ok = ok && rules::antigen_state(now.phenotype, *rules::parse_antigen(a)) == '-';
      ASSERT_EQ(ids.contains(x.id), ok) << "donor " << x.id << " request " << r.recipient_group << " " << r.component << " " << r.needed_by;
    }
    offered += static_cast<int>(result.size());
  }
  EXPECT_GT(offered, 20);
}

CHIDOAN_INSTANTIATE_DB_TEST(BloodStoreTest);

}  // namespace
}  // namespace chidoan::blood
