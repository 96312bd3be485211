// Blood-donation club (CLB hiến máu "Máu sống – Máu hiếm", BloodClub): plain types.
//
// Enumerations are spelled in storage, the API and bundles by the strings that rules.hpp
// converts to and from (to_string / parse_*). Stored structs keep those strings so that they
// serialise as they are; dates are ISO "YYYY-MM-DD", "" when absent.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chidoan::blood {

// ABO group and RhD type. A donor's group is either fully known or unknown (std::nullopt):
// "AB" without RhD is not a group.
enum class Abo { O, A, B, AB };
enum class Rh { neg, pos };
struct Group {
  Abo abo = Abo::O;
  Rh rh = Rh::pos;
  bool operator==(const Group&) const = default;
};
// The display and tie-break order of groups: O−, O+, A−, A+, B−, B+, AB−, AB+.
inline constexpr std::array<Group, 8> kAllGroups = {
    Group{Abo::O, Rh::neg},  Group{Abo::O, Rh::pos},  Group{Abo::A, Rh::neg},  Group{Abo::A, Rh::pos},
    Group{Abo::B, Rh::neg},  Group{Abo::B, Rh::pos},  Group{Abo::AB, Rh::neg}, Group{Abo::AB, Rh::pos}};

// What a request asks for ("whole_blood", "red_cells", "plasma", "platelets").
enum class Component { whole_blood, red_cells, plasma, platelets };
// What a donation was ("whole_blood", "apheresis_red_cells", "platelets", "plasma").
enum class DonationType { whole_blood, apheresis_red_cells, platelets, plasma };
// Deferral classes ("months_12", "months_6", "weeks_4", "days_7", "custom").
enum class DeferralClass { months_12, months_6, weeks_4, days_7, custom };
// Weight classes in kg ("<42", "42-45", "45-50", ">=50"): enough to decide the TT26/2013
// minimum (≥ 42 kg women, ≥ 45 kg men).
enum class WeightClass { under_42, from_42_to_45, from_45_to_50, from_50 };
enum class Sex { male, female };
// Separate revocable consents ("join", "health", "call", "location").
enum class Consent { join, health, call, location };
enum class CallOutcome { no_answer, declined, accepted, donated };
enum class RequestStatus { open, served, cancelled };

// Extended red-cell phenotype: 14 antigens, stored as 14 characters '+', '-', '?' in this order.
enum class Antigen { C, c, E, e, K, Jka, Jkb, Fya, Fyb, M, N, S, s, Mia };
inline constexpr std::array<std::string_view, 14> kAntigenNames = {"C",   "c",   "E", "e", "K", "Jka", "Jkb",
                                                                   "Fya", "Fyb", "M", "N", "S", "s",   "Mia"};
inline constexpr size_t kAntigenCount = kAntigenNames.size();
inline const std::string kUnknownPhenotype(kAntigenCount, '?');

// CLB hiến máu: belongs to an org (a branch or a level above it).
struct Club {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string name;
  int64_t created_at = 0;
};

// Người hiến máu. Sensitive fields are empty when their consent is not given: group,
// phenotype (health), district and commune (location).
struct Donor {
  int64_t id = 0;
  int64_t club_id = 0;
  std::optional<int64_t> member_id;
  std::string name;   // outsiders as registered; members from the roll
  std::string phone;  // the donor's own or the roll's; never in match results or exports
  std::string sex;    // male | female
  std::string birth_date;
  std::string weight_class;  // <42 | 42-45 | 45-50 | >=50
  std::string group;         // "O-" … "AB+", "" = unknown
  std::string phenotype = kUnknownPhenotype;
  std::string phenotype_tested_on;
  std::string phenotype_lab;
  std::string district;
  std::string commune;
  bool on_call = false;
  std::string availability;  // "tối thứ 2–6, cuối tuần"
  // The date each consent was given; "" when not given or withdrawn.
  std::string consent_join_on;
  std::string consent_health_on;
  std::string consent_call_on;
  std::string consent_location_on;
  // Derived by the store.
  std::string last_donation_on;
  std::string last_donation_type;
  std::string next_eligible_on;  // "" = never (weight)
  std::string eligible_until;    // the 61st birthday (exclusive)
  int64_t contacts = 0;          // requests the donor was called for
  int64_t accepted = 0;          // of which accepted (or donated)
  int64_t last_contacted_at = 0; // unix seconds, 0 = never
  int64_t created_at = 0;
};

