// Writing Tables as .xlsx sheets with libxlsxwriter. Version 1.1.4 can only write to a file name, so
// the workbook goes to a private temp directory that is removed afterwards.
#include <xlsxwriter.h>

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "platform/tabular/internal.hpp"
#include "platform/tabular/tabular.hpp"

namespace chidoan::tabular {
namespace {

constexpr size_t kMaxCellChars = 32767;      // Excel's limit for one cell
constexpr size_t kMaxRows = 1'048'576;       // Excel's sheet height, header included
constexpr double kMinWidth = 8;
constexpr double kMaxWidth = 60;

// Removes the directory tree on scope exit.
class TempDir {
 public:
  TempDir() {
    std::error_code ec;
    std::string pattern =
        (std::filesystem::temp_directory_path(ec) / "chidoan-xlsx-XXXXXX").string();
    if (ec) pattern = "/tmp/chidoan-xlsx-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Owns the workbook until workbook_close (which both writes and frees it).
struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};

// Excel refuses []:*?/\ in sheet names, leading/trailing apostrophes, and more than 31 chars.
std::string sanitize_sheet_name(std::string_view name) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < name.size() && chars < 31;) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::string_view ch = name.substr(i, len);
    if (ch.size() == 1 && std::string_view("[]:*?/\\").find(ch[0]) != std::string_view::npos) {
      out.push_back('_');
    } else if (ch.size() == 1 && static_cast<unsigned char>(ch[0]) < 0x20) {
      out.push_back(' ');
    } else {
      out.append(ch);
    }
    i += len;
    ++chars;
  }
  while (!out.empty() && out.front() == '\'') out.erase(out.begin());
  while (!out.empty() && out.back() == '\'') out.pop_back();
  internal::trim(out);
  if (out.empty()) out = "Sheet1";
  return out;
}

// Display width of a cell in characters: its longest line.
size_t display_width(std::string_view cell) {
  size_t best = 0;
  size_t start = 0;
  while (start <= cell.size()) {
    size_t eol = cell.find('\n', start);
    if (eol == std::string_view::npos) eol = cell.size();
    best = std::max(best, internal::utf8_length(cell.substr(start, eol - start)));
    start = eol + 1;
  }
  return best;
}

Result<void> check_cell(const std::string& cell, size_t row, size_t column) {
  const std::string where = internal::column_name(column) + std::to_string(row + 1);
  if (internal::find_invalid_utf8(cell) != std::string_view::npos) {
    return fail(ErrorKind::invalid, "Ô " + where + " không phải văn bản UTF-8 hợp lệ");
  }
  if (internal::utf8_length(cell) > kMaxCellChars) {
    return fail(ErrorKind::invalid, "Ô " + where + " dài quá 32.767 ký tự (giới hạn của Excel)");
  }
  return {};
}

std::unexpected<Error> lxw_failure(lxw_error error) {
  return fail(ErrorKind::unavailable, std::string("Không tạo được tệp XLSX: ") + lxw_strerror(error));
}

}  // namespace

namespace {

using Numbers = std::vector<std::vector<std::optional<Number>>>;

// A sheet to write: its table and numbers are borrowed (a member export is not copied).
struct SheetRef {
  std::string name;
  const Table* table;
  const Numbers* numbers;  // may be null
};

// Checks the sheet's size and cells; its column widths.
Result<std::vector<double>> measure(const Table& table) {
  if (table.rows.size() + 1 > kMaxRows) {
    return fail(ErrorKind::too_large, "Quá nhiều dòng cho một trang tính Excel (tối đa 1.048.575)");
  }
  size_t columns = table.header.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());
  if (columns > internal::kMaxColumns) {
    return fail(ErrorKind::too_large, "Quá nhiều cột cho một trang tính Excel (tối đa 16.384)");
  }
  // Validate everything first: libxlsxwriter would write invalid XML for non-UTF-8 bytes.
  std::vector<double> widths(columns, kMinWidth);
  auto scan = [&](const std::vector<std::string>& cells, size_t row) -> Result<void> {
    for (size_t c = 0; c < cells.size(); ++c) {
      CHIDOAN_TRY_VOID(check_cell(cells[c], row, c));
      widths[c] = std::max(widths[c], std::min(kMaxWidth, static_cast<double>(display_width(cells[c]) + 2)));
    }
    return {};
  };
  CHIDOAN_TRY_VOID(scan(table.header, 0));
  for (size_t r = 0; r < table.rows.size(); ++r) CHIDOAN_TRY_VOID(scan(table.rows[r], r + 1));
  return widths;
}

// The first `n` characters (code points) of valid UTF-8 `s`.
std::string first_chars(const std::string& s, size_t n) {
  size_t i = 0;
  for (size_t chars = 0; i < s.size() && chars < n; ++chars) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  }
  return s.substr(0, std::min(i, s.size()));
}

