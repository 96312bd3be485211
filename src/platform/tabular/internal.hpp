// Helpers shared by the CSV and XLSX readers/writers. Not part of the public API.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/tabular/tabular.hpp"

namespace chidoan::tabular::internal {

inline constexpr std::string_view kNotUtf8 = "Tệp CSV phải dùng mã UTF-8";
inline constexpr std::string_view kNotXlsx = "Tệp không phải XLSX hợp lệ";
inline constexpr std::string_view kOnlyCsvXlsx = "Chỉ nhận tệp CSV hoặc XLSX";
// Excel's sheet width: the most columns a file read or written has (it bounds one record's memory).
inline constexpr size_t kMaxColumns = 16'384;

// Strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF). Returns the byte offset of the first
// bad sequence, or npos when valid.
size_t find_invalid_utf8(std::string_view s);

// Number of code points (s must be valid UTF-8).
size_t utf8_length(std::string_view s);

// ASCII whitespace (space, tab, CR, LF, VT, FF) trimmed in place.
void trim(std::string& s);

// Spreadsheet column name of a 0-based index: 0 -> "A", 27 -> "AB".
std::string column_name(size_t index);

enum class Source { csv, xlsx };

// Applies the row policy shared by all readers, one record at a time: cells trimmed, empty
// records dropped, the first remaining record is the header (trailing empty header cells
// dropped), short rows padded, data beyond the header's width refused, and the padded table
// kept under limits.max_cells (a wide header times many short rows must not explode memory).
class TableBuilder {
 public:
  TableBuilder(Source source, const Limits& limits) : source_(source), limits_(limits) {}

  bool has_header() const { return has_header_; }
  size_t width() const { return table_.header.size(); }

  // The error for a non-empty cell at 0-based `column` >= width() on row `number`.
  Error extra_cell(size_t number, size_t column, size_t cell_count) const;

  [[nodiscard]] Result<void> add(std::vector<std::string> cells, size_t number);

  Table take() { return std::move(table_); }

 private:
  Source source_;
  const Limits& limits_;
  Table table_;
  bool has_header_ = false;
};

}  // namespace chidoan::tabular::internal
