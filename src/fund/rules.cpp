#include "fund/rules.hpp"

#include <algorithm>
#include <array>

#include "platform/text/text.hpp"
#include "platform/text/whole.hpp"

namespace chidoan::fund::rules {
namespace {

constexpr std::array<std::string_view, 14> kFields = {"round_no", "kind", "amount_vnd", "item", "quantity", "unit", "value_vnd",
                                                      "contributor_kind", "member_id", "unit_id", "contributor_name", "on_date",
                                                      "method", "note"};

Result<std::string> clean(const RawFields& raw, std::string_view field) {
  auto n = text::normalize(field_of(raw, field));
  if (!n) return fail(ErrorKind::invalid, n.error().message, std::string(field));
  return *n;
}

Result<std::optional<int64_t>> id_field(const RawFields& raw, std::string_view field) {
  std::string s = field_of(raw, field);
  if (s.empty()) return std::optional<int64_t>();
  if (s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos || s == "0")
    return fail(ErrorKind::invalid, "Mã số không hợp lệ", std::string(field));
  return std::optional<int64_t>(std::stoll(s));
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

Result<int64_t> parse_vnd(std::string_view raw, std::string_view field, bool allow_zero) {
  const std::string f(field);
  const std::string_view t = trimmed(raw);
  if (t.empty()) return fail(ErrorKind::invalid, "Chưa nhập số tiền", f);
  if (t.front() == '-' || t.starts_with("\u2212")) return fail(ErrorKind::invalid, "Số tiền không được âm", f);
  // Whole đồng: "200000.00" or "1.5" is refused, not read as 20.000.000 or 15.
  auto v = text::parse_grouped(t);
  if (!v) return fail(ErrorKind::invalid, "Số tiền phải là số nguyên đồng, nhóm ba chữ số (ví dụ 130.000.000)", f);
  if (*v > kMaxVnd) return fail(ErrorKind::invalid, "Số tiền vượt quá 10^15 đồng", f);
  if (*v == 0 && !allow_zero) return fail(ErrorKind::invalid, "Số tiền phải lớn hơn 0", f);
  return *v;
}

Result<int64_t> parse_quantity(std::string_view raw, std::string_view field) {
  // As the pages print it (format_quantity): '.' or a space between thousands, ',' before the
  // decimals: "5.000" is five thousand, "2,5" two and a half. "2.5" is refused, not read as 25.
  const std::string f(field);
  const std::string_view t = trimmed(raw);
  if (t.empty()) return fail(ErrorKind::invalid, "Chưa nhập số lượng", f);
  const size_t comma = t.find(',');
  const std::string_view whole = t.substr(0, comma);
  const std::string_view frac = comma == std::string_view::npos ? std::string_view() : t.substr(comma + 1);
  auto w = text::parse_grouped(whole, ". ");
  const bool frac_ok = comma == std::string_view::npos ||
                       (!frac.empty() && frac.size() <= 3 && frac.find_first_not_of("0123456789") == std::string_view::npos);
  if (!w || !frac_ok)
    return fail(ErrorKind::invalid,
                "Số lượng phải là số dương: dấu chấm tách hàng nghìn, dấu phẩy trước phần lẻ, tối đa 3 chữ số lẻ (ví dụ 5.000 hoặc 2,5)", f);
  if (*w >= 1'000'000'000'000) return fail(ErrorKind::invalid, "Số lượng quá lớn", f);
  std::string milli_digits(frac);
  milli_digits.resize(3, '0');
  const int64_t milli = *w * 1000 + std::stoll(milli_digits);
  if (milli <= 0) return fail(ErrorKind::invalid, "Số lượng phải lớn hơn 0", f);
  return milli;
}

std::string format_quantity(int64_t milli) {
  bool negative = milli < 0;
  int64_t a = negative ? -milli : milli;
  std::string s = text::format_int(a / 1000);
  int64_t frac = a % 1000;
  if (frac) {
    std::string f = std::to_string(1000 + frac).substr(1);
    while (f.back() == '0') f.pop_back();
    s += "," + f;
  }
  return (negative ? "-" : "") + s;
}

bool is_contribution_field(std::string_view name) { return std::find(kFields.begin(), kFields.end(), name) != kFields.end(); }

Result<ContributionInput> validate_contribution(const RawFields& raw, Date today) {
  ContributionInput in;
  CHIDOAN_TRY(round, id_field(raw, "round_no"));
  in.round_no = round;
  in.kind = field_of(raw, "kind").empty() ? "money" : field_of(raw, "kind");
  if (in.kind == "money") {
    CHIDOAN_TRY(amount, parse_vnd(field_of(raw, "amount_vnd"), "amount_vnd"));
    in.amount_vnd = amount;
    in.method = field_of(raw, "method").empty() ? "cash" : field_of(raw, "method");
    if (in.method != "cash" && in.method != "transfer") return fail(ErrorKind::invalid, "Hình thức nộp phải là tiền mặt hoặc chuyển khoản", "method");
  } else if (in.kind == "in_kind") {
    CHIDOAN_TRY(item, clean(raw, "item"));
    if (item.empty()) return fail(ErrorKind::invalid, "Chưa ghi tên hiện vật", "item");
    in.item = item;
    CHIDOAN_TRY(quantity, parse_quantity(field_of(raw, "quantity"), "quantity"));
    in.quantity_milli = quantity;
    CHIDOAN_TRY(unit, clean(raw, "unit"));
    if (unit.empty()) return fail(ErrorKind::invalid, "Chưa ghi đơn vị tính (kg, thùng, bao…)", "unit");
    in.unit = unit;
    std::string value = field_of(raw, "value_vnd");
    if (!value.empty()) {
      CHIDOAN_TRY(v, parse_vnd(value, "value_vnd", true));
      in.value_vnd = v;
    }
    in.method = "in_kind";
  } else {
    return fail(ErrorKind::invalid, "Loại đóng góp phải là tiền hoặc hiện vật", "kind");
  }
  in.contributor_kind = field_of(raw, "contributor_kind").empty() ? "anonymous" : field_of(raw, "contributor_kind");
  CHIDOAN_TRY(name, clean(raw, "contributor_name"));
  CHIDOAN_TRY(member, id_field(raw, "member_id"));
  CHIDOAN_TRY(unit, id_field(raw, "unit_id"));
  const std::string& k = in.contributor_kind;
  if (k == "member") {
    if (!member) return fail(ErrorKind::invalid, "Chưa chọn đoàn viên", "member_id");
    in.member_id = member;
  } else if (k == "unit") {
    if (!unit) return fail(ErrorKind::invalid, "Chưa chọn đơn vị công tác", "unit_id");
    in.unit_id = unit;
  } else if (k == "agency" || k == "person") {
    if (name.empty()) return fail(ErrorKind::invalid, "Ghi tên người hoặc cơ quan đóng góp", "contributor_name");
    in.contributor_name = name;
  } else if (k != "anonymous") {
    return fail(ErrorKind::invalid, "Người đóng góp không hợp lệ", "contributor_kind");
  }
  std::string date = field_of(raw, "on_date");
  if (date.empty()) date = to_iso(today);
  auto d = parse_date(date);
  if (!d) return fail(ErrorKind::invalid, "Ngày không hợp lệ", "on_date");
  if (*d > today) return fail(ErrorKind::invalid, "Ngày đóng góp không được ở tương lai", "on_date");
  in.on_date = date;
  CHIDOAN_TRY(note, clean(raw, "note"));
  if (note.size() > 1000) return fail(ErrorKind::invalid, "Ghi chú quá dài", "note");
  in.note = note;
  return in;
}

Result<void> check_campaign(const Campaign& c, const ContributionInput& in) {
  if (!c.open()) return fail(ErrorKind::conflict, "Chiến dịch \"" + c.name + "\" đã kết thúc", "campaign_id");
  if (in.on_date < c.starts_on) return fail(ErrorKind::invalid, "Ngày đóng góp trước khi chiến dịch bắt đầu", "on_date");
  if (!c.ends_on.empty() && in.on_date > c.ends_on) return fail(ErrorKind::invalid, "Ngày đóng góp sau khi chiến dịch kết thúc", "on_date");
  if (c.rounds.empty()) {
    if (in.round_no) return fail(ErrorKind::invalid, "Chiến dịch không chia đợt", "round_no");
    return {};
  }
  if (!in.round_no) return fail(ErrorKind::invalid, "Chọn đợt đóng góp", "round_no");
  auto r = std::find_if(c.rounds.begin(), c.rounds.end(), [&](const Round& x) { return x.no == *in.round_no; });
  if (r == c.rounds.end()) return fail(ErrorKind::invalid, "Chiến dịch không có đợt " + std::to_string(*in.round_no), "round_no");
  return {};
}

namespace {

// The date of a correction: `date` (empty: today), neither in the future nor before the line it
// corrects.
Result<std::string> correction_date(std::string_view date, const std::string& original_on, Date today) {
  const std::string on = date.empty() ? to_iso(today) : std::string(date);
  auto d = parse_date(on);
  if (!d) return fail(ErrorKind::invalid, "Ngày điều chỉnh không hợp lệ", "on_date");
  if (*d > today) return fail(ErrorKind::invalid, "Ngày điều chỉnh không được ở tương lai", "on_date");
  if (on < original_on)
    return fail(ErrorKind::invalid, "Ngày điều chỉnh không được trước ngày ghi khoản gốc (" + text::format_date(original_on) + ")", "on_date");
  return on;
}

}  // namespace

Result<ContributionInput> reversal_of(const Contribution& original, std::string_view date, std::string_view reason, Date today) {
  if (original.reverses_id) return fail(ErrorKind::conflict, "Không đảo một bút toán đảo", "contribution_id");
  if (original.reversed_by) return fail(ErrorKind::conflict, "Khoản này đã được đảo", "contribution_id");
  if (original.receipt_no) return fail(ErrorKind::conflict, "Khoản đã xuất biên nhận số " + std::to_string(*original.receipt_no) + ": không đảo được", "contribution_id");
  if (reason.empty()) return fail(ErrorKind::invalid, "Ghi lý do điều chỉnh", "reason");
  CHIDOAN_TRY(on, correction_date(date, original.on_date, today));
  ContributionInput in;
  in.round_no = original.round_no;
  in.kind = original.kind;
  in.amount_vnd = -original.amount_vnd;
  in.item = original.item;
  in.quantity_milli = -original.quantity_milli;
  in.unit = original.unit;
  in.value_vnd = -original.value_vnd;
  in.contributor_kind = original.contributor_kind;
  in.member_id = original.member_id;
  in.unit_id = original.unit_id;
  in.contributor_name = original.contributor_name;
  in.on_date = on;
  in.method = original.method;
  in.note = std::string(reason);
  return in;
}

Result<Outflow> outflow_reversal_of(const Outflow& original, std::string_view date, std::string_view reason, Date today) {
  if (original.reverses_id) return fail(ErrorKind::conflict, "Không đảo một khoản chi điều chỉnh", "outflow_id");
  if (original.reversed_by) return fail(ErrorKind::conflict, "Khoản chi này đã được đảo", "outflow_id");
  if (reason.empty()) return fail(ErrorKind::invalid, "Ghi lý do điều chỉnh", "reason");
  CHIDOAN_TRY(on, correction_date(date, original.on_date, today));
  Outflow o = original;
  o.id = 0;
  o.on_date = on;
  o.description = std::string(reason);
  o.amount_vnd = -original.amount_vnd;
  o.quantity_milli = -original.quantity_milli;
  o.value_vnd = -original.value_vnd;
  o.reverses_id = original.id;
  o.reversed_by.reset();
  o.recorded_by.clear();
  return o;
}

std::string kind_label(std::string_view k) {
  if (k == "member") return "Đoàn viên";
  if (k == "unit") return "Đơn vị công tác";
  if (k == "agency") return "Cơ quan, tổ chức";
  if (k == "person") return "Cá nhân";
  return "Ẩn danh";
}

std::string method_label(std::string_view m) {
  if (m == "cash") return "Tiền mặt";
  if (m == "transfer") return "Chuyển khoản";
  return "Hiện vật";
}

}  // namespace chidoan::fund::rules
