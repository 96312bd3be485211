// Rendering for the outside world: a member's iCalendar feed (RFC 5545) and the QR code of an
// activity's check-in link (SVG). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "activity/model.hpp"

namespace chidoan::activity {

// One VEVENT: a stable uid, start and end as unix seconds.
struct CalendarEvent {
  std::string uid;
  int64_t starts_at = 0, ends_at = 0;
  std::string summary, location, description;
};

// A VCALENDAR with one VEVENT per event. Times are written in UTC ("Z"; Vietnam is UTC+7
// without daylight saving); `stamp_unix` is DTSTAMP; lines are CRLF and folded at 75 octets
// without splitting a UTF-8 character.
std::string ical_calendar(const std::vector<CalendarEvent>& events, std::string_view calendar_name, int64_t stamp_unix);

// A VCALENDAR with one VEVENT per activity (ical_calendar). Times are written in UTC ("Z"; Vietnam is UTC+7
// without daylight saving); `stamp_unix` is DTSTAMP; lines are CRLF and folded at 75 octets
// without splitting a UTF-8 character.
std::string ical_feed(const std::vector<Activity>& activities, std::string_view calendar_name, int64_t stamp_unix);

// An SVG of the QR code (error correction M) of `text`; empty on failure.
std::string qr_svg(std::string_view text);

}  // namespace chidoan::activity
