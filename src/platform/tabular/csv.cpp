// CSV reading and writing, plus the helpers shared with XLSX (internal.hpp) and read_any.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "platform/tabular/internal.hpp"
#include "platform/tabular/tabular.hpp"

namespace chidoan::tabular {
namespace internal {

size_t find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;       // overlong
      if (c == 0xED) hi = 0x9F;       // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;       // overlong
      if (c == 0xF4) hi = 0x8F;       // > U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

size_t utf8_length(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
}  // namespace

void trim(std::string& s) {
  size_t end = s.size();
  while (end > 0 && is_space(s[end - 1])) --end;
  size_t begin = 0;
  while (begin < end && is_space(s[begin])) ++begin;
  if (begin != 0 || end != s.size()) s = s.substr(begin, end - begin);
}

std::string column_name(size_t index) {
  std::string out;
  size_t n = index + 1;
  while (n > 0) {
    const size_t rem = (n - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rem));
    n = (n - 1) / 26;
  }
  return out;
}

Error TableBuilder::extra_cell(size_t number, size_t column, size_t cell_count) const {
  const size_t w = width();
  if (source_ == Source::csv) {
    return Error{ErrorKind::invalid,
                 "Dòng " + std::to_string(number) + " có " + std::to_string(cell_count) +
                     " ô, nhiều hơn dòng tiêu đề (" + std::to_string(w) +
                     " ô); kiểm tra dấu phân cách trong dữ liệu",
                 {}};
  }
  return Error{ErrorKind::invalid,
               "Dòng " + std::to_string(number) + ": ô " + column_name(column) +
                   std::to_string(number) + " có dữ liệu nhưng cột " + column_name(column) +
                   " không có tiêu đề",
               {}};
}

Result<void> TableBuilder::add(std::vector<std::string> cells, size_t number) {
  bool empty = true;
  for (auto& cell : cells) {
    trim(cell);
    if (!cell.empty()) empty = false;
  }
  if (empty) return {};
  if (!has_header_) {
    while (!cells.empty() && cells.back().empty()) cells.pop_back();
    table_.header = std::move(cells);
    has_header_ = true;
    return {};
  }
  const size_t w = width();
  if (cells.size() > w) {
    size_t last = cells.size();
    while (last > w && cells[last - 1].empty()) --last;
    if (last > w) return std::unexpected(extra_cell(number, last - 1, last));
  }
  cells.resize(w);
  if ((table_.rows.size() + 1) * std::max<size_t>(w, 1) > limits_.max_cells) {
    return fail(ErrorKind::too_large, "Bảng quá lớn (tối đa " + std::to_string(limits_.max_cells) +
                                          " ô)");
  }
  table_.rows.push_back(std::move(cells));
  table_.row_numbers.push_back(number);
  return {};
}

}  // namespace internal

namespace {

// The delimiter most frequent outside quotes in the first non-blank record.
char detect_delimiter(std::string_view s) {
  size_t i = 0;
  // Skip blank lines (and whitespace-only lines) before the header.
  while (i < s.size()) {
    size_t eol = s.find('\n', i);
    if (eol == std::string_view::npos) eol = s.size();
    std::string_view line = s.substr(i, eol - i);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) break;
    i = eol + 1;
  }
  std::array<size_t, 3> counts{};  // ',' ';' '\t'
  bool quoted = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      quoted = !quoted;  // a doubled quote toggles twice: net effect nil
    } else if (!quoted) {
      if (c == '\n') break;
      if (c == ',') ++counts[0];
      if (c == ';') ++counts[1];
      if (c == '\t') ++counts[2];
    }
  }
  constexpr std::array<char, 3> kCandidates{',', ';', '\t'};
  size_t best = 0;
  for (size_t k = 1; k < counts.size(); ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return kCandidates[best];
}

bool plain_number_tail(std::string_view rest) {
  bool digit = false;
  for (char c : rest) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != ' ' && c != '.' && c != ',') {
      return false;
    }
  }
  return digit;
}

bool needs_formula_guard(std::string_view cell) {
  if (cell.empty()) return false;
  const char c = cell.front();
  if (c == '=' || c == '@' || c == '\t' || c == '\r') return true;
  // A lone "+" or "-" (a common "none" marker) is inert.
  if (c == '+' || c == '-') return cell.size() > 1 && !plain_number_tail(cell.substr(1));
  return false;
}

