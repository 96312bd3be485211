#include "desk/assist_rules.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <set>

#include "org/rules.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"

namespace chidoan::desk::assist_rules {
namespace {

constexpr int64_t kUtcOffset = 7 * 3600;

bool all_digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

// The words of an accent-folded text: runs of ASCII letters and digits.
std::vector<std::string> words(std::string_view folded) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : folded) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) cur += c;
    else if (!cur.empty()) out.push_back(std::exchange(cur, {}));
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

Result<std::optional<int64_t>> id_field(const RawFields& raw, const std::string& field) {
  std::string s = field_of(raw, field);
  if (s.empty()) return std::optional<int64_t>();
  if (s.size() > 18 || !all_digits(s) || s.find_first_not_of('0') == std::string::npos)
    return fail(ErrorKind::invalid, "Mã số không hợp lệ", field);
  return std::optional<int64_t>(std::stoll(s));
}

Result<bool> bool_field(const RawFields& raw, const std::string& field) {
  std::string s = field_of(raw, field);
  if (s.empty() || s == "0" || s == "false" || s == "off" || s == "no") return false;
  if (s == "1" || s == "true" || s == "on" || s == "yes") return true;
  return fail(ErrorKind::invalid, "Giá trị phải là có hoặc không", field);
}

// Unix seconds of a local civil time.
int64_t unix_of(Date d, int h, int m, int s) {
  return std::chrono::sys_seconds(std::chrono::sys_days(d)).time_since_epoch().count() + h * 3600 + m * 60 + s - kUtcOffset;
}

// The checks shared by the form and check_assist that need no level.
Result<void> check_consistency(const AssistInput& in) {
  if (in.outcome == "submitted" && !in.steps.submitted)
    return fail(ErrorKind::invalid, "Kết quả “đã nộp trực tuyến” cần đánh dấu bước “Nộp hồ sơ trực tuyến”", "steps");
  if (in.steps.submitted && in.outcome != "submitted")
    return fail(ErrorKind::invalid, "Đã nộp hồ sơ trực tuyến thì kết quả phải là “đã nộp trực tuyến”", "outcome");
  if (in.phone) {
    if (!in.phone_consent_at)
      return fail(ErrorKind::invalid, "Chỉ ghi số điện thoại khi người dân đồng ý để liên hệ lại (đánh dấu ô đồng ý)", "phone_consent");
    if (!in.phone->starts_with("+84")) return fail(ErrorKind::invalid, "Số điện thoại phải ở dạng +84…", "phone");
  }
  return {};
}

// Header name -> the procedure field it stands for.
const std::map<std::string, std::string, std::less<>>& header_aliases() {
  static const std::map<std::string, std::string, std::less<>> m = {
      {"ma thu tuc", "code"},         {"ma tthc", "code"},
      {"ma thu tuc hanh chinh", "code"}, {"ma", "code"},
      {"code", "code"},               {"ten thu tuc", "name"},
      {"ten tthc", "name"},           {"ten thu tuc hanh chinh", "name"},
      {"ten", "name"},                {"name", "name"},
      {"linh vuc", "field"},          {"field", "field"},
      {"muc do", "level"},            {"muc do dvc", "level"},
      {"muc do dich vu cong", "level"}, {"muc do dvctt", "level"},
      {"level", "level"},             {"thanh phan ho so", "documents"},
      {"ho so", "documents"},         {"giay to", "documents"},
      {"documents", "documents"},
  };
  return m;
}

std::string joined_words(std::string_view s) {
  std::string out;
  for (const auto& w : words(text::search_fold(s))) out += (out.empty() ? "" : " ") + w;
  return out;
}

