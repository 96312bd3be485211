#include "platform/core/date.hpp"

#include <charconv>
#include <cstdio>

namespace chidoan {

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](size_t pos, size_t len) -> std::optional<int> {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, v);
    if (ec != std::errc() || p != s.data() + pos + len) return std::nullopt;
    return v;
  };
  auto y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (!y || !m || !d) return std::nullopt;
  Date date{std::chrono::year(*y), std::chrono::month(static_cast<unsigned>(*m)),
            std::chrono::day(static_cast<unsigned>(*d))};
  if (!date.ok() || *y < 1900) return std::nullopt;
  return date;
}

std::string to_iso(Date d) {
  // By hand: snprintf costs ~2,000 instructions a date, and an import formats four a member.
  const int y = static_cast<int>(d.year());
  if (!d.ok() || y < 0 || y > 9999) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
  }
  const unsigned m = static_cast<unsigned>(d.month()), day = static_cast<unsigned>(d.day());
  std::string out(10, '-');
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10 % 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + day / 10 % 10);
  out[9] = static_cast<char>('0' + day % 10);
  return out;
}

Date today(const Clock& clock) {
  auto local = clock.now() + std::chrono::hours(7);
  return Date{std::chrono::floor<std::chrono::days>(local)};
}

int age_on(Date birth, Date on) {
  int years = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  if (std::chrono::month_day(on.month(), on.day()) < std::chrono::month_day(birth.month(), birth.day())) --years;
  return years;
}

Date add_years(Date d, int years) {
  Date r{d.year() + std::chrono::years(years), d.month(), d.day()};
  if (!r.ok()) r = Date{r.year(), r.month(), std::chrono::day(28)};
  return r;
}

std::string local_time(int64_t unix_seconds) {
  auto t = std::chrono::sys_seconds(std::chrono::seconds(unix_seconds + 7 * 3600));
  auto day = std::chrono::floor<std::chrono::days>(t);
  auto mins = std::chrono::duration_cast<std::chrono::minutes>(t - day).count();
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(mins / 60) % 100, static_cast<int>(mins % 60));
  return to_iso(Date{day}) + "T" + buf;
}

int64_t unix_of_local(const std::string& local) {
  auto d = parse_date(std::string_view(local).substr(0, 10));
  if (!d || local.size() < 16) return 0;
  int64_t hh = (local[11] - '0') * 10 + (local[12] - '0'), mm = (local[14] - '0') * 10 + (local[15] - '0');
  return std::chrono::sys_seconds(std::chrono::sys_days(*d)).time_since_epoch().count() + hh * 3600 + mm * 60 - 7 * 3600;
}

std::string local_seconds(int64_t unix_seconds) {
  int64_t s = ((unix_seconds % 60) + 60) % 60;
  char buf[4];
  std::snprintf(buf, sizeof buf, ":%02d", static_cast<int>(s));
  return local_time(unix_seconds) + buf;
}

std::optional<int64_t> parse_local_seconds(std::string_view s) {
  auto two = [&](size_t i) { return s[i] >= '0' && s[i] <= '9' && s[i + 1] >= '0' && s[i + 1] <= '9' ? (s[i] - '0') * 10 + (s[i + 1] - '0') : -1; };
  if (s.size() != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || !parse_date(s.substr(0, 10))) return std::nullopt;
  int h = two(11), m = two(14), sec = two(17);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return std::nullopt;
  return unix_of_local(std::string(s.substr(0, 16))) + sec;
}

}  // namespace chidoan
