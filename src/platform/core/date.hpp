// Civil dates (no time zone) as used on forms and in the database: ISO "YYYY-MM-DD".
#pragma once

#include <chrono>
#include <cstdint>
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

// A calendar year's first and last days, ISO: year_span(2021) = {"2021-01-01", "2021-12-31"}
// (`auto [from, to] = year_span(y);`).
struct YearSpan {
  std::string from, to;
};
inline YearSpan year_span(int year) { return {std::to_string(year) + "-01-01", std::to_string(year) + "-12-31"}; }

// Vietnam local time (UTC+7) of unix seconds: "YYYY-MM-DDTHH:MM".
std::string local_time(int64_t unix_seconds);
// Unix seconds of a local time "YYYY-MM-DDTHH:MM" (REQUIRES: canonical, e.g. from a validated form).
int64_t unix_of_local(const std::string& local);
// Vietnam local time with seconds, "YYYY-MM-DDTHH:MM:SS" (bundles), and back: nullopt unless it
// is exactly that form and a real time.
std::string local_seconds(int64_t unix_seconds);
std::optional<int64_t> parse_local_seconds(std::string_view s);

}  // namespace chidoan
