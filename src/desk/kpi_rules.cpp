#include "desk/kpi_rules.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "desk/rules.hpp"
#include "platform/text/text.hpp"
#include "platform/text/whole.hpp"

namespace chidoan::desk::kpi {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) { return !s.empty() && std::ranges::all_of(s, is_digit); }

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// The Vietnamese name of a figure column, for messages.
std::string label_of(std::string_view field) {
  static const std::map<std::string, std::string, std::less<>> labels = {
      {"received", "Số hồ sơ tiếp nhận"},
      {"settled", "Số hồ sơ đã giải quyết"},
      {"online_level3", "Số hồ sơ trực tuyến mức độ 3"},
      {"online_level4", "Số hồ sơ trực tuyến mức độ 4"},
      {"online_full", "Số hồ sơ trực tuyến toàn trình"},
      {"online_partial", "Số hồ sơ trực tuyến một phần"},
      {"assisted", "Số hồ sơ được bàn hướng dẫn hỗ trợ"},
  };
  auto it = labels.find(field);
  return it == labels.end() ? std::string(field) : it->second;
}

// The count of `field` in a month (const or not); nullptr for an unknown field.
template <typename M>
auto column(M& m, std::string_view field) -> decltype(&m.received) {
  if (field == "received") return &m.received;
  if (field == "settled") return &m.settled;
  if (field == "online_level3") return &m.online_level3;
  if (field == "online_level4") return &m.online_level4;
  if (field == "online_full") return &m.online_full;
  if (field == "online_partial") return &m.online_partial;
  if (field == "assisted") return &m.assisted;
  return nullptr;
}

// A header or a month cell folded for matching: "Trực tuyến mức độ 3" -> "truc_tuyen_muc_do_3".
std::string fold_key(std::string_view s) {
  std::string folded = text::search_fold(s), out;
  for (char c : folded) {
    bool alnum = is_digit(c) || (c >= 'a' && c <= 'z');
    if (alnum) out += c;
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// Each column and the folded headers that name it.
const std::vector<std::pair<std::string, std::vector<std::string>>>& header_aliases() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> aliases = {
      {"month", {"month", "thang", "ky", "ky_bao_cao", "thang_bao_cao"}},
      {"received",
       {"received", "total", "tiep_nhan", "da_tiep_nhan", "ho_so_tiep_nhan", "so_ho_so_tiep_nhan", "tong_so_ho_so", "tong_ho_so",
        "tong_so_ho_so_tiep_nhan"}},
      {"settled", {"settled", "giai_quyet", "da_giai_quyet", "ho_so_da_giai_quyet", "so_ho_so_da_giai_quyet", "ho_so_giai_quyet"}},
      {"online_level3", {"online_level3", "level3", "muc_do_3", "md3", "truc_tuyen_muc_do_3", "ho_so_truc_tuyen_muc_do_3"}},
      {"online_level4", {"online_level4", "level4", "muc_do_4", "md4", "truc_tuyen_muc_do_4", "ho_so_truc_tuyen_muc_do_4"}},
      {"online_full", {"online_full", "toan_trinh", "truc_tuyen_toan_trinh", "ho_so_truc_tuyen_toan_trinh"}},
      {"online_partial", {"online_partial", "mot_phan", "truc_tuyen_mot_phan", "ho_so_truc_tuyen_mot_phan"}},
      {"assisted", {"assisted", "ho_tro", "duoc_ho_tro", "so_ho_so_duoc_ho_tro", "ban_huong_dan_ho_tro", "duoc_ban_huong_dan_ho_tro"}},
  };
  return aliases;
}

}  // namespace

Result<int64_t> parse_count(std::string_view raw, const std::string& field, bool required) {
  std::string s = trim(raw);
  // NBSP (U+00A0) as a thousands separator, like a space.
  for (size_t at = s.find("\xC2\xA0"); at != std::string::npos; at = s.find("\xC2\xA0")) s.replace(at, 2, " ");
  if (s.empty()) {
    if (required) return fail(ErrorKind::invalid, label_of(field) + ": cần ghi số", field);
    return int64_t{0};
  }
  if (s.front() == '-' || s.starts_with("\u2212"))
    return fail(ErrorKind::invalid, label_of(field) + " không được âm: " + s, field);
  // Digits, or groups of three after a first group of one to three, all with one separator.
  auto v = text::parse_grouped(s, ". ");
  if (!v) return fail(ErrorKind::invalid, label_of(field) + " phải là số nguyên không âm (ví dụ 8123 hoặc 8.123): " + s, field);
  if (*v > kMaxCount)
    return fail(ErrorKind::invalid, label_of(field) + " quá lớn (tối đa " + text::format_int(kMaxCount) + ")", field);
  return *v;
}

