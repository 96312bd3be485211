// Pure rules of activities: validation, sign-up decisions, hours, participation, the removal
// rule. No I/O, no clock: "now" is passed in as a local time string.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activity/model.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::activity::rules {

// Local date-times: "YYYY-MM-DDTHH:MM" (also accepted: a space instead of T, and seconds, which
// are dropped). Returns the canonical form, or an error naming `field`.
Result<std::string> parse_local_time(std::string_view s, std::string_view field);
// Minutes since 1970-01-01T00:00 of a canonical local time (for differences).
int64_t minutes_of(std::string_view local);

bool is_activity_field(std::string_view name);
// Title required; start and end real times, end not before start; capacity a whole number ≥ 1
// or empty; the sign-up window inside [.., end] and not closing before it opens.
Result<ActivityInput> validate_activity(const RawFields& raw);

enum class SignupOutcome { confirmed, waitlisted };
// The sign-up window: opens_at (or always) to closes_at (or the start). `now` is local time.
Result<void> check_signup_window(const Activity& a, std::string_view now);
// With `confirmed` places already taken.
SignupOutcome decide_signup(const Activity& a, int64_t confirmed);

// Volunteer time at one activity: 0 to 24 h for each calendar day the activity spans.
Result<int64_t> check_minutes(const Activity& a, int64_t minutes);
// Check-in/check-out: the minutes between them that fall within the activity's span (a QR
// code scanned the day before, or after the end, counts from the start or to the end).
int64_t minutes_between(const Activity& a, int64_t check_in_unix, int64_t check_out_unix);

// Participation, the one definition (docs/activity.md): activities a member was expected at
// (a row in the attendance register once attendance is taken), excused absences left out:
//   rate = present / (present + absent)      — undefined (no expectation) when both are 0.
std::optional<double> participation_rate(const Tally& t);

// HD 33 / product.md: removal (xóa tên) may be proposed after absences without reason from
// the monthly meeting in 3 or more months of a year. `unexcused_months` are "YYYY-MM" strings.
bool removal_candidate(const std::vector<std::string>& unexcused_months);

// The QR code of an activity is valid until its end.
Result<void> check_qr(const Activity& a, std::string_view presented_secret, std::string_view now);

}  // namespace chidoan::activity::rules
