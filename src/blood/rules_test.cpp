#include "blood/rules.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace chidoan::blood::rules {
namespace {

Date d(const char* iso) { return *parse_date(iso); }
Group g(const char* s) { return *parse_group(s); }

TEST(BloodGroups, ParseTheUsualSpellings) {
  EXPECT_EQ(g("A+"), (Group{Abo::A, Rh::pos}));
  EXPECT_EQ(g("ab-"), (Group{Abo::AB, Rh::neg}));
  EXPECT_EQ(g(" O\u2212 "), (Group{Abo::O, Rh::neg}));  // U+2212 minus sign
  EXPECT_EQ(g("B\u2013"), (Group{Abo::B, Rh::neg}));    // en dash
  EXPECT_EQ(g("AB +"), (Group{Abo::AB, Rh::pos}));
  for (Group x : kAllGroups) {
    EXPECT_EQ(g(to_string(x).c_str()), x);
    EXPECT_EQ(g(group_label(x).c_str()), x);
  }
  EXPECT_EQ(group_label(g("O-")), "O\u2212");
  EXPECT_EQ(to_string(g("O\u2212")), "O-");
}

TEST(BloodGroups, RefuseWhatIsNotAGroupNamingTheField) {
  for (const char* bad : {"C+", "AB", "A", "", "  ", "+", "-", "O+-", "ABO+", "0+", "A++", "Rh+"}) {
    auto r = parse_group(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, "group") << bad;
    EXPECT_FALSE(r.error().message.empty());
  }
  EXPECT_EQ(parse_group("AB").error().message, "Thiếu Rh của nhóm máu: ghi thêm + hoặc −, ví dụ AB+");
  EXPECT_EQ(parse_group("C+", "recipient_group").error().field, "recipient_group");
  EXPECT_FALSE(*parse_optional_group(""));
  EXPECT_FALSE(*parse_optional_group("unknown"));
  EXPECT_EQ(**parse_optional_group("B+"), g("B+"));
  EXPECT_EQ(parse_optional_group("C+").error().field, "blood_group");
}

TEST(BloodKinds, NamesRoundTripAndUnknownOnesAreRefused) {
  for (auto c : {Component::whole_blood, Component::red_cells, Component::plasma, Component::platelets}) EXPECT_EQ(*parse_component(to_string(c)), c);
  for (auto t : {DonationType::whole_blood, DonationType::apheresis_red_cells, DonationType::platelets, DonationType::plasma})
    EXPECT_EQ(*parse_donation_type(to_string(t)), t);
  for (auto w : {WeightClass::under_42, WeightClass::from_42_to_45, WeightClass::from_45_to_50, WeightClass::from_50})
    EXPECT_EQ(*parse_weight_class(to_string(w)), w);
  EXPECT_EQ(*parse_weight_class("≥50"), WeightClass::from_50);
  EXPECT_EQ(*parse_weight_class("42–45 kg"), WeightClass::from_42_to_45);
  EXPECT_EQ(parse_component("blood").error().field, "component");
  EXPECT_EQ(parse_weight_class("60kg").error().field, "weight_class");
  EXPECT_EQ(parse_weight_class("").error().field, "weight_class");
  EXPECT_EQ(parse_deferral_class("forever").error().field, "class");
  EXPECT_EQ(parse_outcome("maybe").error().field, "outcome");
  EXPECT_EQ(parse_consent("marketing").error().field, "consent");
}

// ---- Compatibility: the whole table of product.md, written out ----------------------------
// Rows: recipient; columns: donor; both in the order O− O+ A− A+ B− B+ AB− AB+.
struct Table {
  Component component;
  std::array<const char*, 8> rows;
};
const Table kTables[] = {
    {Component::red_cells,
     {"x.......",    // O−  ← O−
      "xx......",    // O+  ← O±
      "x.x.....",    // A−  ← A−, O−
      "xxxx....",    // A+  ← A±, O±
      "x...x...",    // B−  ← B−, O−
      "xx..xx..",    // B+  ← B±, O±
      "x.x.x.x.",    // AB− ← AB−, A−, B−, O−
      "xxxxxxxx"}},  // AB+ ← all
    {Component::plasma,
     {"xxxxxxxx",    // O  ← any
      "xxxxxxxx",
      "..xx..xx",    // A  ← A, AB
      "..xx..xx",
      "....xxxx",    // B  ← B, AB
      "....xxxx",
      "......xx",    // AB ← AB
      "......xx"}},
    {Component::whole_blood,
     {"x.......",    // ABO-identical, RhD− only for RhD− recipients
      "xx......",
      "..x.....",
      "..xx....",
      "....x...",
      "....xx..",
      "......x.",
      "......xx"}},
    {Component::platelets,
     {"x.x.x.x.",    // ABO-identical preferred (ranked first), any ABO; RhD− recipients get RhD−
      "xxxxxxxx",
      "x.x.x.x.",
      "xxxxxxxx",
      "x.x.x.x.",
      "xxxxxxxx",
      "x.x.x.x.",
      "xxxxxxxx"}},
};

TEST(BloodCompatibility, EveryRecipientDonorAndComponentAgainstTheTable) {
  int checked = 0;
  for (const auto& t : kTables) {
    for (size_t r = 0; r < 8; ++r) {
      for (size_t c = 0; c < 8; ++c) {
        bool expected = t.rows[r][c] == 'x';
        EXPECT_EQ(compatible(kAllGroups[r], kAllGroups[c], t.component), expected)
            << to_string(kAllGroups[r]) << " <- " << to_string(kAllGroups[c]) << " " << to_string(t.component);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 256);
}

TEST(BloodCompatibility, DonorGroupsListTheExactGroupFirstThenTheUsualOrder) {
  auto names = [](const std::vector<Group>& gs) {
    std::string s;
    for (Group x : gs) s += (s.empty() ? "" : " ") + to_string(x);
    return s;
  };
  EXPECT_EQ(names(donor_groups(g("A+"), Component::red_cells)), "A+ O- O+ A-");
  EXPECT_EQ(names(donor_groups(g("AB+"), Component::red_cells)), "AB+ O- O+ A- A+ B- B+ AB-");
  EXPECT_EQ(names(donor_groups(g("O-"), Component::red_cells)), "O-");
  EXPECT_EQ(names(donor_groups(g("O+"), Component::plasma)), "O+ O- A- A+ B- B+ AB- AB+");
  EXPECT_EQ(names(donor_groups(g("B-"), Component::platelets)), "B- O- A- AB-");
  EXPECT_EQ(names(donor_groups(g("AB+"), Component::whole_blood)), "AB+ AB-");
  for (const auto& t : kTables) {
    for (Group r : kAllGroups) {
      auto list = donor_groups(r, t.component);
      ASSERT_FALSE(list.empty());
      EXPECT_EQ(list.front(), r);
      std::set<size_t> seen;
      size_t last = 0;
      for (size_t i = 1; i < list.size(); ++i) {
        size_t pos = static_cast<size_t>(std::find(kAllGroups.begin(), kAllGroups.end(), list[i]) - kAllGroups.begin());
        EXPECT_TRUE(i == 1 || pos > last);
        last = pos;
      }
      for (Group x : kAllGroups)
        EXPECT_EQ(std::count(list.begin(), list.end(), x), compatible(r, x, t.component) ? 1 : 0);
    }
  }
}

// ---- Eligibility ---------------------------------------------------------------------------

EligibilityFacts woman(const char* birth = "1995-05-15") {
  EligibilityFacts f;
  f.sex = Sex::female;
  f.birth_date = d(birth);
  f.weight = WeightClass::from_42_to_45;
  return f;
}

TEST(BloodEligibility, TwelveWeeksAfterWholeBloodAndApheresisRedCells) {
  for (auto type : {DonationType::whole_blood, DonationType::apheresis_red_cells}) {
    auto f = woman();
    f.donations = {{d("2020-01-05"), DonationType::plasma}, {d("2021-03-10"), type}};
    auto before = eligibility(f, d("2021-06-01"));  // day 83
    EXPECT_FALSE(before.eligible);
    EXPECT_EQ(before.eligible_from, d("2021-06-02"));
    ASSERT_EQ(before.reasons.size(), 1u);
    if (type == DonationType::whole_blood)
      EXPECT_EQ(before.reasons[0], "Lần hiến gần nhất 10/03/2021 (máu toàn phần): cách 12 tuần, từ 02/06/2021");
    else
      EXPECT_EQ(before.reasons[0], "Lần hiến gần nhất 10/03/2021 (hồng cầu gạn tách): cách 12 tuần, từ 02/06/2021");
    auto at = eligibility(f, d("2021-06-02"));  // day 84
    EXPECT_TRUE(at.eligible);
    EXPECT_EQ(at.eligible_from, d("2021-06-02"));
    EXPECT_TRUE(at.reasons.empty());
    EXPECT_TRUE(eligibility(f, d("2021-06-03")).eligible);
    EXPECT_EQ(at.regulation, Regulation::tt26_2013);
  }
}

TEST(BloodEligibility, TwoWeeksAfterPlasmaAndPlatelets) {
  for (auto type : {DonationType::plasma, DonationType::platelets}) {
    auto f = woman();
    f.donations = {{d("2021-03-10"), type}};
    auto before = eligibility(f, d("2021-03-23"));
    EXPECT_FALSE(before.eligible);
    EXPECT_EQ(before.eligible_from, d("2021-03-24"));
    EXPECT_EQ(before.reasons[0], std::string("Lần hiến gần nhất 10/03/2021 (") + (type == DonationType::plasma ? "huyết tương" : "tiểu cầu") +
                                     "): cách 2 tuần, từ 24/03/2021");
    EXPECT_TRUE(eligibility(f, d("2021-03-24")).eligible);
    EXPECT_TRUE(eligibility(f, d("2021-03-25")).eligible);
  }
}

TEST(BloodEligibility, TheIntervalFollowsTheLatestDonationsType) {
  auto f = woman();
  // Whole blood, then (with an override) plasma inside the 12 weeks: 2 weeks from the plasma.
  f.donations = {{d("2021-01-04"), DonationType::whole_blood}, {d("2021-02-01"), DonationType::plasma}};
  EXPECT_FALSE(eligibility(f, d("2021-02-14")).eligible);
  EXPECT_TRUE(eligibility(f, d("2021-02-15")).eligible);
  // Plasma, then whole blood: 12 weeks from the whole blood.
  f.donations = {{d("2021-01-04"), DonationType::plasma}, {d("2021-02-01"), DonationType::whole_blood}};
  EXPECT_EQ(eligibility(f, d("2021-02-15")).eligible_from, d("2021-04-26"));
  // A donation after the date asked about does not count for it.
  EXPECT_TRUE(eligibility(f, d("2021-01-31")).eligible);
}

TEST(BloodEligibility, AgeFromThe18thBirthdayToTheDayBeforeThe61st) {
  auto young = woman("2003-04-10");
  auto r = eligibility(young, d("2021-04-09"));
  EXPECT_FALSE(r.eligible);
  EXPECT_EQ(r.eligible_from, d("2021-04-10"));
  EXPECT_EQ(r.reasons, std::vector<std::string>{"Chưa đủ 18 tuổi: đủ tuổi hiến máu từ 10/04/2021"});
  EXPECT_TRUE(eligibility(young, d("2021-04-10")).eligible);

  auto old = woman("1960-04-10");
  EXPECT_TRUE(eligibility(old, d("2020-04-10")).eligible);  // the 60th birthday
  EXPECT_TRUE(eligibility(old, d("2021-04-09")).eligible);  // the last day aged 60
  auto past = eligibility(old, d("2021-04-10"));            // the 61st birthday
  EXPECT_FALSE(past.eligible);
  EXPECT_FALSE(past.eligible_from);
  EXPECT_EQ(past.reasons, std::vector<std::string>{"Quá 60 tuổi (từ 10/04/2021): hết tuổi hiến máu"});
  // An interval that ends after the 61st birthday leaves no eligible date either.
  old.donations = {{d("2021-03-01"), DonationType::whole_blood}};
  auto late = eligibility(old, d("2021-03-15"));
  EXPECT_FALSE(late.eligible);
  EXPECT_FALSE(late.eligible_from);

  // 29 February: the birthday is 28 February in other years.
  auto leap = woman("2004-02-29");
  EXPECT_FALSE(eligibility(leap, d("2022-02-27")).eligible);
  EXPECT_TRUE(eligibility(leap, d("2022-02-28")).eligible);
}

TEST(BloodEligibility, WeightBySex) {
  auto f = woman();
  for (auto [sex, weight, ok] : {std::tuple{Sex::female, WeightClass::under_42, false}, {Sex::female, WeightClass::from_42_to_45, true},
                                 {Sex::female, WeightClass::from_45_to_50, true}, {Sex::female, WeightClass::from_50, true},
                                 {Sex::male, WeightClass::under_42, false}, {Sex::male, WeightClass::from_42_to_45, false},
                                 {Sex::male, WeightClass::from_45_to_50, true}, {Sex::male, WeightClass::from_50, true}}) {
    f.sex = sex;
    f.weight = weight;
    auto r = eligibility(f, d("2021-06-01"));
    EXPECT_EQ(r.eligible, ok) << to_string(sex) << " " << to_string(weight);
    EXPECT_EQ(r.eligible_from.has_value(), ok);
    EXPECT_EQ(standing(f, d("2021-06-01")).next_eligible_on.has_value(), ok);
  }
  f.sex = Sex::male;
  f.weight = WeightClass::from_42_to_45;
  EXPECT_EQ(eligibility(f, d("2021-06-01")).reasons, std::vector<std::string>{"Cân nặng 42–45 kg: nam cần từ 45 kg"});
  f.sex = Sex::female;
  f.weight = WeightClass::under_42;
  EXPECT_EQ(eligibility(f, d("2021-06-01")).reasons, std::vector<std::string>{"Cân nặng dưới 42 kg: nữ cần từ 42 kg"});
}

TEST(BloodEligibility, DeferralsEndOnTheirEndDate) {
  EXPECT_EQ(deferral_end(DeferralClass::days_7, d("2021-05-01")), d("2021-05-08"));
  EXPECT_EQ(deferral_end(DeferralClass::weeks_4, d("2021-05-01")), d("2021-05-29"));
  EXPECT_EQ(deferral_end(DeferralClass::months_6, d("2021-08-31")), d("2022-02-28"));
  EXPECT_EQ(deferral_end(DeferralClass::months_12, d("2020-02-29")), d("2021-02-28"));
  EXPECT_EQ(deferral_end(DeferralClass::months_12, d("2021-03-15")), d("2022-03-15"));
  for (auto cls : {DeferralClass::days_7, DeferralClass::weeks_4, DeferralClass::months_6, DeferralClass::months_12}) {
    auto f = woman();
    Date start = d("2021-05-01"), end = deferral_end(cls, start);
    f.deferrals = {{cls, start, end}};
    EXPECT_TRUE(eligibility(f, add_days(start, -1)).eligible);
    auto first = eligibility(f, start);
    EXPECT_FALSE(first.eligible);
    auto last = eligibility(f, add_days(end, -1));
    EXPECT_FALSE(last.eligible);
    EXPECT_EQ(last.eligible_from, end);
    EXPECT_TRUE(eligibility(f, end).eligible);
    EXPECT_TRUE(eligibility(f, add_days(end, 1)).eligible);
  }
  auto f = woman();
  f.deferrals = {{DeferralClass::days_7, d("2021-05-01"), d("2021-05-08")}};
  EXPECT_EQ(eligibility(f, d("2021-05-07")).reasons, std::vector<std::string>{"Hoãn hiến 7 ngày từ 01/05/2021: hiến lại được từ 08/05/2021"});
}

TEST(BloodEligibility, EligibleFromSkipsEveryDeferralInTheWay) {
  auto f = woman();
  f.donations = {{d("2021-03-10"), DonationType::whole_blood}};                // interval to 02/06
  f.deferrals = {{DeferralClass::custom, d("2021-06-10"), d("2021-06-20")},   // not in the way
                 {DeferralClass::custom, d("2021-06-01"), d("2021-06-05")},   // covers 02/06
                 {DeferralClass::days_7, d("2021-06-05"), d("2021-06-12")}};  // covers 05/06, then 10/06 – 20/06
  auto r = eligibility(f, d("2021-05-01"));
  EXPECT_FALSE(r.eligible);
  EXPECT_EQ(r.eligible_from, d("2021-06-20"));
  EXPECT_EQ(r.reasons.size(), 4u);
  EXPECT_EQ(r.reasons[0], "Lần hiến gần nhất 10/03/2021 (máu toàn phần): cách 12 tuần, từ 02/06/2021");
  // A deferral that starts later does not stop a donation today.
  auto later = woman();
  later.deferrals = {{DeferralClass::days_7, d("2021-07-05"), d("2021-07-12")}};
  auto now = eligibility(later, d("2021-07-01"));
  EXPECT_TRUE(now.eligible);
  EXPECT_EQ(now.eligible_from, d("2021-07-01"));
  EXPECT_TRUE(now.reasons.empty());
}

// standing() is what SQL filters on: from every deferral's start on, it must agree with eligibility().
TEST(BloodEligibility, StandingAgreesWithEligibilityFromTheLastDeferralStartOn) {
  std::mt19937 rng(20211102);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  Date base = d("2021-01-01");
  for (int trial = 0; trial < 3000; ++trial) {
    EligibilityFacts f;
    f.sex = pick(2) ? Sex::male : Sex::female;
    f.weight = static_cast<WeightClass>(pick(4));
    f.birth_date = add_days(d("1960-01-01"), pick(365 * 46));
    Date floor = base;
    for (int k = pick(4); k > 0; --k) {
      DonationFact x{add_days(base, pick(300)), static_cast<DonationType>(pick(4))};
      f.donations.push_back(x);
      floor = std::max(floor, x.on);
    }
    for (int k = pick(3); k > 0; --k) {
      Date start = add_days(base, pick(300));
      f.deferrals.push_back({DeferralClass::custom, start, add_days(start, 1 + pick(120))});
      floor = std::max(floor, start);
    }
    Standing s = standing(f, floor);
    for (int step = 0; step < 8; ++step) {
      Date on = add_days(floor, pick(200));
      auto e = eligibility(f, on);
      bool by_standing = s.next_eligible_on && *s.next_eligible_on <= on && on < s.eligible_until;
      ASSERT_EQ(e.eligible, by_standing) << "trial " << trial << " on " << to_iso(on);
      std::optional<Date> expected_from;
      if (s.next_eligible_on && std::max(on, *s.next_eligible_on) < s.eligible_until) expected_from = std::max(on, *s.next_eligible_on);
      ASSERT_EQ(e.eligible_from, expected_from) << "trial " << trial << " on " << to_iso(on);
    }
  }
}

TEST(BloodEligibility, RecordingADonationChecksTheIntervalBothWays) {
  std::vector<DonationFact> history{{d("2021-03-10"), DonationType::whole_blood}, {d("2021-09-01"), DonationType::plasma}};
  EXPECT_TRUE(check_interval(history, {d("2021-06-02"), DonationType::whole_blood}, ""));
  auto early = check_interval(history, {d("2021-06-01"), DonationType::whole_blood}, "");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().field, "on_date");
  EXPECT_EQ(early.error().kind, ErrorKind::invalid);
  EXPECT_NE(early.error().message.find("Lần hiến gần nhất 10/03/2021 (máu toàn phần): cách 12 tuần, từ 02/06/2021"), std::string::npos);
  EXPECT_TRUE(check_interval(history, {d("2021-06-01"), DonationType::whole_blood}, "Bệnh viện quyết định"));
  // Entered out of order: a whole-blood donation 20/08 would be less than 12 weeks before 01/09.
  EXPECT_FALSE(check_interval(history, {d("2021-08-20"), DonationType::whole_blood}, ""));
  EXPECT_TRUE(check_interval(history, {d("2021-08-18"), DonationType::plasma}, ""));
  EXPECT_FALSE(check_interval(history, {d("2021-03-10"), DonationType::plasma}, ""));  // the same day
}

// ---- Phenotype -----------------------------------------------------------------------------

TEST(BloodPhenotype, RequiredNegativesMatchOnlyKnownNegatives) {
  auto list = *parse_antigen_list("K, jka;E");
  EXPECT_EQ(list, (std::vector<Antigen>{Antigen::E, Antigen::K, Antigen::Jka}));
  EXPECT_EQ(like_pattern(list), "__-_--________");
  std::string p = kUnknownPhenotype;
  EXPECT_FALSE(lacks_all(p, list));  // unknown does not match
  EXPECT_TRUE(lacks_all(p, {}));
  p[static_cast<size_t>(Antigen::E)] = '-';
  p[static_cast<size_t>(Antigen::K)] = '-';
  p[static_cast<size_t>(Antigen::Jka)] = '+';
  EXPECT_FALSE(lacks_all(p, list));
  p[static_cast<size_t>(Antigen::Jka)] = '-';
  EXPECT_TRUE(lacks_all(p, list));
  EXPECT_EQ(antigen_state("", Antigen::Mia), '?');
  for (const char* bad : {"k", "Kell", "Jkc", "m"}) {
    auto r = parse_antigen_list(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "antigen_negatives");
  }
  EXPECT_EQ(parse_antigen("c"), Antigen::c);
  EXPECT_EQ(parse_antigen("C"), Antigen::C);
  EXPECT_EQ(parse_antigen("MIA"), Antigen::Mia);
}

// ---- Matching ------------------------------------------------------------------------------

Candidate candidate(int64_t id, const char* group) {
  Candidate c;
  c.donor_id = id;
  c.group = g(group);
  c.consent_join = c.consent_health = c.consent_call = c.on_call = true;
  c.next_eligible_on = d("2021-01-01");
  c.eligible_until = d("2040-01-01");
  return c;
}

MatchQuery query(const char* group = "A+", Component c = Component::red_cells) {
  MatchQuery q;
  q.recipient = g(group);
  q.component = c;
  q.needed_by = d("2021-06-10");
  q.today = d("2021-06-08");
  q.district = "Đức Trọng";
  return q;
}

TEST(BloodMatching, ResponseRateIsSmoothed) {
  EXPECT_EQ(response_bp(0, 0), 5000);
  EXPECT_EQ(response_bp(1, 1), 6666);
  EXPECT_EQ(response_bp(10, 9), 8333);
  EXPECT_EQ(response_bp(3, 0), 2000);
}

TEST(BloodMatching, RankedExactThenRhPositiveThenDistrictThenResponseThenLongestSinceContactedThenId) {
  std::vector<Candidate> cs;
  auto add = [&](int64_t id, const char* group, const char* district, int64_t contacts, int64_t accepted, int64_t last) {
    Candidate c = candidate(id, group);
    c.district = district;
    c.contacts = contacts;
    c.accepted = accepted;
    c.last_contacted_at = last;
    cs.push_back(c);
  };
  add(1, "O-", "Đức Trọng", 0, 0, 0);          // compatible, same district
  add(2, "A+", "Lạc Dương", 0, 0, 0);          // exact, other district
  add(3, "A+", "Đức Trọng", 4, 1, 1600000000); // exact, same district, low response
  add(4, "A+", "Đức Trọng", 4, 4, 1620000000); // exact, same district, high response
  add(5, "A+", "Đức Trọng", 4, 4, 1610000000); // same, contacted longer ago
  add(6, "A+", "Đức Trọng", 4, 4, 1610000000); // tie: by id
  add(7, "B+", "Đức Trọng", 0, 0, 0);          // incompatible
  add(8, "O+", "Lạc Dương", 0, 0, 0);          // compatible, other district
  auto q = query();
  auto ranked = rank(q, cs);
  std::vector<int64_t> ids;
  for (const auto& m : ranked) ids.push_back(m.donor_id);
  // For this A+ patient the rare O− donor (1) comes after O+ (8), though 1 is in the district.
  EXPECT_EQ(ids, (std::vector<int64_t>{5, 6, 4, 3, 2, 8, 1}));
  EXPECT_TRUE(ranked[0].exact);
  EXPECT_TRUE(ranked[0].same_district);
  EXPECT_EQ(ranked[0].eligible_from, "2021-06-08");
  EXPECT_EQ(ranked[0].rank_reasons,
            (std::vector<std::string>{"Cùng nhóm máu A+", "Cùng địa bàn Đức Trọng", "Nhận lời 4/4 lần được gọi",
                                      "Liên hệ lần cuối 07/01/2021 (152 ngày trước)", "Hiến được từ 08/06/2021"}));
  EXPECT_EQ(ranked[6].rank_reasons,
            (std::vector<std::string>{"Nhóm máu O\u2212 tương thích", "Nhóm Rh\u2212 hiếm: gọi sau người Rh+", "Cùng địa bàn Đức Trọng",
                                      "Chưa được gọi lần nào", "Hiến được từ 08/06/2021"}));
  // Without a district in the request nobody is "same district".
  q.district.clear();
  for (const auto& m : rank(q, cs)) EXPECT_FALSE(m.same_district);
}

TEST(BloodMatching, EligibilityOnTheNeededByDateAndTheEligibleFromDate) {
  auto q = query();
  Candidate soon = candidate(1, "A+");
  soon.next_eligible_on = d("2021-06-10");  // eligible exactly on needed_by
  Candidate late = candidate(2, "A+");
  late.next_eligible_on = d("2021-06-11");
  Candidate retired = candidate(3, "A+");
  retired.eligible_until = d("2021-06-10");
  Candidate light = candidate(4, "A+");
  light.next_eligible_on.reset();
  auto ranked = rank(q, {soon, late, retired, light});
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].donor_id, 1);
  EXPECT_EQ(ranked[0].eligible_from, "2021-06-10");
}

