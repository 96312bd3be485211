// Pure rules of the blood-donation club: names of groups and kinds, form validation, eligibility
// by regulation (Circular 26/2013/TT-BYT), compatibility of groups per component, phenotype
// (antigen-negative) requirements and the ranking of candidates for an emergency request.
// No I/O and no clock: "today" is passed in. Every rule lives here once; the store only keeps
// derived columns (rules::standing, rules::response_bp) so that SQL can pre-filter.
//
// Conventions (tested in rules_test.cpp):
// - Ages: a donor may donate from the 18th birthday through the day before the 61st birthday
//   ("18–60 inclusive"). Birthdays of 29 February fall on 28 February in other years (add_years).
// - Intervals: after whole blood or apheresis red cells 12 weeks (84 days), after plasma or
//   platelets 2 weeks (14 days), counted from the most recent donation: a whole-blood donation on
//   10/03/2021 allows the next one on 02/06/2021, not the day before.
// - Deferrals cover [starts_on, ends_on): the donor may donate again on ends_on. Classes: 12 and
//   6 months (calendar months, clamped to the month's last day), 4 weeks, 7 days, custom.
// - Weight: women ≥ 42 kg, men ≥ 45 kg, decided from the weight class. A weight below the minimum
//   or an age past 60 has no eligible_from (the record must change first).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blood/model.hpp"
#include "platform/core/date.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::blood::rules {

// ---- Names -------------------------------------------------------------------------------

// "O-" … "AB+" (ASCII, as stored and in the API); group_label gives "O−" (U+2212) for pages.
std::string to_string(Group g);
std::string group_label(Group g);
// Accepts "A+", "a+", "AB-", "O−" (U+2212) and "O–" (U+2013), with surrounding spaces. "C+",
// "AB" (no RhD), "+" or "" are ErrorKind::invalid with `field` and a Vietnamese message.
Result<Group> parse_group(std::string_view raw, std::string_view field = "group");
// The donor form's group: "" or "unknown" is unknown (std::nullopt), otherwise parse_group.
Result<std::optional<Group>> parse_optional_group(std::string_view raw, std::string_view field = "blood_group");

std::string_view to_string(Component c);
std::string_view to_string(DonationType t);
std::string_view to_string(DeferralClass c);
std::string_view to_string(WeightClass w);
std::string_view to_string(Sex s);
std::string_view to_string(Consent c);
std::string_view to_string(CallOutcome o);
std::string_view to_string(RequestStatus s);
std::string_view to_string(Antigen a);
Result<Component> parse_component(std::string_view raw, std::string_view field = "component");
Result<DonationType> parse_donation_type(std::string_view raw, std::string_view field = "type");
Result<DeferralClass> parse_deferral_class(std::string_view raw, std::string_view field = "class");
// "<42", "42-45", "45-50", ">=50" (also "≥50" and en dashes).
Result<WeightClass> parse_weight_class(std::string_view raw, std::string_view field = "weight_class");
Result<Sex> parse_sex(std::string_view raw, std::string_view field = "sex");
Result<Consent> parse_consent(std::string_view raw, std::string_view field = "consent");
Result<CallOutcome> parse_outcome(std::string_view raw, std::string_view field = "outcome");
Result<RequestStatus> parse_status(std::string_view raw, std::string_view field = "status");
// Exact names "C", "c", "E", "e", "K", "M", "N", "S", "s"; "Jka", "Jkb", "Fya", "Fyb", "Mia" in
// any case ("k", "m", "n" are other antigens, not in the list).
std::optional<Antigen> parse_antigen(std::string_view name);
// "K, Jka" or "K Jka" or "K;Jka" -> {K, Jka}, without repeats, in kAntigenNames order.
Result<std::vector<Antigen>> parse_antigen_list(std::string_view raw, std::string_view field = "antigen_negatives");

std::string component_label(Component c);        // "máu toàn phần", "khối hồng cầu", "huyết tương", "tiểu cầu"
std::string donation_type_label(DonationType t);  // "máu toàn phần", "hồng cầu gạn tách", "tiểu cầu", "huyết tương"
std::string deferral_class_label(DeferralClass c);  // "12 tháng", "6 tháng", "4 tuần", "7 ngày", "thời hạn riêng"
std::string weight_class_label(WeightClass w);    // "dưới 42 kg", "42–45 kg", "45–50 kg", "từ 50 kg"
std::string outcome_label(CallOutcome o);         // "không nghe máy", "từ chối", "nhận lời", "đã hiến"

