// Pure rules of the help desk's roster: validation of centers, templates and months; the
// shifts a template makes in a month; who may take a shift; drops, no-shows and hours.
// No database, no clock: `now` is passed in. Times are Vietnam's (UTC+7, no daylight saving).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "desk/model.hpp"
#include "platform/core/result.hpp"

namespace chidoan::desk::rules {

// A volunteer (a member who may staff the desk).
struct Person {
  int64_t member_id = 0;
  std::string name;
};

// A shift a member is on, for the rules: where and when.
struct Duty {
  int64_t shift_id = 0;
  int64_t center_id = 0;
  int64_t starts_at = 0, ends_at = 0;
};

// "07:30" -> 450. Refuses anything but HH:MM from 00:00 to 24:00 (invalid, on `field`).
Result<int> clock_minutes(std::string_view hhmm, const std::string& field);
// "YYYY-MM" with a real month.
Result<void> check_month(std::string_view month, const std::string& field = "month");
// "YYYY-MM" of the month that contains `month` shifted by `delta` months.
std::string add_months(std::string_view month, int delta);

Result<void> check_center(const CenterInput& in);
// A template on its own (name, weekdays "1".."7" without repeats, start < end, 0 ≤ min ≤ max,
// max ≥ 1), then against the other active templates of the center: none of the same counter
// may share a weekday and overlap in time (invalid on "start_time", naming the other one).
Result<void> check_template(const Template& t, const std::vector<Template>& others);

// The shifts a template makes in a month: one per date whose weekday it lists.
struct ShiftTime {
  std::string on_date;
  int64_t starts_at = 0, ends_at = 0;
};
std::vector<ShiftTime> shift_times(const Template& t, std::string_view month);

// Day and week (Monday to Sunday) indexes of an instant in local time.
int64_t local_day(int64_t unix_seconds);
int64_t local_week(int64_t unix_seconds);

// May a member take shift `s` (sign-up, coordinator, swap)? `staff` is the number already on
// it, `duties` the member's other shifts around it. Refuses (conflict, in Vietnamese): a shift
// that has started, a full shift, one they are on, one overlapping another of their shifts or
// closer to it than the center's rest, more shifts in that week than the center allows.
Result<void> check_take(const Center& c, const Shift& s, int staff, const std::vector<Duty>& duties, int64_t now);
// Self sign-up is locked at the center's no-show limit.
Result<void> check_lock(const Center& c, int no_shows);
// A member leaving a shift that starts within 24 hours needs a coordinator.
bool drop_needs_coordinator(const Shift& s, int64_t now);
// Check-in: not before 60 minutes ahead of the start, not after the end. Check-out: after the
// check-in. Minutes on duty: from check-in to check-out, within the shift (a volunteer who
// stays on is not credited beyond the shift's end + 60 minutes).
Result<void> check_check_in(const Shift& s, int64_t at);
Result<int64_t> duty_minutes(const Shift& s, int64_t check_in_at, int64_t check_out_at);

}  // namespace chidoan::desk::rules