// The consent property: whatever the donors and the request, nobody is offered without the join,
// health and call consents, off call, incompatible, with an unknown or positive required antigen,
// or ineligible on the needed-by date; and everyone admissible is offered, in ranking order.
TEST(BloodMatching, PropertyNeverADonorWithoutConsentToBeCalled) {
  std::mt19937 rng(5);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* districts[] = {"", "Đức Trọng", "Lạc Dương", "Đà Lạt"};
  int offered = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::vector<Candidate> cs;
    for (int i = 0; i < 60; ++i) {
      Candidate c;
      c.donor_id = i + 1;
      if (pick(6)) c.group = kAllGroups[static_cast<size_t>(pick(8))];
      c.district = districts[pick(4)];
      c.consent_join = pick(5) != 0;
      c.consent_health = pick(3) != 0;
      c.consent_call = pick(2) != 0;
      c.on_call = pick(3) != 0;
      for (char& ch : c.phenotype) ch = "+-?"[pick(3)];
      if (pick(8)) c.next_eligible_on = add_days(d("2021-06-01"), pick(30));
      c.eligible_until = add_days(d("2021-06-01"), pick(400));
      c.contacts = pick(5);
      c.accepted = pick(static_cast<int>(c.contacts) + 1);
      c.last_contacted_at = pick(2) ? 1600000000 + pick(1000000) : 0;
      cs.push_back(c);
    }
    MatchQuery q;
    q.recipient = kAllGroups[static_cast<size_t>(pick(8))];
    q.component = static_cast<Component>(pick(4));
    q.today = d("2021-06-01");
    q.needed_by = add_days(q.today, pick(20));
    q.district = districts[pick(4)];
    for (int k = pick(3); k > 0; --k) q.antigen_negatives.push_back(static_cast<Antigen>(pick(14)));
    auto ranked = rank(q, cs);
    std::set<int64_t> ids;
    for (const auto& m : ranked) {
      const Candidate& c = cs[static_cast<size_t>(m.donor_id - 1)];
      ASSERT_TRUE(c.consent_join && c.consent_health && c.consent_call) << "donor " << m.donor_id;
      ASSERT_TRUE(c.on_call);
      ASSERT_TRUE(c.group && compatible(q.recipient, *c.group, q.component));
      for (Antigen a : q.antigen_negatives) ASSERT_EQ(c.phenotype[static_cast<size_t>(a)], '-');
      ASSERT_TRUE(c.next_eligible_on && *c.next_eligible_on <= q.needed_by && q.needed_by < c.eligible_until);
      ids.insert(m.donor_id);
    }
    for (const auto& c : cs) EXPECT_EQ(ids.contains(c.donor_id), admissible(q, c));
    for (size_t i = 1; i < ranked.size(); ++i) {
      const auto &a = ranked[i - 1], &b = ranked[i];
      auto key = [&](const Match& m) {
        bool spends_rare = q.recipient.rh == Rh::pos && m.group.ends_with("-");
        return std::tuple(!m.exact, spends_rare, !m.same_district, -m.response_bp, cs[static_cast<size_t>(m.donor_id - 1)].last_contacted_at,
                          m.donor_id);
      };
      ASSERT_LT(key(a), key(b));
    }
    offered += static_cast<int>(ranked.size());
  }
  EXPECT_GT(offered, 100);  // the property was not vacuous
}