Result<std::string> parse_month(std::string_view raw, std::optional<int> year, const std::string& field) {
  const std::string shown = trim(raw);
  const std::string bad = "Tháng phải viết dạng YYYY-MM (ví dụ 2021-11) hoặc MM/YYYY (ví dụ 11/2021): " + shown;
  std::string s = text::search_fold(shown);  // lower case, no marks: "Tháng 1/2021" -> "thang 1/2021"
  if (s.starts_with("thang")) s = trim(s.substr(5));
  else if (s.starts_with("t") && s.size() > 1 && is_digit(s[1])) s = s.substr(1);
  int y = 0, m = 0;
  if (s.size() == 7 && s[4] == '-' && all_digits(s.substr(0, 4)) && all_digits(s.substr(5))) {
    y = std::stoi(s.substr(0, 4));
    m = std::stoi(s.substr(5));
  } else if (auto slash = s.find('/'); slash != std::string::npos) {
    std::string mm = s.substr(0, slash), yyyy = s.substr(slash + 1);
    if (mm.empty() || mm.size() > 2 || !all_digits(mm) || yyyy.size() != 4 || !all_digits(yyyy)) return fail(ErrorKind::invalid, bad, field);
    y = std::stoi(yyyy);
    m = std::stoi(mm);
  } else if (!s.empty() && s.size() <= 2 && all_digits(s)) {
    if (!year) return fail(ErrorKind::invalid, "Tháng " + shown + " cần có năm, ví dụ " + shown + "/2021", field);
    y = *year;
    m = std::stoi(s);
  } else {
    return fail(ErrorKind::invalid, bad, field);
  }
  if (m < 1 || m > 12) return fail(ErrorKind::invalid, "Không có tháng " + std::to_string(m) + " (tháng từ 1 đến 12): " + shown, field);
  if (y < kMinYear || y > kMaxYear)
    return fail(ErrorKind::invalid, "Năm phải từ " + std::to_string(kMinYear) + " đến " + std::to_string(kMaxYear) + ": " + shown, field);
  if (year && y != *year)
    return fail(ErrorKind::invalid, "Tháng " + shown + " không thuộc năm " + std::to_string(*year), field);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return std::string(buf);
}

Result<void> check_figures(const KpiMonth& m, std::optional<int> year) {
  CHIDOAN_TRY_VOID(rules::check_month(m.month, "month"));
  int y = std::stoi(m.month.substr(0, 4));
  if (y < kMinYear || y > kMaxYear)
    return fail(ErrorKind::invalid, "Năm phải từ " + std::to_string(kMinYear) + " đến " + std::to_string(kMaxYear), "month");
  if (year && y != *year) return fail(ErrorKind::invalid, "Tháng " + m.month + " không thuộc năm " + std::to_string(*year), "month");
  for (const char* f : kCountFields) {
    int64_t v = *column(m, f);
    if (v < 0) return fail(ErrorKind::invalid, label_of(f) + " không được âm", f);
    if (v > kMaxCount) return fail(ErrorKind::invalid, label_of(f) + " quá lớn (tối đa " + text::format_int(kMaxCount) + ")", f);
  }
  if (m.online() > m.received)
    return fail(ErrorKind::invalid,
                "Số hồ sơ trực tuyến (" + text::format_int(m.online()) + ") lớn hơn số hồ sơ tiếp nhận (" + text::format_int(m.received) + ")",
                "received");
  if (m.assisted > m.received)
    return fail(ErrorKind::invalid,
                "Số hồ sơ được hỗ trợ (" + text::format_int(m.assisted) + ") lớn hơn số hồ sơ tiếp nhận (" + text::format_int(m.received) + ")",
                "assisted");
  if (m.by_class() && m.online_level3 + m.online_level4 > 0)
    return fail(ErrorKind::invalid,
                "Tháng " + m.month + " ghi cả mức độ 3, 4 và toàn trình, một phần: mỗi tháng chỉ ghi theo một cách phân loại "
                "(mức độ trước Nghị định 42/2022, toàn trình/một phần từ đó), kẻo một hồ sơ được tính hai lần",
                "online_full");
  if (m.settled > 0 && m.online_full > m.settled)
    return fail(ErrorKind::invalid,
                "Số hồ sơ toàn trình (" + text::format_int(m.online_full) + ") lớn hơn số hồ sơ đã giải quyết (" + text::format_int(m.settled) + ")",
                "online_full");
  return {};
}

Result<void> check_not_ahead(const KpiMonth& m, Date today) {
  if (m.month > to_iso(today).substr(0, 7)) return fail(ErrorKind::invalid, "Tháng " + m.month + " chưa đến: chỉ ghi số liệu của tháng đã bắt đầu", "month");
  return {};
}

