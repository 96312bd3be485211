#include "activity/rules.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <sodium.h>

#include "platform/core/date.hpp"
#include "platform/text/text.hpp"

namespace chidoan::activity::rules {
namespace {

constexpr std::array<std::string_view, 10> kFields = {"type_id",     "title",           "description",      "place",
                                                      "starts_at",   "ends_at",         "capacity",         "signup_opens_at",
                                                      "signup_closes_at", "expects_all"};

Result<std::string> clean(const RawFields& raw, std::string_view field, bool collapse = true) {
  auto n = text::normalize(field_of(raw, field), collapse);
  if (!n) return fail(ErrorKind::invalid, n.error().message, std::string(field));
  return *n;
}

Result<std::optional<int64_t>> whole(const RawFields& raw, std::string_view field, int64_t lo, int64_t hi, const char* message) {
  CHIDOAN_TRY(s, clean(raw, field));
  if (s.empty()) return std::optional<int64_t>();
  if (s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos) return fail(ErrorKind::invalid, message, std::string(field));
  int64_t v = std::stoll(s);
  if (v < lo || v > hi) return fail(ErrorKind::invalid, message, std::string(field));
  return std::optional<int64_t>(v);
}

}  // namespace

Result<std::string> parse_local_time(std::string_view s, std::string_view field) {
  auto bad = [&] { return fail(ErrorKind::invalid, "Thời gian phải có dạng YYYY-MM-DD HH:MM", std::string(field)); };
  if (s.size() != 16 && s.size() != 19) return bad();
  if (s[10] != 'T' && s[10] != ' ') return bad();
  if (!parse_date(s.substr(0, 10))) return bad();
  auto two = [&](size_t pos) -> int {
    if (!std::isdigit(static_cast<unsigned char>(s[pos])) || !std::isdigit(static_cast<unsigned char>(s[pos + 1]))) return -1;
    return (s[pos] - '0') * 10 + (s[pos + 1] - '0');
  };
  int h = two(11), m = two(14);
  if (s[13] != ':' || h < 0 || h > 23 || m < 0 || m > 59) return bad();
  if (s.size() == 19 && (s[16] != ':' || two(17) < 0 || two(17) > 59)) return bad();
  return std::string(s.substr(0, 10)) + "T" + std::string(s.substr(11, 5));
}

int64_t minutes_of(std::string_view local) {
  auto d = parse_date(local.substr(0, 10));
  if (!d) return 0;
  int64_t days = std::chrono::sys_days(*d).time_since_epoch().count();
  int h = (local[11] - '0') * 10 + (local[12] - '0');
  int m = (local[14] - '0') * 10 + (local[15] - '0');
  return days * 1440 + h * 60 + m;
}

bool is_activity_field(std::string_view name) { return std::find(kFields.begin(), kFields.end(), name) != kFields.end(); }

Result<ActivityInput> validate_activity(const RawFields& raw) {
  ActivityInput in;
  CHIDOAN_TRY(type, whole(raw, "type_id", 1, INT64_MAX / 2, "Chưa chọn loại hoạt động"));
  if (!type) return fail(ErrorKind::invalid, "Chưa chọn loại hoạt động", "type_id");
  in.type_id = *type;
  CHIDOAN_TRY(title, clean(raw, "title"));
  if (title.empty()) return fail(ErrorKind::invalid, "Tên hoạt động không được để trống", "title");
  if (title.size() > 300) return fail(ErrorKind::invalid, "Tên hoạt động quá dài", "title");
  in.title = title;
  CHIDOAN_TRY(description, clean(raw, "description", false));
  if (description.size() > 20000) return fail(ErrorKind::invalid, "Nội dung quá dài", "description");
  in.description = description;
  CHIDOAN_TRY(place, clean(raw, "place"));
  in.place = place;
  CHIDOAN_TRY(starts, parse_local_time(field_of(raw, "starts_at"), "starts_at"));
  CHIDOAN_TRY(ends, parse_local_time(field_of(raw, "ends_at"), "ends_at"));
  if (ends < starts) return fail(ErrorKind::invalid, "Thời gian kết thúc không được trước thời gian bắt đầu", "ends_at");
  in.starts_at = starts;
  in.ends_at = ends;
  CHIDOAN_TRY(capacity, whole(raw, "capacity", 1, 1'000'000, "Số chỗ phải là số nguyên dương"));
  in.capacity = capacity;
  for (auto [field, target] : {std::pair{"signup_opens_at", &in.signup_opens_at}, std::pair{"signup_closes_at", &in.signup_closes_at}}) {
    std::string v = field_of(raw, field);
    if (v.empty()) continue;
    CHIDOAN_TRY(t, parse_local_time(v, field));
    *target = t;
  }
  if (!in.signup_closes_at.empty() && in.signup_closes_at > in.ends_at)
    return fail(ErrorKind::invalid, "Hạn đăng ký không được sau khi hoạt động kết thúc", "signup_closes_at");
  if (!in.signup_opens_at.empty() && !in.signup_closes_at.empty() && in.signup_closes_at < in.signup_opens_at)
    return fail(ErrorKind::invalid, "Hạn đăng ký không được trước ngày mở đăng ký", "signup_closes_at");
  std::string all = field_of(raw, "expects_all");
  if (all == "1" || all == "true" || all == "on") in.expects_all = true;
  else if (all == "0" || all == "false") in.expects_all = false;
  else if (!all.empty()) return fail(ErrorKind::invalid, "Giá trị không hợp lệ", "expects_all");
  return in;
}

Result<void> check_signup_window(const Activity& a, std::string_view now) {
  if (!a.signup_opens_at.empty() && now < a.signup_opens_at)
    return fail(ErrorKind::invalid, "Chưa đến thời gian đăng ký", "signup");
  std::string_view closes = a.signup_closes_at.empty() ? std::string_view(a.starts_at) : std::string_view(a.signup_closes_at);
  if (now > closes) return fail(ErrorKind::invalid, "Đã hết hạn đăng ký", "signup");
  return {};
}

SignupOutcome decide_signup(const Activity& a, int64_t confirmed) {
  return !a.capacity || confirmed < *a.capacity ? SignupOutcome::confirmed : SignupOutcome::waitlisted;
}

Result<int64_t> check_minutes(const Activity& a, int64_t minutes) {
  if (minutes < 0) return fail(ErrorKind::invalid, "Số giờ không được âm", "minutes");
  auto first = parse_date(a.starts_at.substr(0, 10)), last = parse_date(a.ends_at.substr(0, 10));
  int64_t days = 1;
  if (first && last) days = (std::chrono::sys_days(*last) - std::chrono::sys_days(*first)).count() + 1;
  if (minutes > days * 24 * 60) return fail(ErrorKind::invalid, "Số giờ vượt quá 24 giờ mỗi ngày của hoạt động", "minutes");
  return minutes;
}

int64_t minutes_between(const Activity& a, int64_t check_in_unix, int64_t check_out_unix) {
  const int64_t from = std::max(check_in_unix, unix_of_local(a.starts_at));
  const int64_t to = std::min(check_out_unix, unix_of_local(a.ends_at));
  return to > from ? (to - from) / 60 : 0;
}

std::optional<double> participation_rate(const Tally& t) {
  int64_t counted = t.present + t.absent;
  if (counted == 0) return std::nullopt;
  return static_cast<double>(t.present) / static_cast<double>(counted);
}

bool removal_candidate(const std::vector<std::string>& unexcused_months) {
  return std::set<std::string>(unexcused_months.begin(), unexcused_months.end()).size() >= 3;
}

Result<void> check_qr(const Activity& a, std::string_view presented_secret, std::string_view now) {
  if (presented_secret.size() != a.qr_secret.size() || a.qr_secret.empty() ||
      sodium_memcmp(presented_secret.data(), a.qr_secret.data(), a.qr_secret.size()) != 0)
    return fail(ErrorKind::invalid, "Mã QR không hợp lệ", "k");
  if (now > a.ends_at) return fail(ErrorKind::invalid, "Mã QR đã hết hạn: hoạt động đã kết thúc", "k");
  return {};
}

}  // namespace chidoan::activity::rules