// ---- Forms ---------------------------------------------------------------------------------

Date today() { return d("2021-12-31"); }

RawFields outsider() {
  return {{"name", "Nguyễn Văn Hùng"}, {"phone", "0912 345 678"}, {"sex", "male"},        {"birth_date", "1990-05-15"},
          {"weight_class", ">=50"},    {"blood_group", "O-"},      {"consent_join", "1"}, {"consent_health", "1"},
          {"consent_call", "1"},       {"consent_location", "1"},  {"district", "Đức Trọng"}, {"on_call", "on"}};
}

TEST(BloodForms, ADonorFormNamesTheFieldAtFault) {
  auto ok = validate_donor(outsider(), today());
  ASSERT_TRUE(ok) << ok.error().field << ": " << ok.error().message;
  EXPECT_EQ(ok->phone, "+84912345678");
  EXPECT_EQ(ok->group, "O-");
  EXPECT_TRUE(ok->on_call);
  EXPECT_EQ(ok->consented_on, "2021-12-31");
  struct Case {
    const char* field;
    const char* value;
    const char* expected_field;
  } cases[] = {{"blood_group", "C+", "blood_group"},      {"blood_group", "AB", "blood_group"},   {"weight_class", "60kg", "weight_class"},
               {"weight_class", "", "weight_class"},      {"birth_date", "2022-01-01", "birth_date"}, {"birth_date", "1899-12-31", "birth_date"},
               {"birth_date", "1990-02-30", "birth_date"}, {"sex", "x", "sex"},                 {"consent_join", "", "consent_join"},
               {"consent_health", "", "blood_group"},     {"consent_location", "0", "district"}, {"phone", "", "phone"},
               {"phone", "12345", "phone"},               {"name", "", "name"},                 {"phenotype_K", "x", "phenotype_K"},
               {"phenotype_Jka", "-", "phenotype_tested_on"}, {"on_call", "maybe", "on_call"},  {"consented_on", "2022-01-02", "consented_on"},
               {"member_id", "abc", "member_id"}};
  for (const auto& c : cases) {
    auto raw = outsider();
    raw[c.field] = c.value;
    auto r = validate_donor(raw, today());
    ASSERT_FALSE(r) << c.field << "=" << c.value;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, c.expected_field) << c.field << "=" << c.value << ": " << r.error().message;
    EXPECT_FALSE(r.error().message.empty());
  }
  // A member needs neither name nor phone nor sex nor birth date (the roll has them).
  RawFields member{{"member_id", "7"}, {"weight_class", "45-50"}, {"consent_join", "1"}};
  auto m = validate_donor(member, today());
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->member_id, 7);
  EXPECT_EQ(m->group, "");
  // A phenotype with its test date.
  auto raw = outsider();
  raw["phenotype_K"] = "-";
  raw["phenotype_c"] = "+";
  raw["phenotype_tested_on"] = "2021-03-01";
  auto p = validate_donor(raw, today());
  ASSERT_TRUE(p);
  std::string expected = kUnknownPhenotype;
  expected[static_cast<size_t>(Antigen::c)] = '+';
  expected[static_cast<size_t>(Antigen::K)] = '-';
  EXPECT_EQ(p->phenotype, expected);
}

