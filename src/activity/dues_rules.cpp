#include "activity/dues_rules.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "org/rules.hpp"
#include "platform/text/text.hpp"
#include "platform/text/whole.hpp"

namespace chidoan::activity::dues {
namespace {

Result<std::string> clean(const RawFields& raw, std::string_view field, size_t max_chars, std::string_view label) {
  auto n = text::normalize(field_of(raw, field));
  if (!n) return fail(ErrorKind::invalid, n.error().message, std::string(field));
  size_t chars = 0;
  for (char c : *n) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (chars > max_chars)
    return fail(ErrorKind::invalid, std::string(label) + " quá dài (tối đa " + std::to_string(max_chars) + " ký tự)", std::string(field));
  return *n;
}

Result<int64_t> positive_id(const RawFields& raw, std::string_view field, std::string_view label) {
  std::string s = field_of(raw, field);
  if (s.empty()) return fail(ErrorKind::invalid, "Chưa chọn " + std::string(label), std::string(field));
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0)
    return fail(ErrorKind::invalid, std::string(label) + " không hợp lệ", std::string(field));
  return v;
}

// Whole VND, digits or groups of three ("60.000", "60,000" and "60 000" are 60000); empty is none.
// "60.000,50" or "1.5" is refused, not read as 6.000.050 or 15.
Result<std::optional<int64_t>> optional_amount(const RawFields& raw, std::string_view field) {
  const std::string s = field_of(raw, field);
  if (s.find_first_not_of(' ') == std::string::npos) return std::optional<int64_t>();
  auto v = text::parse_grouped(s);
  if (!v) return fail(ErrorKind::invalid, "Số tiền phải là số nguyên đồng, không âm (ví dụ 60000 hoặc 60.000)", std::string(field));
  if (*v > 999'999'999'999) return fail(ErrorKind::invalid, "Số tiền quá lớn", std::string(field));
  return std::optional<int64_t>(*v);
}

Result<Month> month_field(const RawFields& raw, std::string_view field, std::string_view label) {
  std::string s = field_of(raw, field);
  if (s.empty()) return fail(ErrorKind::invalid, "Chưa nhập " + std::string(label), std::string(field));
  auto m = parse_month(s);
  if (!m) {
    // Also "mm/yyyy", as people write it.
    if (s.size() == 7 && s[2] == '/') m = parse_month(s.substr(3) + "-" + s.substr(0, 2));
    else if (s.size() == 6 && s[1] == '/') m = parse_month(s.substr(2) + "-0" + s.substr(0, 1));
  }
  if (!m) return fail(ErrorKind::invalid, std::string(label) + " phải có dạng YYYY-MM (ví dụ 2021-03)", std::string(field));
  return *m;
}

// [from_month, to_month]; an empty to_month is the from_month.
Result<std::pair<Month, Month>> month_range(const RawFields& raw) {
  CHIDOAN_TRY(from, month_field(raw, "from_month", "Từ tháng"));
  Month to = from;
  if (!field_of(raw, "to_month").empty()) {
    CHIDOAN_TRY(t, month_field(raw, "to_month", "Đến tháng"));
    to = t;
  }
  if (to < from) return fail(ErrorKind::invalid, "Tháng cuối phải không trước tháng đầu", "to_month");
  return std::pair{from, to};
}

// An ISO or dd/mm/yyyy date, `today` when empty, never in the future.
Result<std::string> date_field(const RawFields& raw, std::string_view field, std::string_view label, Date today) {
  std::string s = field_of(raw, field);
  if (s.empty()) return to_iso(today);
  CHIDOAN_TRY(d, org::rules::parse_any_date(s, field));
  if (d > today) return fail(ErrorKind::invalid, std::string(label) + " không được ở tương lai", std::string(field));
  return to_iso(d);
}

// Bounds shared by payments and exemptions.
Result<void> check_range(Month from, Month to, Month current) {
  if (to < from) return fail(ErrorKind::invalid, "Tháng cuối phải không trước tháng đầu", "to_month");
  if (to > current + kMaxMonthsAhead)
    return fail(ErrorKind::invalid,
                "Chỉ ghi trước tối đa " + std::to_string(kMaxMonthsAhead) + " tháng (đến tháng " + format_month(current + kMaxMonthsAhead) + ")",
                "to_month");
  if (months_in(from, to) > kMaxRangeMonths)
    return fail(ErrorKind::invalid, "Một lần ghi tối đa " + std::to_string(kMaxRangeMonths) + " tháng", "to_month");
  return {};
}

}  // namespace

// ---- months ----

std::optional<Month> parse_month(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  if (y < 1900 || m < 1 || m > 12) return std::nullopt;
  return Month::of(y, static_cast<unsigned>(m));
}

std::string to_string(Month m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", m.year(), m.month());
  return buf;
}

std::string format_month(Month m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%04d", m.month(), m.year());
  return buf;
}

Month month_of(Date d) { return Month::of(static_cast<int>(d.year()), static_cast<unsigned>(d.month())); }

Month month_of_iso(std::string_view iso) {
  auto m = parse_month(iso.substr(0, 7));
  return m ? *m : Month{};
}

std::string first_day(Month m) { return to_string(m) + "-01"; }

int months_in(Month from, Month to) { return to < from ? 0 : (to - from) + 1; }

// ---- categories and rates ----

std::string_view category_name(Category c) { return c == Category::salaried ? "salaried" : "unsalaried"; }

std::optional<Category> parse_category(std::string_view s) {
  if (s == "salaried") return Category::salaried;
  if (s == "unsalaried") return Category::unsalaried;
  return std::nullopt;
}

Category category_on(const std::vector<CategoryChange>& changes, Month m) {
  Category c = Category::salaried;
  Month best{INT32_MIN};
  for (const auto& ch : changes)
    if (ch.from <= m && ch.from >= best) {
      best = ch.from;
      c = ch.category;
    }
  return c;
}

std::optional<int64_t> rate_for(const std::vector<Rate>& rates, Category category, Month m) {
  for (const auto& r : rates)
    if (r.category == category && r.from <= m && (!r.to || m <= *r.to)) return r.amount;
  return std::nullopt;
}

Result<RateChange> check_new_rate(const std::vector<Rate>& existing, const RateInput& in, Month current) {
  if (in.amount <= 0 || in.amount > 1'000'000)
    return fail(ErrorKind::invalid, "Mức đoàn phí phải từ 1 đến 1.000.000 đồng một tháng", "amount");
  if (in.to && *in.to < in.from) return fail(ErrorKind::invalid, "Tháng cuối phải không trước tháng đầu", "valid_to");
  RateChange change;
  for (const auto& r : existing) {
    if (r.category != in.category) continue;
    bool overlaps = in.from <= (r.to ? *r.to : Month{INT32_MAX}) && r.from <= (in.to ? *in.to : Month{INT32_MAX});
    if (!overlaps) continue;
    if (!r.to && in.from > r.from) {  // succeeds the rate in force
      change.close_id = r.id;
      change.close_to = in.from - 1;
      continue;
    }
    return fail(ErrorKind::conflict,
                "Trùng thời gian với mức " + text::format_vnd(r.amount) + " áp dụng từ tháng " + format_month(r.from) +
                    (r.to ? " đến tháng " + format_month(*r.to) : std::string(" (đang áp dụng)")),
                "valid_from");
  }
  if (in.from < current)
    return fail(ErrorKind::invalid, "Mức đoàn phí mới chỉ áp dụng từ tháng hiện tại (" + format_month(current) + ") trở đi", "valid_from");
  return change;
}

// ---- membership ----

std::optional<int64_t> branch_of_month(const std::vector<Stay>& stays, Month m) {
  std::string first = first_day(m), next = first_day(m + 1);
  for (const auto& s : stays)
    if (s.from_on <= first && (s.to_on.empty() || s.to_on > first)) return s.branch_id;
  const Stay* arrival = nullptr;
  for (const auto& s : stays)
    if (s.from_on > first && s.from_on < next && (!arrival || s.from_on < arrival->from_on)) arrival = &s;
  if (arrival) return arrival->branch_id;
  return std::nullopt;
}

std::optional<int64_t> category_branch(const std::vector<Stay>& stays, Month m) {
  if (auto b = branch_of_month(stays, m)) return b;
  if (stays.empty()) return std::nullopt;
  return first_day(m) < stays.front().from_on ? stays.front().branch_id : stays.back().branch_id;
}

Result<void> check_membership(const MemberLedger& member, int64_t branch, Month from, Month to) {
  std::optional<Month> first_in, last_out;
  bool open = false;
  for (const auto& s : member.stays) {
    if (s.branch_id != branch) continue;
    Month f = month_of_iso(s.from_on);
    if (!first_in || f < *first_in) first_in = f;
    if (s.to_on.empty()) open = true;
    else if (!last_out || month_of_iso(s.to_on) > *last_out) last_out = month_of_iso(s.to_on);
  }
  if (!first_in) return fail(ErrorKind::invalid, "Đoàn viên không sinh hoạt tại chi đoàn này", "member_id");
  for (Month m = from; m <= to; m = m + 1) {
    if (branch_of_month(member.stays, m) == branch) continue;
    if (m <= *first_in)
      return fail(ErrorKind::invalid, "Tháng " + format_month(m) + " là trước khi đoàn viên vào chi đoàn", "from_month");
    if (!open && last_out && m >= *last_out)
      return fail(ErrorKind::invalid, "Tháng " + format_month(m) + " là sau khi đoàn viên rời chi đoàn", "to_month");
    return fail(ErrorKind::invalid, "Tháng " + format_month(m) + " đoàn viên không sinh hoạt tại chi đoàn này", "from_month");
  }
  return {};
}

// ---- payments, exemptions ----

Result<std::vector<Charge>> charges(const MemberLedger& member, int64_t branch, Month from, Month to,
                                    const std::vector<Rate>& rates, Month current) {
  CHIDOAN_TRY_VOID(check_range(from, to, current));
  CHIDOAN_TRY_VOID(check_membership(member, branch, from, to));
  std::vector<Charge> out;
  for (Month m = from; m <= to; m = m + 1) {
    if (member.paid.contains(m)) return fail(ErrorKind::conflict, "Tháng " + format_month(m) + " đã nộp đoàn phí", "from_month");
    if (member.exempt.contains(m)) continue;
    Category c = category_on(member.categories, m);
    auto rate = rate_for(rates, c, m);
    if (!rate) return fail(ErrorKind::invalid, "Chưa có mức đoàn phí cho tháng " + format_month(m), "from_month");
    out.push_back(Charge{m, c, *rate});
  }
  if (out.empty()) return fail(ErrorKind::invalid, "Các tháng đã chọn đều được miễn đoàn phí", "from_month");
  return out;
}

int64_t total(const std::vector<Charge>& charges) {
  int64_t sum = 0;
  for (const auto& c : charges) sum += c.amount;
  return sum;
}

Result<void> check_amount(std::optional<int64_t> entered, int64_t computed) {
  if (entered && *entered != computed)
    return fail(ErrorKind::invalid,
                "Số tiền phải là " + text::format_vnd(computed) + " (theo mức đoàn phí của các tháng đã chọn), không phải " +
                    text::format_vnd(*entered),
                "amount");
  return {};
}

Result<void> check_exemption(const MemberLedger& member, int64_t branch, Month from, Month to, Month current) {
  CHIDOAN_TRY_VOID(check_range(from, to, current));
  CHIDOAN_TRY_VOID(check_membership(member, branch, from, to));
  std::map<int, int> before, added;
  for (Month m : member.exempt) ++before[m.year()];
  for (Month m = from; m <= to; m = m + 1) {
    if (member.exempt.contains(m)) return fail(ErrorKind::conflict, "Tháng " + format_month(m) + " đã được miễn", "from_month");
    if (member.paid.contains(m)) return fail(ErrorKind::conflict, "Tháng " + format_month(m) + " đã nộp, không miễn được", "from_month");
    ++added[m.year()];
  }
  for (const auto& [year, n] : added)
    if (before[year] + n > kMaxExemptMonthsPerYear)
      return fail(ErrorKind::invalid,
                  "Mỗi năm chỉ được miễn tối đa " + std::to_string(kMaxExemptMonthsPerYear) + " tháng (năm " + std::to_string(year) +
                      ": đã miễn " + std::to_string(before[year]) + ", xin thêm " + std::to_string(n) + ")",
                  "to_month");
  return {};
}

// ---- remittance ----

Split split(int64_t collected) {
  if (collected <= 0) return Split{0, collected};
  int64_t remit = collected / 3;
  return Split{remit, collected - remit};
}

Result<void> check_remittance_range(Month from, Month to, Month current) {
  if (to < from) return fail(ErrorKind::invalid, "Tháng cuối phải không trước tháng đầu", "to_month");
  if (from.year() != to.year()) return fail(ErrorKind::invalid, "Mỗi lần nộp cấp trên chỉ gồm các tháng của một năm", "to_month");
  if (to > current) return fail(ErrorKind::invalid, "Không nộp trước cho tháng chưa đến (" + format_month(to) + ")", "to_month");
  return {};
}

// ---- the dues book ----

MonthState state_of(const MemberLedger& member, int64_t branch, Month m, Month current) {
  if (member.paid.contains(m)) {
    // Paid months are shown where they were owed (the paid-months table keeps the branch, the
    // stays tell it here).
    return branch_of_month(member.stays, m) == branch ? MonthState::paid : MonthState::none;
  }
  if (branch_of_month(member.stays, m) != branch) return MonthState::none;
  if (member.exempt.contains(m)) return MonthState::exempt;
  if (m < current) return MonthState::arrears;
  if (m == current) return MonthState::due;
  return MonthState::upcoming;
}

int64_t owed_for(const MemberLedger& member, int64_t branch, Month m, const std::vector<Rate>& rates) {
  if (branch_of_month(member.stays, m) != branch) return 0;
  return rate_for(rates, category_on(member.categories, m), m).value_or(0);
}

std::vector<Month> arrears(const MemberLedger& member, int64_t branch, Month from, Month to, Month current) {
  std::vector<Month> out;
  for (Month m = from; m <= to && m < current; m = m + 1)
    if (state_of(member, branch, m, current) == MonthState::arrears) out.push_back(m);
  return out;
}

BookRow book_row(const MemberLedger& member, int64_t branch, int year, const std::vector<Rate>& rates, Month current) {
  BookRow row;
  row.member_id = member.member_id;
  std::optional<Month> last_in;
  for (unsigned i = 1; i <= 12; ++i) {
    Month m = Month::of(year, i);
    MonthState s = state_of(member, branch, m, current);
    int64_t amount = 0;
    if (s == MonthState::paid) amount = member.paid.at(m);
    else if (s != MonthState::none) amount = owed_for(member, branch, m, rates);
    row.states.push_back(s);
    row.amounts.push_back(amount);
    if (s == MonthState::paid) row.paid += amount;
    if (s == MonthState::arrears) {
      row.arrears.push_back(m);
      row.arrears_amount += amount;
    }
    if (s != MonthState::none) last_in = m;
  }
  row.category = category_on(member.categories, last_in ? *last_in : Month::of(year, 12));
  return row;
}

void book_figures(Book& book, const std::map<Month, int64_t>& collected_by_month) {
  book.months.clear();
  book.totals = YearFigures{};
  int64_t unremitted = 0;
  for (unsigned i = 1; i <= 12; ++i) {
    MonthFigures f;
    f.month = Month::of(book.year, i);
    for (const auto& row : book.rows) {
      int64_t a = row.amounts[i - 1];
      switch (row.states[i - 1]) {
        case MonthState::paid: f.paid += a; f.expected += a; break;
        case MonthState::exempt: f.exempted += a; break;
        case MonthState::arrears: f.arrears += a; f.expected += a; break;
        case MonthState::due:
        case MonthState::upcoming: f.expected += a; break;
        case MonthState::none: break;
      }
    }
    auto c = collected_by_month.find(f.month);
    f.collected = c == collected_by_month.end() ? 0 : c->second;
    Split s = split(f.collected);
    f.share_up = s.remit;
    f.kept = s.keep;
    for (const auto& r : book.remittances)
      if (r.from <= f.month && f.month <= r.to) f.remitted = true;
    if (!f.remitted && f.month <= book.current) unremitted += f.collected;
    auto& t = book.totals;
    t.expected += f.expected;
    t.paid += f.paid;
    t.exempted += f.exempted;
    t.arrears += f.arrears;
    t.collected += f.collected;
    book.months.push_back(f);
  }
  Split year = split(book.totals.collected);
  book.totals.share_up = year.remit;
  book.totals.kept = year.keep;
  for (const auto& r : book.remittances)
    if (r.from.year() == book.year) book.totals.remitted += r.amount;
  book.totals.to_remit = split(unremitted).remit;
}

// ---- input parsing ----

Result<PaymentInput> parse_payment(const RawFields& raw, Date today) {
  PaymentInput in;
  CHIDOAN_TRY(member, positive_id(raw, "member_id", "đoàn viên"));
  in.member_id = member;
  CHIDOAN_TRY(range, month_range(raw));
  in.from = range.first;
  in.to = range.second;
  CHIDOAN_TRY(amount, optional_amount(raw, "amount"));
  in.amount = amount;
  CHIDOAN_TRY(paid_on, date_field(raw, "paid_on", "Ngày nộp", today));
  in.paid_on = paid_on;
  CHIDOAN_TRY(receipt, clean(raw, "receipt_no", 50, "Số biên lai"));
  in.receipt_no = receipt;
  CHIDOAN_TRY(note, clean(raw, "note", 500, "Ghi chú"));
  in.note = note;
  return in;
}

Result<ReversalInput> parse_reversal(const RawFields& raw, Date today) {
  ReversalInput in;
  CHIDOAN_TRY(on, date_field(raw, "reversed_on", "Ngày điều chỉnh", today));
  in.on = on;
  CHIDOAN_TRY(reason, clean(raw, "reason", 500, "Lý do"));
  if (reason.empty()) return fail(ErrorKind::invalid, "Cần ghi lý do điều chỉnh", "reason");
  in.reason = reason;
  return in;
}

Result<ExemptionInput> parse_exemption(const RawFields& raw) {
  ExemptionInput in;
  CHIDOAN_TRY(member, positive_id(raw, "member_id", "đoàn viên"));
  in.member_id = member;
  CHIDOAN_TRY(range, month_range(raw));
  in.from = range.first;
  in.to = range.second;
  CHIDOAN_TRY(reason, clean(raw, "reason", 500, "Lý do"));
  if (reason.empty()) return fail(ErrorKind::invalid, "Cần ghi lý do miễn (hoàn cảnh khó khăn)", "reason");
  in.reason = reason;
  return in;
}

Result<RemittanceInput> parse_remittance(const RawFields& raw, Date today) {
  RemittanceInput in;
  CHIDOAN_TRY(range, month_range(raw));
  in.from = range.first;
  in.to = range.second;
  CHIDOAN_TRY(amount, optional_amount(raw, "amount"));
  in.amount = amount;
  CHIDOAN_TRY(on, date_field(raw, "remitted_on", "Ngày nộp", today));
  in.remitted_on = on;
  CHIDOAN_TRY(note, clean(raw, "note", 500, "Ghi chú"));
  in.note = note;
  return in;
}

Result<CategoryInput> parse_category_change(const RawFields& raw) {
  CategoryInput in;
  CHIDOAN_TRY(member, positive_id(raw, "member_id", "đoàn viên"));
  in.member_id = member;
  auto c = parse_category(field_of(raw, "category"));
  if (!c) return fail(ErrorKind::invalid, "Đối tượng phải là \"salaried\" (có lương) hoặc \"unsalaried\" (không có lương)", "category");
  in.category = *c;
  CHIDOAN_TRY(from, month_field(raw, "valid_from", "Từ tháng"));
  in.from = from;
  return in;
}

Result<RateInput> parse_rate(const RawFields& raw) {
  RateInput in;
  auto c = parse_category(field_of(raw, "category"));
  if (!c) return fail(ErrorKind::invalid, "Đối tượng phải là \"salaried\" hoặc \"unsalaried\"", "category");
  in.category = *c;
  CHIDOAN_TRY(amount, optional_amount(raw, "amount"));
  if (!amount) return fail(ErrorKind::invalid, "Chưa nhập mức đoàn phí", "amount");
  in.amount = *amount;
  CHIDOAN_TRY(from, month_field(raw, "valid_from", "Từ tháng"));
  in.from = from;
  if (!field_of(raw, "valid_to").empty()) {
    CHIDOAN_TRY(to, month_field(raw, "valid_to", "Đến tháng"));
    in.to = to;
  }
  CHIDOAN_TRY(source, clean(raw, "source", 200, "Căn cứ"));
  in.source = source;
  return in;
}

}  // namespace chidoan::activity::dues