// Validated donor form. For a member, name/sex/birth_date/phone may be empty: the roll's are used.
struct DonorInput {
  std::optional<int64_t> member_id;
  std::string name;
  std::string phone;
  std::string sex;
  std::string birth_date;
  std::string weight_class;
  std::string group;  // "" = unknown
  std::string phenotype = kUnknownPhenotype;
  std::string phenotype_tested_on;
  std::string phenotype_lab;
  std::string district;
  std::string commune;
  bool on_call = false;
  std::string availability;
  // Consents given with the registration (join is required), dated consented_on.
  bool consent_health = false;
  bool consent_call = false;
  bool consent_location = false;
  std::string consented_on;
};

struct ConsentEvent {
  int64_t id = 0;
  int64_t donor_id = 0;
  std::string kind;  // join | health | call | location
  bool given = false;
  std::string on_date;
  int64_t recorded_at = 0;
};

// Lần hiến.
struct Donation {
  int64_t id = 0;
  int64_t donor_id = 0;
  std::string on_date;
  std::string type;           // whole_blood | apheresis_red_cells | platelets | plasma
  int64_t volume_ml = 0;      // 250 | 350 | 450 for whole blood, else 0
  std::string place;
  std::optional<int64_t> request_id;
  int64_t recorded_at = 0;
};

struct DonationInput {
  std::string on_date;
  std::string type;
  int64_t volume_ml = 0;
  std::string place;
  // Non-empty to record a donation inside the minimum interval (the hospital's decision); the
  // store returns it so that the caller audits it. Not stored.
  std::string override_reason;
};

// Hoãn hiến: class and dates only, never a diagnosis. Deferred on [starts_on, ends_on).
struct Deferral {
  int64_t id = 0;
  int64_t donor_id = 0;
  std::string cls;  // months_12 | months_6 | weeks_4 | days_7 | custom
  std::string starts_on;
  std::string ends_on;
  int64_t recorded_at = 0;
};

struct DeferralInput {
  std::string cls;
  std::string starts_on;
  std::string ends_on;  // computed from the class unless custom
};

// Yêu cầu máu khẩn cấp.
struct BloodRequest {
  int64_t id = 0;
  int64_t club_id = 0;
  std::string hospital;
  std::string recipient_group;  // "O-" … "AB+"
  std::string component;        // whole_blood | red_cells | plasma | platelets
  int64_t units = 0;
  std::string needed_by;
  std::string district;
  std::vector<std::string> antigen_negatives;  // antigen names the donor must lack
  std::string contact_name;                    // the hospital coordinator
  std::string contact_phone;
  std::string status = "open";  // open | served | cancelled
  int64_t created_by = 0;
  int64_t created_at = 0;
};

struct RequestInput {
  std::string hospital;
  std::string recipient_group;
  std::string component;
  int64_t units = 0;
  std::string needed_by;
  std::string district;
  std::vector<std::string> antigen_negatives;
  std::string contact_name;
  std::string contact_phone;
};

// One outcome of a call-out.
struct Call {
  int64_t id = 0;
  int64_t request_id = 0;
  int64_t donor_id = 0;
  std::string outcome;  // no_answer | declined | accepted | donated
  int64_t at = 0;
  int64_t logged_by = 0;
  std::optional<int64_t> donation_id;
};

struct CallInput {
  std::string outcome;
  int64_t volume_ml = 350;        // for a whole-blood donation
  std::string override_reason;    // see DonationInput
};

// A ranked candidate for a request. No phone: it is revealed only after acceptance.
struct Match {
  int64_t donor_id = 0;
  std::string group;          // "O-" …
  std::string eligible_from;  // ISO date
  bool exact = false;         // same ABO and RhD as the recipient
  bool same_district = false;
  int64_t response_bp = 0;
  std::vector<std::string> rank_reasons;  // short Vietnamese strings
};

// A "you can donate again" reminder due to a donor.
struct Reminder {
  int64_t donor_id = 0;
  std::string name;
  std::string due_on;
};

struct GroupCount {
  std::string group;  // "" = unknown
  int64_t donors = 0;
};
struct YearCount {
  int64_t year = 0;
  int64_t donations = 0;
};
struct ClubStats {
  int64_t donors = 0;
  int64_t on_call = 0;
  std::vector<GroupCount> donors_by_group;   // in kAllGroups order, then unknown; zeros omitted
  std::vector<YearCount> donations_by_year;  // ascending; includes deleted donors' donations
  int64_t requests_open = 0;
  int64_t requests_served = 0;
  int64_t requests_cancelled = 0;
};

}  // namespace chidoan::blood