TEST(BloodForms, RequestsDonationsDeferralsAndCalls) {
  RawFields request{{"hospital", "Bệnh viện Đa khoa tỉnh Lâm Đồng"}, {"recipient_group", "O−"}, {"component", "red_cells"},
                    {"units", "2"}, {"needed_by", "2021-12-31"}, {"antigen_negatives", "K"},
                    {"contact_name", "BS. Trần Thị Mai"}, {"contact_phone", "0263 3822 152"}};
  auto ok = validate_request(request, today());
  ASSERT_TRUE(ok) << ok.error().field << ": " << ok.error().message;
  EXPECT_EQ(ok->recipient_group, "O-");
  EXPECT_EQ(ok->antigen_negatives, std::vector<std::string>{"K"});
  struct Case {
    const char* field;
    const char* value;
  } bad_requests[] = {{"units", "0"},          {"units", "21"},           {"units", "-1"},         {"units", "two"},
                      {"component", "blood"},  {"recipient_group", "AB"}, {"recipient_group", "C+"}, {"needed_by", "2021-12-30"},
                      {"needed_by", "soon"},   {"antigen_negatives", "k"}, {"contact_phone", "123"}, {"contact_name", ""},
                      {"hospital", ""}};
  for (const auto& c : bad_requests) {
    auto raw = request;
    raw[c.field] = c.value;
    auto r = validate_request(raw, today());
    ASSERT_FALSE(r) << c.field << "=" << c.value;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, c.field) << c.value;
  }
  EXPECT_EQ(validate_request(RawFields{{"units", "0"}, {"hospital", "BV"}, {"recipient_group", "A+"}, {"component", "plasma"}}, today()).error().message,
            "Số đơn vị máu từ 1 đến 20");

  RawFields donation{{"on_date", "2021-03-10"}, {"type", "whole_blood"}, {"volume_ml", "350"}, {"place", "Bệnh viện Đa khoa tỉnh"}};
  ASSERT_TRUE(validate_donation(donation, today()));
  for (auto [field, value] : {std::pair{"on_date", "2022-01-01"}, {"on_date", ""}, {"volume_ml", "300"}, {"volume_ml", ""}, {"type", "blood"}}) {
    auto raw = donation;
    raw[field] = value;
    auto r = validate_donation(raw, today());
    ASSERT_FALSE(r) << field << "=" << value;
    EXPECT_EQ(r.error().field, field);
  }
  auto plasma = validate_donation({{"on_date", "2021-03-10"}, {"type", "plasma"}, {"volume_ml", "600"}}, today());
  ASSERT_TRUE(plasma);
  EXPECT_EQ(plasma->volume_ml, 0);

  auto deferral = validate_deferral({{"class", "months_6"}, {"starts_on", "2021-08-31"}}, today());
  ASSERT_TRUE(deferral);
  EXPECT_EQ(deferral->ends_on, "2022-02-28");
  EXPECT_EQ(validate_deferral({{"class", "custom"}, {"starts_on", "2021-08-31"}}, today()).error().field, "ends_on");
  EXPECT_EQ(validate_deferral({{"class", "custom"}, {"starts_on", "2021-08-31"}, {"ends_on", "2021-08-31"}}, today()).error().field, "ends_on");
  EXPECT_EQ(validate_deferral({{"class", "days_7"}, {"starts_on", "2022-01-01"}}, today()).error().field, "starts_on");
  EXPECT_EQ(validate_deferral({{"class", "forever"}, {"starts_on", "2021-01-01"}}, today()).error().field, "class");

  EXPECT_EQ(validate_call({{"outcome", "accepted"}})->volume_ml, 350);
  EXPECT_EQ(validate_call({{"outcome", "ok"}}).error().field, "outcome");
  EXPECT_EQ(validate_call({{"outcome", "donated"}, {"volume_ml", "500"}}).error().field, "volume_ml");
  EXPECT_EQ(donation_type_for(Component::red_cells), DonationType::apheresis_red_cells);
  EXPECT_EQ(donation_type_for(Component::whole_blood), DonationType::whole_blood);
}

}  // namespace
}  // namespace chidoan::blood::rules