// "Mã thủ tục", "Mã thủ tục / code", "Mức độ (level)" -> "code", "code", "level"; "" if unknown.
std::string header_field(std::string_view header) {
  const auto& aliases = header_aliases();
  std::vector<std::string_view> candidates = {header};
  for (char sep : {'/', '('}) {
    auto pos = header.find(sep);
    if (pos != std::string_view::npos) {
      candidates.push_back(header.substr(0, pos));
      candidates.push_back(header.substr(pos + 1));
    }
  }
  for (auto c : candidates)
    if (auto it = aliases.find(joined_words(c)); it != aliases.end()) return it->second;
  return {};
}

const char* header_label(std::string_view field) {
  if (field == "code") return "Mã thủ tục (code)";
  if (field == "name") return "Tên thủ tục (name)";
  if (field == "level") return "Mức độ (level)";
  if (field == "field") return "Lĩnh vực (field)";
  return "Thành phần hồ sơ (documents)";
}

}  // namespace

// ---- Names

Result<std::string> parse_level(std::string_view raw, const std::string& field) {
  const std::string message = "Mức độ phải là 3, 4, “toàn trình” hoặc “một phần”";
  std::vector<std::string> w = words(text::search_fold(raw));
  if (w.empty()) return fail(ErrorKind::invalid, "Chọn mức độ dịch vụ công", field);
  if (w.size() == 1)
    for (auto l : kLevels)
      if (w[0] == l) return std::string(l);
  static const std::set<std::string, std::less<>> filler = {"muc", "do", "dvc", "dvctt", "dich", "vu", "cong", "truc", "tuyen", "level", "cap"};
  std::string found;
  for (size_t i = 0; i < w.size(); ++i) {
    std::string level;
    if (w[i] == "3" || w[i] == "4") level = w[i];
    else if (w[i] == "toan" && i + 1 < w.size() && w[i + 1] == "trinh") {
      level = "full";
      ++i;
    } else if (w[i] == "mot" && i + 1 < w.size() && w[i + 1] == "phan") {
      level = "partial";
      ++i;
    } else if (w[i] == "full" || w[i] == "partial") level = w[i];
    else if (filler.contains(w[i])) continue;
    else return fail(ErrorKind::invalid, message, field);
    if (!found.empty() && found != level) return fail(ErrorKind::invalid, message, field);
    found = level;
  }
  if (found.empty()) return fail(ErrorKind::invalid, message, field);
  return found;
}

std::string level_label(std::string_view level) {
  if (level == "3") return "Mức độ 3";
  if (level == "4") return "Mức độ 4";
  if (level == "full") return "Toàn trình";
  if (level == "partial") return "Một phần";
  return std::string(level);
}

Result<std::string> parse_outcome(std::string_view raw, const std::string& field) {
  for (auto o : kOutcomes)
    if (raw == o) return std::string(o);
  if (raw.empty()) return fail(ErrorKind::invalid, "Chọn kết quả hướng dẫn", field);
  return fail(ErrorKind::invalid, "Kết quả phải là: đã nộp trực tuyến, thiếu giấy tờ hoặc chuyển nơi khác", field);
}

std::string outcome_label(std::string_view outcome) {
  if (outcome == "submitted") return "Đã nộp trực tuyến";
  if (outcome == "missing_papers") return "Thiếu giấy tờ";
  if (outcome == "referred") return "Chuyển nơi khác";
  return std::string(outcome);
}

std::string step_label(std::string_view step) {
  if (step == "scanned") return "Quét giấy tờ";
  if (step == "account") return "Tạo tài khoản Cổng DVC";
  if (step == "fileset") return "Lập bộ hồ sơ điện tử";
  if (step == "submitted") return "Nộp hồ sơ trực tuyến";
  return std::string(step);
}

Result<Steps> parse_steps(std::string_view joined, const std::string& field) {
  Steps s;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t comma = joined.find(',', start);
    std::string_view part = joined.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part == "scanned") s.scanned = true;
    else if (part == "account") s.account = true;
    else if (part == "fileset") s.fileset = true;
    else if (part == "submitted") s.submitted = true;
    else if (!part.empty())
      return fail(ErrorKind::invalid, "Bước không có trong danh sách (scanned, account, fileset, submitted): " + std::string(part.substr(0, 40)), field);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return s;
}

