// Rendering for the outside world: a member's iCalendar feed (RFC 5545) and the QR code of an
// activity's check-in link (SVG). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "activity/model.hpp"

namespace chidoan::activity {

// A VCALENDAR with one VEVENT per activity. Times are written in UTC ("Z"; Vietnam is UTC+7
// without daylight saving); `stamp_unix` is DTSTAMP; lines are CRLF and folded at 75 octets
// without splitting a UTF-8 character.
std::string ical_feed(const std::vector<Activity>& activities, std::string_view calendar_name, int64_t stamp_unix);

// An SVG of the QR code (error correction M) of `text`; empty on failure.
std::string qr_svg(std::string_view text);

}  // namespace chidoan::activity