// ---- Dates -------------------------------------------------------------------------------

Date add_days(Date d, int days);
Date add_months(Date d, int months);  // clamped to the month's last day (31/08 + 6 months = 28/02)
int days_between(Date from, Date to);  // to - from
// The calendar day of a unix instant in Vietnam (UTC+7).
Date date_of(int64_t unix_seconds);

// ---- Regulation --------------------------------------------------------------------------

// Regulations the rules know, selected by the date they are applied on. TT26/2013/TT-BYT
// (issued 16/09/2013) is applied to every date, earlier ones included: no older rules are
// encoded. A later circular is a new enumerator, a new row in regulation() and a date here.
enum class Regulation { tt26_2013 };
struct RegulationRules {
  Regulation id = Regulation::tt26_2013;
  std::string_view name;   // "TT26/2013/TT-BYT"
  int min_age = 18;        // from the birthday
  int max_age = 60;        // until the day before the (max_age + 1)th birthday
  int min_kg_female = 42;
  int min_kg_male = 45;
  int days_after_red_cells = 84;  // whole blood, apheresis red cells
  int days_after_plasma = 14;     // plasma, platelets
};
Regulation regulation_on(Date d);
const RegulationRules& rules_of(Regulation r);

// ---- Eligibility ---------------------------------------------------------------------------

struct DonationFact {
  Date on;
  DonationType type = DonationType::whole_blood;
};
struct DeferralFact {
  DeferralClass cls = DeferralClass::custom;
  Date starts_on;
  Date ends_on;  // exclusive
};
struct EligibilityFacts {
  Sex sex = Sex::male;
  Date birth_date;
  WeightClass weight = WeightClass::from_50;
  std::vector<DonationFact> donations;  // any order
  std::vector<DeferralFact> deferrals;  // any order
};

struct Eligibility {
  bool eligible = false;
  // The earliest date ≥ the given date on which every rule passes; none if the weight is below
  // the minimum or the donor is past 60 by then.
  std::optional<Date> eligible_from;
  // Why not (empty when eligible), in Vietnamese, e.g. "Lần hiến gần nhất 10/03/2021 (máu toàn
  // phần): cách 12 tuần, từ 02/06/2021". Includes deferrals that push eligible_from later.
  std::vector<std::string> reasons;
  Regulation regulation = Regulation::tt26_2013;
};

bool weight_ok(Sex sex, WeightClass w, const RegulationRules& r);
// The minimum interval after a donation of type t.
int interval_days(DonationType t, const RegulationRules& r);
// The end of a deferral of a fixed class starting on `start` (not for custom).
Date deferral_end(DeferralClass c, Date start);
// Eligibility on `on`, using the donations made on or before `on`.
Eligibility eligibility(const EligibilityFacts& f, Date on);

// What the store keeps on the donor row so that SQL can pre-filter:
//   next_eligible_on = max(18th birthday, latest donation + interval, every deferral's end),
//                      none if the weight is below the minimum;
//   eligible_until   = the 61st birthday.
// For any date d on or after every deferral's start (deferrals never start in the future):
//   eligibility(f, d).eligible  <=>  next_eligible_on <= d < eligible_until.
struct Standing {
  std::optional<Date> next_eligible_on;
  Date eligible_until;
};
Standing standing(const EligibilityFacts& f, Date today);

// A new donation `d` among `existing` must respect the interval both after the one before it and
// before the one after it. Inside the interval: ErrorKind::invalid on "on_date" with the reason,
// unless override_reason is non-empty.
Result<void> check_interval(const std::vector<DonationFact>& existing, const DonationFact& d, std::string_view override_reason);

// ---- Compatibility -------------------------------------------------------------------------

// Red cells: donor ABO ⊆ recipient ABO, RhD− recipients get RhD− only. Plasma: ABO only, the
// reverse (O ← any; A ← A, AB; B ← B, AB; AB ← AB). Whole blood and platelets: ABO-identical,
// RhD− recipients get RhD− only (RhD+ recipients get either).
bool compatible(Group recipient, Group donor, Component c);
// The compatible donor groups: the recipient's own group first, then the others in kAllGroups
// order (O−, O+, A−, A+, B−, B+, AB−, AB+).
std::vector<Group> donor_groups(Group recipient, Component c);