const Number* number_at(const Numbers* numbers, size_t row, size_t column) {
  if (!numbers || row >= numbers->size() || column >= (*numbers)[row].size() || !(*numbers)[row][column]) return nullptr;
  return &*(*numbers)[row][column];
}

Result<std::string> write_workbook(const std::vector<SheetRef>& sheets) {
  std::vector<std::vector<double>> widths;
  for (const auto& s : sheets) {
    CHIDOAN_TRY(w, measure(*s.table));
    widths.push_back(std::move(w));
  }
  // Valid, unique names.
  std::vector<std::string> names;
  for (const auto& s : sheets) {
    const std::string base = sanitize_sheet_name(s.name);
    std::string name = base;
    for (int k = 2; std::find(names.begin(), names.end(), name) != names.end(); ++k) {
      const std::string suffix = " (" + std::to_string(k) + ")";
      name = first_chars(base, 31 - suffix.size()) + suffix;
    }
    names.push_back(name);
  }

  TempDir dir;
  if (!dir.ok()) return fail(ErrorKind::unavailable, "Không tạo được thư mục tạm cho tệp XLSX");
  const std::string file = (dir.path() / "export.xlsx").string();
  const std::string tmpdir = dir.path().string();

  {
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;  // shared strings, like Excel itself writes
    options.tmpdir = const_cast<char*>(tmpdir.c_str());
    lxw_workbook* raw_wb = workbook_new_opt(file.c_str(), &options);
    if (!raw_wb) return fail(ErrorKind::unavailable, "Không tạo được tệp XLSX");
    std::unique_ptr<lxw_workbook, WorkbookCloser> wb(raw_wb);
    lxw_format* bold = workbook_add_format(wb.get());
    format_set_bold(bold);
    std::map<std::string, lxw_format*> number_formats;
    auto number_format = [&](const std::string& code) {
      auto [it, fresh] = number_formats.emplace(code, nullptr);
      if (fresh) {
        it->second = workbook_add_format(wb.get());
        if (!code.empty()) format_set_num_format(it->second, code.c_str());
      }
      return it->second;
    };

    for (size_t i = 0; i < std::max<size_t>(sheets.size(), 1); ++i) {
      lxw_worksheet* ws = workbook_add_worksheet(wb.get(), sheets.empty() ? "Sheet1" : names[i].c_str());
      if (!ws) ws = workbook_add_worksheet(wb.get(), ("Sheet" + std::to_string(i + 1)).c_str());
      if (!ws) return fail(ErrorKind::unavailable, "Không tạo được trang tính XLSX");
      if (sheets.empty()) break;
      const Table& table = *sheets[i].table;
      auto write_row = [&](const std::vector<std::string>& cells, lxw_row_t row, lxw_format* format,
                           const Numbers* numbers) -> Result<void> {
        for (size_t c = 0; c < cells.size(); ++c) {
          const auto col = static_cast<lxw_col_t>(c);
          lxw_error e = LXW_NO_ERROR;
          if (const Number* n = row > 0 ? number_at(numbers, row - 1, c) : nullptr) {
            e = worksheet_write_number(ws, row, col, n->value, number_format(n->format));
          } else if (!cells[c].empty()) {
            e = worksheet_write_string(ws, row, col, cells[c].c_str(), format);
          }
          if (e != LXW_NO_ERROR) return lxw_failure(e);
        }
        return {};
      };
      CHIDOAN_TRY_VOID(write_row(table.header, 0, bold, nullptr));
      for (size_t r = 0; r < table.rows.size(); ++r) {
        CHIDOAN_TRY_VOID(write_row(table.rows[r], static_cast<lxw_row_t>(r + 1), nullptr, sheets[i].numbers));
      }
      for (size_t c = 0; c < widths[i].size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        worksheet_set_column(ws, col, col, widths[i][c], nullptr);
      }
      if (!table.header.empty()) {
        worksheet_freeze_panes(ws, 1, 0);
        worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                             static_cast<lxw_col_t>(table.header.size() - 1));
      }
    }
    const lxw_error closed = workbook_close(wb.release());
    if (closed != LXW_NO_ERROR) return lxw_failure(closed);
  }

  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorKind::unavailable, "Không đọc lại được tệp XLSX vừa tạo");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes;
}

}  // namespace

Result<std::string> write_xlsx(const Table& table, std::string_view sheet_name) {
  return write_workbook({SheetRef{std::string(sheet_name), &table, nullptr}});
}

Result<std::string> write_xlsx(const std::vector<Sheet>& sheets) {
  std::vector<SheetRef> refs;
  for (const auto& s : sheets) refs.push_back({s.name, &s.table, &s.numbers});
  return write_workbook(refs);
}

}  // namespace chidoan::tabular