std::vector<std::string> step_names(const Steps& s) {
  std::vector<std::string> out;
  if (s.scanned) out.emplace_back("scanned");
  if (s.account) out.emplace_back("account");
  if (s.fileset) out.emplace_back("fileset");
  if (s.submitted) out.emplace_back("submitted");
  return out;
}

// ---- Times

Result<int64_t> parse_time(std::string_view raw, const std::string& field) {
  if (all_digits(raw)) {
    if (raw.size() > 12) return fail(ErrorKind::invalid, "Thời điểm không hợp lệ", field);
    return std::stoll(std::string(raw));
  }
  const std::string message = "Thời điểm phải viết dạng YYYY-MM-DDTHH:MM, ví dụ 2021-11-15T08:30";
  if ((raw.size() != 16 && raw.size() != 19) || (raw[10] != 'T' && raw[10] != ' ') || raw[13] != ':' ||
      (raw.size() == 19 && raw[16] != ':'))
    return fail(ErrorKind::invalid, message, field);
  auto d = parse_date(raw.substr(0, 10));
  auto two = [&](size_t i) { return all_digits(raw.substr(i, 2)) ? (raw[i] - '0') * 10 + (raw[i + 1] - '0') : -1; };
  int h = two(11), m = two(14), s = raw.size() == 19 ? two(17) : 0;
  if (!d || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return fail(ErrorKind::invalid, message, field);
  return unix_of(*d, h, m, s);
}

std::string local_seconds(int64_t unix_seconds) { return chidoan::local_seconds(unix_seconds); }

Result<std::pair<int64_t, int64_t>> period_range(std::string_view period, const std::string& field) {
  const std::string message = "Kỳ phải viết dạng YYYY (năm) hoặc YYYY-MM (tháng), ví dụ 2021 hoặc 2021-11";
  if (period.size() == 4 && all_digits(period)) {
    int y = std::stoi(std::string(period));
    if (y < 1900) return fail(ErrorKind::invalid, message, field);
    Date from{std::chrono::year(y), std::chrono::January, std::chrono::day(1)};
    Date to{std::chrono::year(y + 1), std::chrono::January, std::chrono::day(1)};
    return std::pair{unix_of(from, 0, 0, 0), unix_of(to, 0, 0, 0)};
  }
  if (period.size() == 7 && period[4] == '-') {
    auto d = parse_date(std::string(period) + "-01");
    if (!d) return fail(ErrorKind::invalid, message, field);
    Date next = (std::chrono::year_month(d->year(), d->month()) + std::chrono::months(1)) / std::chrono::day(1);
    return std::pair{unix_of(*d, 0, 0, 0), unix_of(next, 0, 0, 0)};
  }
  return fail(ErrorKind::invalid, message, field);
}

std::string month_after(std::string_view month, int delta) {
  int y = std::stoi(std::string(month.substr(0, 4))), m = std::stoi(std::string(month.substr(5, 2))) - 1 + delta;
  y += m >= 0 ? m / 12 : (m - 11) / 12;
  m = ((m % 12) + 12) % 12;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m + 1);
  return buf;
}

std::vector<std::string> months_of(std::string_view period) {
  if (period.size() != 4) return {std::string(period)};
  std::vector<std::string> out;
  for (int m = 1; m <= 12; ++m) {
    out.push_back(std::string(period) + (m < 10 ? "-0" : "-") + std::to_string(m));
  }
  return out;
}

// ---- The assistance log

Result<std::string> clean_text(std::string_view raw, const std::string& field, size_t max_chars, bool keep_lines) {
  return text::clean_field(raw, field, "Nội dung", max_chars, keep_lines);
}