// ---- Phenotype -----------------------------------------------------------------------------

// '+', '-' or '?' (also '?' for a phenotype string shorter than 14 characters).
char antigen_state(std::string_view phenotype, Antigen a);
// True when the phenotype shows every required antigen as negative ('?' does not match).
bool lacks_all(std::string_view phenotype, const std::vector<Antigen>& required);
// The SQL LIKE pattern of lacks_all: '_' everywhere, '-' at the required antigens.
std::string like_pattern(const std::vector<Antigen>& required);

// ---- Matching ------------------------------------------------------------------------------

// The past response rate smoothed towards 1/2 (Laplace): 10000 × (accepted + 1) / (contacts + 2),
// rounded down. Never called: 5000; accepted 1 of 1: 6666; 9 of 10: 8333; 0 of 3: 2000.
int64_t response_bp(int64_t contacts, int64_t accepted);

struct Candidate {
  int64_t donor_id = 0;
  std::optional<Group> group;
  std::string district;
  bool consent_join = false;
  bool consent_health = false;
  bool consent_call = false;
  bool on_call = false;
  std::string phenotype = kUnknownPhenotype;
  std::optional<Date> next_eligible_on;  // Standing
  Date eligible_until;
  int64_t contacts = 0;
  int64_t accepted = 0;
  int64_t last_contacted_at = 0;  // 0 = never
};

struct MatchQuery {
  Group recipient;
  Component component = Component::red_cells;
  Date needed_by;
  Date today;
  std::string district;  // "" = no preference
  std::vector<Antigen> antigen_negatives;
};

// A candidate is offered only with the join, health and call consents, on call, with a known
// compatible group, lacking every required antigen, and eligible on needed_by
// (next_eligible_on <= needed_by < eligible_until).
bool admissible(const MatchQuery& q, const Candidate& c);
// The admissible candidates, ranked: the exact group before other compatible groups; for an
// RhD+ patient, RhD+ donors before the rare RhD− ones; the request's district first; higher response_bp; longer since last contacted (never first);
// then donor id. eligible_from = max(today, next_eligible_on).
std::vector<Match> rank(const MatchQuery& q, const std::vector<Candidate>& candidates);

// ---- Forms ---------------------------------------------------------------------------------

// Registration form. Fields: member_id | name + phone (outsiders), sex, birth_date,
// weight_class, blood_group, phenotype_<antigen> ("+", "-", "" or "?") for each of
// kAntigenNames, phenotype_tested_on, phenotype_lab, district, commune, on_call, availability,
// consent_join (required), consent_health, consent_call, consent_location, consented_on.
Result<DonorInput> validate_donor(const RawFields& raw, Date today);
// The checks of validate_donor on a struct (the store runs them again on every write).
Result<void> check_donor(const DonorInput& in, Date today);
// Sensitive fields need their consent: group and phenotype the health consent ("blood_group",
// "phenotype_tested_on"), district and commune the location consent ("district").
Result<void> check_donor_consents(const DonorInput& in, bool health, bool location);

// Fields: on_date, type, volume_ml (whole blood: 250, 350 or 450), place, override_reason.
// Not in the future; the store checks the birth date and the interval.
Result<DonationInput> validate_donation(const RawFields& raw, Date today);
Result<void> check_donation(const DonationInput& in, Date today);

// Fields: class, starts_on (not in the future), ends_on (custom only; computed otherwise).
Result<DeferralInput> validate_deferral(const RawFields& raw, Date today);
// Fills ends_on for the fixed classes.
Result<DeferralInput> check_deferral(const DeferralInput& in, Date today);

inline constexpr int64_t kMaxUnits = 20;
// Fields: hospital, recipient_group, component, units (1–20), needed_by (not before today),
// district, antigen_negatives, contact_name, contact_phone.
Result<RequestInput> validate_request(const RawFields& raw, Date today);
Result<void> check_request(const RequestInput& in, Date today);

// Fields: outcome, volume_ml (whole blood donated; default 350), override_reason.
Result<CallInput> validate_call(const RawFields& raw);

// The donation a "donated" outcome records for a request of component c: whole blood for whole
// blood, apheresis red cells for red cells, plasma and platelets as they are.
DonationType donation_type_for(Component c);

}  // namespace chidoan::blood::rules