void append_csv_field(std::string& out, std::string_view cell) {
  std::string value;
  if (needs_formula_guard(cell)) value.push_back('\'');
  value.append(cell);
  const bool quote = value.find_first_of(",\"\r\n") != std::string::npos ||
                     (!value.empty() && (value.front() == ' ' || value.front() == '\t' ||
                                         value.back() == ' ' || value.back() == '\t'));
  if (!quote) {
    out += value;
    return;
  }
  out.push_back('"');
  for (char ch : value) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

std::string lower_extension(std::string_view filename) {
  const size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return {};
  std::string ext(filename.substr(dot + 1));
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<Table> read_csv(std::string_view bytes, const Limits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return fail(ErrorKind::too_large, "Tệp CSV quá lớn (tối đa " +
                                          std::to_string(limits.max_bytes / (1024 * 1024)) +
                                          " MB)");
  }
  if (starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);

  // Encoding first: a Windows-1258 or UTF-16 export must be refused as a whole, not half-read.
  const size_t bad = internal::find_invalid_utf8(bytes);
  const size_t nul = bytes.find('\0');
  if (bad != std::string_view::npos || nul != std::string_view::npos) {
    const size_t at = std::min(bad, nul);
    const size_t line = 1 + static_cast<size_t>(std::count(bytes.begin(),
                                                           bytes.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    std::string message(internal::kNotUtf8);
    message += " (lỗi mã ở dòng " + std::to_string(line) + "; trong Excel hãy lưu dạng \"CSV UTF-8\")";
    return fail(ErrorKind::invalid, std::move(message));
  }

  size_t line = 1;
  char delim = 0;
  // Excel's "sep=;" hint line.
  if (bytes.size() >= 5 && starts_with(bytes, "sep=") &&
      (bytes.size() == 5 || bytes[5] == '\n' || bytes[5] == '\r')) {
    delim = bytes[4];
    size_t eol = bytes.find('\n');
    bytes.remove_prefix(eol == std::string_view::npos ? bytes.size() : eol + 1);
    line = 2;
  }
  if (delim == 0) delim = detect_delimiter(bytes);

  internal::TableBuilder builder(internal::Source::csv, limits);
  std::vector<std::string> cells;
  size_t record_line = line;
  size_t records = 0;
  std::string field;
  bool in_quotes = false;
  size_t quote_line = 0;
  bool field_started = false;  // something (maybe "") was read into this record

  auto end_field = [&]() -> Result<void> {
    cells.push_back(std::move(field));
    field.clear();
    if (cells.size() > internal::kMaxColumns) {
      return fail(ErrorKind::invalid, "Dòng " + std::to_string(record_line) + " có quá " +
                                          std::to_string(internal::kMaxColumns) + " ô");
    }
    return {};
  };
  auto end_record = [&]() -> Result<void> {
    CHIDOAN_TRY_VOID(end_field());
    if (++records > limits.max_rows) {
      return fail(ErrorKind::too_large, "Tệp có quá " + std::to_string(limits.max_rows) + " dòng");
    }
    CHIDOAN_TRY_VOID(builder.add(std::move(cells), record_line));
    cells.clear();
    field_started = false;
    return {};
  };

  const size_t n = bytes.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = bytes[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < n && bytes[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else if (c == '\r' && i + 1 < n && bytes[i + 1] == '\n') {
        // CRLF inside a quoted field is stored as LF.
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == delim) {
      CHIDOAN_TRY_VOID(end_field());
      field_started = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < n && bytes[i + 1] == '\n') ++i;
      CHIDOAN_TRY_VOID(end_record());
      ++line;
      record_line = line;
    } else if (c == '"' && std::all_of(field.begin(), field.end(), [](char ch) {
                 return ch == ' ' || ch == '\t';
               })) {
      // Opening quote (whitespace before it is tolerated, as Excel does).
      field.clear();
      in_quotes = true;
      quote_line = line;
      field_started = true;
    } else {
      // Text after a closing quote or a stray quote in an unquoted field: kept literally.
      field.push_back(c);
      field_started = true;
    }
  }
  if (in_quotes) {
    return fail(ErrorKind::invalid, "Dấu ngoặc kép mở ở dòng " + std::to_string(quote_line) +
                                        " không được đóng");
  }
  if (field_started || !field.empty()) CHIDOAN_TRY_VOID(end_record());
  return builder.take();
}

std::string write_csv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  auto write_row = [&out](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c != 0) out.push_back(',');
      append_csv_field(out, cells[c]);
    }
    out += "\r\n";
  };
  write_row(table.header);
  for (const auto& row : table.rows) write_row(row);
  return out;
}

Result<Table> read_any(std::string_view filename, std::string_view bytes, const Limits& limits) {
  if (starts_with(bytes, std::string_view("PK\x03\x04", 4))) return read_xlsx(bytes, limits);

  static constexpr std::array<std::string_view, 6> kBinary{
      std::string_view("%PDF", 4),
      std::string_view("\x89PNG", 4),
      std::string_view("\xFF\xD8\xFF", 3),
      std::string_view("GIF8", 4),
      std::string_view("\xD0\xCF\x11\xE0", 4),  // OLE2: legacy .xls/.doc
      std::string_view("PK", 2),                // other zip variants (empty/spanned)
  };
  for (auto sig : kBinary) {
    if (starts_with(bytes, sig)) return fail(ErrorKind::invalid, std::string(internal::kOnlyCsvXlsx));
  }
  const std::string ext = lower_extension(filename);
  if (ext == "csv") return read_csv(bytes, limits);
  if (ext == "xlsx") return fail(ErrorKind::invalid, std::string(internal::kNotXlsx));
  return fail(ErrorKind::invalid, std::string(internal::kOnlyCsvXlsx));
}

}  // namespace chidoan::tabular