Result<AssistInput> validate_assist(const RawFields& raw, int64_t now) {
  AssistInput in;
  CHIDOAN_TRY(member, id_field(raw, "member_id"));
  in.member_id = member;
  CHIDOAN_TRY(shift, id_field(raw, "shift_id"));
  in.shift_id = shift;
  CHIDOAN_TRY(procedure, id_field(raw, "procedure_id"));
  if (!procedure) return fail(ErrorKind::invalid, "Chọn thủ tục hành chính", "procedure_id");
  in.procedure_id = *procedure;

  std::string at_raw = field_of(raw, "at");
  if (at_raw.empty()) {
    in.at = now;
  } else {
    CHIDOAN_TRY(at, parse_time(at_raw, "at"));
    in.at = at;
  }
  if (in.at > now + kFutureSkewSeconds) return fail(ErrorKind::invalid, "Thời điểm hướng dẫn không được ở tương lai", "at");

  std::string level_raw = field_of(raw, "level");
  if (!level_raw.empty()) {
    CHIDOAN_TRY(level, parse_level(level_raw, "level"));
    in.level = level;
  }
  CHIDOAN_TRY(steps, parse_steps(field_of(raw, "steps"), "steps"));
  in.steps = steps;
  CHIDOAN_TRY(outcome, parse_outcome(field_of(raw, "outcome"), "outcome"));
  in.outcome = outcome;

  CHIDOAN_TRY(phone_raw, clean_text(field_of(raw, "phone"), "phone", 40, false));
  CHIDOAN_TRY(consent, bool_field(raw, "phone_consent"));
  if (!phone_raw.empty()) {
    if (!consent)
      return fail(ErrorKind::invalid, "Chỉ ghi số điện thoại khi người dân đồng ý để liên hệ lại (đánh dấu ô đồng ý)", "phone_consent");
    CHIDOAN_TRY(phone, org::rules::normalize_phone(phone_raw));
    in.phone = phone;
    in.phone_consent_at = now;
  }
  CHIDOAN_TRY(note, clean_text(field_of(raw, "note"), "note", kMaxNoteChars, true));
  in.note = note;
  CHIDOAN_TRY_VOID(check_consistency(in));
  return in;
}

Result<void> check_assist(const AssistInput& in) {
  if (std::find(kLevels.begin(), kLevels.end(), in.level) == kLevels.end())
    return fail(ErrorKind::invalid, "Mức độ phải là 3, 4, “toàn trình” hoặc “một phần”", "level");
  CHIDOAN_TRY_VOID(parse_outcome(in.outcome));
  if (text::utf8_chars(in.note) > kMaxNoteChars)
    return fail(ErrorKind::invalid, "Nội dung quá dài (tối đa " + std::to_string(kMaxNoteChars) + " ký tự)", "note");
  return check_consistency(in);
}

Result<void> check_in_shift(int64_t at, const Shift& s) {
  if (at < s.starts_at - kShiftSlackSeconds || at > s.ends_at + kShiftSlackSeconds) {
    std::string day = local_time(s.starts_at);
    return fail(ErrorKind::invalid,
                "Thời điểm phải trong ca trực đã chọn (" + text::format_date(day.substr(0, 10)) + " " + day.substr(11, 5) + "–" +
                    local_time(s.ends_at).substr(11, 5) + ", sớm hoặc muộn hơn tối đa 60 phút)",
                "at");
  }
  return {};
}

// ---- The catalogue of procedures

Result<std::vector<std::string>> split_documents(std::string_view raw, const std::string& field) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find_first_of(";\n\r", start);
    std::string_view part = raw.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    CHIDOAN_TRY(doc, clean_text(part, field, 300, false));
    if (!doc.empty()) {
      if (!seen.insert(text::search_fold(doc)).second) return fail(ErrorKind::invalid, "Giấy tờ bị lặp: " + doc, field);
      out.push_back(doc);
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (out.size() > kMaxDocuments)
    return fail(ErrorKind::invalid, "Tối đa " + std::to_string(kMaxDocuments) + " thành phần hồ sơ", field);
  return out;
}

