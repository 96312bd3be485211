#include "desk/rules.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "platform/core/date.hpp"

namespace chidoan::desk::rules {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kUtcOffset = 7 * 3600;
const char* const kWeekdayNames[] = {"", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"};

std::string local_hhmm(int64_t unix_seconds) { return local_time(unix_seconds).substr(11, 5); }
std::string local_date_vi(int64_t unix_seconds) {
  std::string iso = local_time(unix_seconds).substr(0, 10);
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

}  // namespace

Result<int> clock_minutes(std::string_view s, const std::string& field) {
  auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (s.size() != 5 || s[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
    return fail(ErrorKind::invalid, "Giờ phải viết dạng HH:MM, ví dụ 07:30", field);
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return fail(ErrorKind::invalid, "Giờ không có thật: " + std::string(s), field);
  return h * 60 + m;
}

Result<void> check_month(std::string_view month, const std::string& field) {
  if (month.size() != 7 || month[4] != '-' || !parse_date(std::string(month) + "-01"))
    return fail(ErrorKind::invalid, "Tháng phải viết dạng YYYY-MM, ví dụ 2021-11", field);
  return {};
}

std::string add_months(std::string_view month, int delta) {
  int y = std::stoi(std::string(month.substr(0, 4))), m = std::stoi(std::string(month.substr(5, 2))) - 1 + delta;
  y += m >= 0 ? m / 12 : (m - 11) / 12;
  m = ((m % 12) + 12) % 12;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m + 1);
  return buf;
}

Result<void> check_center(const CenterInput& in) {
  if (in.name.empty()) return fail(ErrorKind::invalid, "Cần tên trung tâm", "name");
  if (in.name.size() > 200) return fail(ErrorKind::invalid, "Tên trung tâm quá dài", "name");
  if (in.max_shifts_per_week < 1 || in.max_shifts_per_week > 14)
    return fail(ErrorKind::invalid, "Số ca tối đa một tuần phải từ 1 đến 14", "max_shifts_per_week");
  if (in.min_rest_minutes < 0 || in.min_rest_minutes > 1440)
    return fail(ErrorKind::invalid, "Thời gian nghỉ giữa hai ca phải từ 0 đến 1440 phút", "min_rest_minutes");
  if (in.no_show_limit < 1 || in.no_show_limit > 100)
    return fail(ErrorKind::invalid, "Số lần vắng không báo trước khi khoá đăng ký phải từ 1 đến 100", "no_show_limit");
  return {};
}

Result<void> check_template(const Template& t, const std::vector<Template>& others) {
  if (t.name.empty()) return fail(ErrorKind::invalid, "Cần tên ca", "name");
  if (t.weekdays.empty()) return fail(ErrorKind::invalid, "Chọn ít nhất một ngày trong tuần", "weekdays");
  std::set<char> days;
  for (char d : t.weekdays)
    if (d < '1' || d > '7' || !days.insert(d).second)
      return fail(ErrorKind::invalid, "Ngày trong tuần là các số 1 (thứ Hai) đến 7 (Chủ nhật), không lặp lại", "weekdays");
  CHIDOAN_TRY(start, clock_minutes(t.start_time, "start_time"));
  CHIDOAN_TRY(end, clock_minutes(t.end_time, "end_time"));
  if (end <= start) return fail(ErrorKind::invalid, "Giờ kết thúc phải sau giờ bắt đầu", "end_time");
  if (t.min_staff < 0) return fail(ErrorKind::invalid, "Số người tối thiểu không được âm", "min_staff");
  if (t.max_staff < 1 || t.max_staff > 50) return fail(ErrorKind::invalid, "Số người tối đa phải từ 1 đến 50", "max_staff");
  if (t.min_staff > t.max_staff) return fail(ErrorKind::invalid, "Số người tối thiểu lớn hơn số tối đa", "min_staff");
  for (const auto& o : others) {
    if (o.id == t.id || !o.active || o.counter_id != t.counter_id) continue;
    auto shared = std::ranges::find_if(t.weekdays, [&](char d) { return o.weekdays.find(d) != std::string::npos; });
    if (shared == t.weekdays.end()) continue;
    auto os = clock_minutes(o.start_time, "start_time"), oe = clock_minutes(o.end_time, "end_time");
    if (!os || !oe || start >= *oe || *os >= end) continue;
    return fail(ErrorKind::invalid,
                "Ca trùng giờ với ca «" + o.name + "» (" + o.start_time + "–" + o.end_time + ") cùng quầy vào " +
                    kWeekdayNames[*shared - '0'],
                "start_time");
  }
  return {};
}

std::vector<ShiftTime> shift_times(const Template& t, std::string_view month) {
  std::vector<ShiftTime> out;
  auto first = parse_date(std::string(month) + "-01");
  auto start = clock_minutes(t.start_time, "start_time"), end = clock_minutes(t.end_time, "end_time");
  if (!first || !start || !end) return out;
  std::chrono::sys_days day = *first;
  for (; std::chrono::year_month_day(day).month() == first->month(); day += std::chrono::days(1)) {
    unsigned iso_weekday = std::chrono::weekday(day).iso_encoding();  // Monday = 1
    if (t.weekdays.find(static_cast<char>('0' + iso_weekday)) == std::string::npos) continue;
    int64_t midnight = day.time_since_epoch().count() * kDay - kUtcOffset;
    out.push_back({to_iso(std::chrono::year_month_day(day)), midnight + *start * 60, midnight + *end * 60});
  }
  return out;
}

int64_t local_day(int64_t unix_seconds) {
  int64_t s = unix_seconds + kUtcOffset;
  return s >= 0 ? s / kDay : (s - kDay + 1) / kDay;
}

// 1970-01-01 was a Thursday: day 0 is the fourth day of week 0 (Monday = day -3).
int64_t local_week(int64_t unix_seconds) {
  int64_t d = local_day(unix_seconds) + 3;
  return d >= 0 ? d / 7 : (d - 6) / 7;
}

Result<void> check_take(const Center& c, const Shift& s, int staff, const std::vector<Duty>& duties, int64_t now) {
  if (now >= s.starts_at) return fail(ErrorKind::conflict, "Ca đã bắt đầu, không nhận thêm người", "shift_id");
  if (staff >= s.max_staff)
    return fail(ErrorKind::conflict, "Ca đã đủ " + std::to_string(s.max_staff) + " người", "shift_id");
  int in_week = 0;
  const int64_t rest = int64_t{c.min_rest_minutes} * 60;
  for (const auto& d : duties) {
    if (d.shift_id == s.id) return fail(ErrorKind::conflict, "Đã có tên trong ca này", "shift_id");
    if (d.starts_at < s.ends_at && s.starts_at < d.ends_at)
      return fail(ErrorKind::conflict,
                  "Trùng giờ với ca khác đã nhận (" + local_date_vi(d.starts_at) + " " + local_hhmm(d.starts_at) + "–" +
                      local_hhmm(d.ends_at) + ")",
                  "shift_id");
    if (d.center_id == c.id && rest > 0 && (s.starts_at < d.ends_at + rest && d.starts_at < s.ends_at + rest))
      return fail(ErrorKind::conflict,
                  "Cần nghỉ ít nhất " + std::to_string(c.min_rest_minutes) + " phút giữa hai ca (ca " + local_date_vi(d.starts_at) +
                      " " + local_hhmm(d.starts_at) + "–" + local_hhmm(d.ends_at) + ")",
                  "shift_id");
    if (d.center_id == c.id && local_week(d.starts_at) == local_week(s.starts_at)) ++in_week;
  }
  if (in_week >= c.max_shifts_per_week)
    return fail(ErrorKind::conflict, "Đã đủ " + std::to_string(c.max_shifts_per_week) + " ca trong tuần này", "shift_id");
  return {};
}

Result<void> check_lock(const Center& c, int no_shows) {
  if (no_shows >= c.no_show_limit)
    return fail(ErrorKind::conflict,
                "Đăng ký ca đang bị khoá: đã vắng không báo " + std::to_string(no_shows) +
                    " ca trong 12 tháng qua. Liên hệ điều phối viên để được mở khoá.",
                "member_id");
  return {};
}

bool drop_needs_coordinator(const Shift& s, int64_t now) { return now >= s.starts_at - kDay; }

Result<void> check_check_in(const Shift& s, int64_t at) {
  if (at < s.starts_at - 3600) return fail(ErrorKind::conflict, "Chưa đến giờ nhận ca (mở trước giờ bắt đầu 60 phút)", "check_in_at");
  if (at > s.ends_at) return fail(ErrorKind::conflict, "Ca đã kết thúc, không nhận ca được nữa", "check_in_at");
  return {};
}

Result<int64_t> duty_minutes(const Shift& s, int64_t check_in_at, int64_t check_out_at) {
  if (check_out_at < check_in_at) return fail(ErrorKind::invalid, "Giờ trả ca trước giờ nhận ca", "check_out_at");
  int64_t from = std::max(check_in_at, s.starts_at - 3600), to = std::min(check_out_at, s.ends_at + 3600);
  return to > from ? (to - from) / 60 : 0;
}

}  // namespace chidoan::desk::rules