Result<KpiMonth> figures_from(const RawFields& fields, std::optional<int> year) {
  auto get = [&](const char* k) {
    auto it = fields.find(k);
    return it == fields.end() ? std::string() : it->second;
  };
  KpiMonth m;
  if (trim(get("month")).empty()) return fail(ErrorKind::invalid, "Chọn tháng", "month");
  CHIDOAN_TRY(month, parse_month(get("month"), year));
  m.month = month;
  for (const char* f : kCountFields) {
    CHIDOAN_TRY(v, parse_count(get(f), f, std::string_view(f) == "received"));
    *column(m, f) = v;
  }
  CHIDOAN_TRY_VOID(check_figures(m, year));
  return m;
}

Result<int64_t> parse_percent(std::string_view raw, const std::string& field) {
  std::string s = trim(raw);
  if (s.ends_with("%")) s = trim(s.substr(0, s.size() - 1));
  if (s.empty()) return fail(ErrorKind::invalid, "Ghi chỉ tiêu theo phần trăm, ví dụ 30 hoặc 30,5", field);
  if (s.front() == '-' || s.starts_with("\u2212")) return fail(ErrorKind::invalid, "Chỉ tiêu không được âm: " + trim(raw), field);
  size_t sep = s.find_first_of(",.");
  std::string whole = s.substr(0, sep), decimals = sep == std::string::npos ? "" : s.substr(sep + 1);
  if (!all_digits(whole) || whole.size() > 3 || (sep != std::string::npos && (!all_digits(decimals) || decimals.size() > 2)))
    return fail(ErrorKind::invalid, "Chỉ tiêu phải là phần trăm, ví dụ 30 hoặc 30,5 (tối đa hai chữ số thập phân): " + trim(raw), field);
  while (decimals.size() < 2) decimals += '0';
  int64_t bp = std::stoll(whole) * 100 + std::stoll(decimals);
  if (bp > 10000) return fail(ErrorKind::invalid, "Chỉ tiêu không được quá 100%: " + trim(raw), field);
  return bp;
}

Result<int> check_year(int64_t year, const std::string& field) {
  if (year < kMinYear || year > kMaxYear)
    return fail(ErrorKind::invalid, "Năm phải từ " + std::to_string(kMinYear) + " đến " + std::to_string(kMaxYear), field);
  return static_cast<int>(year);
}

Result<void> check_target(const Target& t) {
  CHIDOAN_TRY_VOID(check_year(t.year));
  if (t.bp < 0) return fail(ErrorKind::invalid, "Chỉ tiêu không được âm", "target");
  if (t.bp > 10000) return fail(ErrorKind::invalid, "Chỉ tiêu không được quá 100%", "target");
  if (t.source.size() > 200) return fail(ErrorKind::invalid, "Nguồn giao chỉ tiêu quá dài (tối đa 200 ký tự)", "source");
  return {};
}

std::optional<int64_t> ratio_bp(int64_t num, int64_t den) {
  if (den <= 0 || num < 0) return std::nullopt;
  return (num * 20000 + den) / (2 * den);
}

double fraction(int64_t bp) { return static_cast<double>(bp) / 10000.0; }

std::string percent_vn(int64_t bp) { return text::format_percent(fraction(bp), 2); }

std::string target_vn(int64_t bp) {
  std::string s = text::format_decimal(static_cast<double>(bp) / 100.0, 2);
  if (s.ends_with(",00")) s.resize(s.size() - 3);
  else if (s.ends_with("0") && s.find(',') != std::string::npos) s.pop_back();
  return s + "%";
}

std::string points_vn(int64_t bp) {
  std::string s = text::format_decimal(static_cast<double>(bp) / 100.0, 2);
  return bp > 0 ? "+" + s : s;
}

Rates rates_of(const KpiMonth& m, std::optional<int64_t> target_bp) {
  Rates r;
  r.rate_bp = ratio_bp(m.online(), m.received);
  // Months reported by level (before Decree 42/2022) have no toàn trình figure to rate, and their
  // settled dossiers are not in the denominator.
  if (m.by_class()) r.national_bp = ratio_bp(m.online_full, m.classed_settled());
  if (r.rate_bp && target_bp) {
    r.gap_bp = *r.rate_bp - *target_bp;
    r.meets = *r.gap_bp >= 0;
  }
  return r;
}

YearSummary summarize(int year, std::vector<KpiMonth> months, std::optional<int64_t> target_bp) {
  std::ranges::sort(months, {}, &KpiMonth::month);
  YearSummary y;
  y.year = year;
  y.target_bp = target_bp;
  y.total.month = std::to_string(year);
  for (const auto& m : months) {
    y.total.received += m.received;
    y.total.settled += m.settled;
    y.total.online_level3 += m.online_level3;
    y.total.online_level4 += m.online_level4;
    y.total.online_full += m.online_full;
    y.total.online_partial += m.online_partial;
    y.total.assisted += m.assisted;
    y.total.settled_classed = y.total.settled_classed.value_or(0) + m.classed_settled();
    y.month_rates.push_back(rates_of(m, target_bp));
  }
  y.rates = rates_of(y.total, target_bp);
  y.months = std::move(months);
  return y;
}