std::string join_documents(const std::vector<std::string>& docs) {
  std::string out;
  for (const auto& d : docs) out += (out.empty() ? "" : "\n") + d;
  return out;
}

std::vector<std::string> documents_of(std::string_view stored) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < stored.size()) {
    size_t end = stored.find('\n', start);
    if (end == std::string_view::npos) end = stored.size();
    if (end > start) out.emplace_back(stored.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<ProcedureInput> validate_procedure(const RawFields& raw) {
  ProcedureInput p;
  CHIDOAN_TRY(code, clean_text(field_of(raw, "code"), "code", 50, false));
  if (code.empty()) return fail(ErrorKind::invalid, "Cần mã thủ tục", "code");
  for (char c : code)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
      return fail(ErrorKind::invalid, "Mã thủ tục chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang (ví dụ 1.000656)", "code");
  p.code = code;
  CHIDOAN_TRY(name, clean_text(field_of(raw, "name"), "name", 500, false));
  if (name.empty()) return fail(ErrorKind::invalid, "Cần tên thủ tục", "name");
  p.name = name;
  CHIDOAN_TRY(field, clean_text(field_of(raw, "field"), "field", 200, false));
  p.field = field;
  CHIDOAN_TRY(level, parse_level(field_of(raw, "level"), "level"));
  p.level = level;
  CHIDOAN_TRY(docs, split_documents(field_of(raw, "documents"), "documents"));
  p.documents = docs;
  return p;
}

Result<ProcedureTable> map_procedure_table(const tabular::Table& t) {
  if (t.header.empty()) return fail(ErrorKind::invalid, "Tệp trống: cần dòng tiêu đề và các dòng thủ tục", "file");
  ProcedureTable out;
  std::map<std::string, size_t> column;  // field -> index
  for (size_t i = 0; i < t.header.size(); ++i) {
    std::string f = header_field(t.header[i]);
    if (f.empty()) {
      if (!t.header[i].empty()) out.ignored_headers.push_back(t.header[i]);
      continue;
    }
    if (!column.emplace(f, i).second)
      return fail(ErrorKind::invalid, std::string("Cột ") + header_label(f) + " xuất hiện hai lần", "file");
  }
  for (const char* required : {"code", "name", "level"})
    if (!column.contains(required)) return fail(ErrorKind::invalid, std::string("Thiếu cột ") + header_label(required), "file");
  if (t.rows.empty()) return fail(ErrorKind::invalid, "Tệp không có dòng thủ tục nào", "file");

  std::map<std::string, size_t> line_of_code;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    size_t line = r < t.row_numbers.size() ? t.row_numbers[r] : r + 2;
    RawFields raw;
    for (const auto& [f, i] : column) raw[f] = i < t.rows[r].size() ? t.rows[r][i] : "";
    auto p = validate_procedure(raw);
    if (!p) {
      out.errors.push_back({line, p.error().field, p.error().message});
      continue;
    }
    if (auto [it, fresh] = line_of_code.emplace(p->code, line); !fresh) {
      out.errors.push_back({line, "code", "Mã thủ tục " + p->code + " trùng với dòng " + std::to_string(it->second)});
      continue;
    }
    out.rows.push_back({line, std::move(*p)});
  }
  return out;
}

Error import_error(const std::vector<RowError>& errors) {
  std::string message;
  size_t shown = std::min<size_t>(errors.size(), 10);
  for (size_t i = 0; i < shown; ++i)
    message += std::string(i == 0 ? "Dòng " : "; dòng ") + std::to_string(errors[i].line) + ": " + errors[i].message;
  if (errors.size() > shown) message += "; và " + std::to_string(errors.size() - shown) + " dòng lỗi khác";
  message += ". Chưa ghi thủ tục nào: sửa tệp rồi nhập lại.";
  return Error{ErrorKind::invalid, message, "file"};
}

}  // namespace chidoan::desk::assist_rules
