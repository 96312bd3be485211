// Civil dates (no time zone) as used on forms and in the database: ISO "YYYY-MM-DD".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/clock.hpp"

namespace chidoan {

using Date = std::chrono::year_month_day;

// Strict ISO parse: exactly YYYY-MM-DD and a real calendar day (2000-02-31 is refused).
std::optional<Date> parse_date(std::string_view s);
std::string to_iso(Date d);
// Today in Vietnam (UTC+7, no daylight saving).
Date today(const Clock& clock);
// Whole years from `birth` to `on`.
int age_on(Date birth, Date on);
Date add_years(Date d, int years);  // 29 Feb -> 28 Feb in non-leap years

}  // namespace chidoan