std::optional<int64_t> combined_target(const std::vector<std::pair<int64_t, int64_t>>& centers) {
  if (centers.empty()) return std::nullopt;
  bool same = std::ranges::all_of(centers, [&](const auto& c) { return c.first == centers.front().first; });
  if (same) return centers.front().first;
  int64_t weighted = 0, received = 0, sum = 0;
  for (const auto& [bp, n] : centers) {
    weighted += bp * n;
    received += n;
    sum += bp;
  }
  if (received > 0) return (weighted * 2 + received) / (2 * received);
  int64_t count = static_cast<int64_t>(centers.size());
  return (sum * 2 + count) / (2 * count);
}

Result<std::vector<KpiMonth>> months_from_table(const tabular::Table& t, std::optional<int> year) {
  if (t.header.empty()) return fail(ErrorKind::invalid, "Tệp không có dữ liệu", "file");
  // Which column of the table holds which field.
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < t.header.size(); ++i) {
    std::string key = fold_key(t.header[i]);
    if (key.empty()) continue;  // an unnamed column (e.g. a trailing delimiter)
    std::string found;
    for (const auto& [field, names] : header_aliases())
      if (std::ranges::find(names, key) != names.end()) found = field;
    if (found.empty())
      return fail(ErrorKind::invalid,
                  "Cột “" + t.header[i] + "” không được hỗ trợ. Các cột: month, received, settled, online_level3, online_level4, "
                  "online_full, online_partial, assisted (hoặc tên tiếng Việt: Tháng, Tiếp nhận, Đã giải quyết, Mức độ 3, Mức độ 4, "
                  "Toàn trình, Một phần, Được hỗ trợ)",
                  "file");
    if (!at.emplace(found, i).second) return fail(ErrorKind::invalid, "Cột “" + t.header[i] + "” bị lặp (" + found + ")", "file");
  }
  for (const char* required : {"month", "received"})
    if (!at.contains(required))
      return fail(ErrorKind::invalid, std::string("Thiếu cột ") + required + (std::string_view(required) == "month" ? " (Tháng)" : " (Tiếp nhận)"),
                  "file");

  std::vector<KpiMonth> out;
  std::set<std::string> seen;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const std::string line = "Dòng " + std::to_string(r < t.row_numbers.size() ? t.row_numbers[r] : r + 2);
    auto cell = [&](const std::string& field) -> std::string {
      auto it = at.find(field);
      return it == at.end() || it->second >= row.size() ? std::string() : row[it->second];
    };
    auto in_row = [&](const Error& e, const std::string& column) {
      return fail(ErrorKind::invalid, line + ", cột " + column + ": " + e.message, "file");
    };
    std::string month_cell = fold_key(cell("month"));
    if (month_cell == "tong" || month_cell == "tong_cong" || month_cell == "cong" || month_cell == "total") continue;
    if (trim(cell("month")).empty()) return fail(ErrorKind::invalid, line + ", cột month: chưa ghi tháng", "file");
    auto month = parse_month(cell("month"), year);
    if (!month) return in_row(month.error(), "month");
    KpiMonth m;
    m.month = *month;
    for (const char* f : kCountFields) {
      auto v = parse_count(cell(f), f, std::string_view(f) == "received");
      if (!v) return in_row(v.error(), f);
      *column(m, f) = *v;
    }
    if (auto ok = check_figures(m, year); !ok) return in_row(ok.error(), ok.error().field);
    if (!seen.insert(m.month).second) return fail(ErrorKind::invalid, line + ", cột month: tháng " + m.month + " đã có ở dòng trên", "file");
    out.push_back(m);
  }
  if (out.empty()) return fail(ErrorKind::invalid, "Tệp không có tháng nào", "file");
  std::ranges::sort(out, {}, &KpiMonth::month);
  return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> csv_header_help() {
  return {{"month", {"Tháng", "Kỳ báo cáo"}},
          {"received", {"Tiếp nhận", "Hồ sơ tiếp nhận", "Tổng số hồ sơ"}},
          {"settled", {"Đã giải quyết", "Hồ sơ đã giải quyết"}},
          {"online_level3", {"Mức độ 3", "Trực tuyến mức độ 3"}},
          {"online_level4", {"Mức độ 4", "Trực tuyến mức độ 4"}},
          {"online_full", {"Toàn trình", "Trực tuyến toàn trình"}},
          {"online_partial", {"Một phần", "Trực tuyến một phần"}},
          {"assisted", {"Được hỗ trợ", "Bàn hướng dẫn hỗ trợ"}}};
}

}  // namespace chidoan::desk::kpi
