// Tabular files (CSV and XLSX) for member import/export and reports.
//
// Every reader returns the same shape: a header (the first non-empty row) and the data rows,
// each row exactly header.size() cells, every cell valid UTF-8 with ASCII whitespace trimmed.
// Completely empty rows are skipped; row_numbers keeps, for each row, where it came from so that
// an import can say "dòng 17: ngày sinh không hợp lệ".
//
// Thread-safety: all functions are pure (no shared state); call them from any thread.
// Errors are values (Result), with Vietnamese messages that can be shown as they are.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"

namespace chidoan::tabular {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // 1-based line (CSV: the physical line where the record starts) or sheet row (XLSX: the row
  // number Excel shows) of each entry of `rows`, for error messages. Same size as `rows`.
  std::vector<size_t> row_numbers;
};

// Guards against oversized uploads and zip bombs. The defaults are the platform policy;
// tests pass smaller ones.
struct Limits {
  size_t max_bytes = 50u * 1024 * 1024;  // CSV input size; XLSX total *uncompressed* size
  size_t max_rows = 200'000;             // rows in the file (CSV records, XLSX <row>s)
  size_t max_cells = 10'000'000;         // rows x header width after padding (memory bound)
};

// RFC 4180 CSV. Accepts CRLF or LF, quoted fields with doubled quotes and embedded newlines
// (a CRLF inside a quoted field becomes LF), a UTF-8 BOM, and an Excel "sep=;" first line.
// The delimiter is detected from the header record among ',' ';' '\t' (most frequent outside
// quotes wins; ties prefer ',' then ';'; none -> ','), because Vietnamese Excel exports ';'.
// Errors: not UTF-8 (also UTF-16 files and NUL bytes) -> invalid "Tệp CSV phải dùng mã UTF-8";
// unterminated quote -> invalid naming the line where the quote opened; a data row with more
// non-empty cells than the header (usually an unquoted delimiter inside a name) -> invalid naming
// the line; above `limits` -> too_large. Short rows are padded with "". An empty file gives an
// empty Table (no header, no rows).
[[nodiscard]] Result<Table> read_csv(std::string_view bytes, const Limits& limits = {});

// The FIRST sheet (workbook order) of an .xlsx, read from memory.
// Cell values: shared strings (rich text runs concatenated), inline strings, formula string
// results, numbers, booleans ("TRUE"/"FALSE"), error cells as their text ("#N/A").
// Numbers are printed like Excel's General format with 15 significant digits, so integers come
// back without ".0" (79203000123 -> "79203000123"). A CCCD typed as a *number* has already lost
// its leading zero inside the file: we return the digits as stored, and the import layer must
// decide (e.g. left-pad 11-digit CCCDs). Text cells keep their leading zeros.
// Numeric cells whose style is a date (built-in numFmtId 14-17 and 22, or a custom format with
// d/m/y outside quotes and [..] sections) become "YYYY-MM-DD" (time of day dropped, 1900 and
// 1904 date systems handled). Time-only formats (18-21) stay numbers.
// Errors: not a zip / missing or broken parts -> invalid "Tệp không phải XLSX hợp lệ";
// total uncompressed size above limits.max_bytes or more than limits.max_rows rows -> too_large;
// data outside the header's columns -> invalid naming the row and column.
[[nodiscard]] Result<Table> read_xlsx(std::string_view bytes, const Limits& limits = {});

// Dispatch on content first, then on the file name's extension (case-insensitive):
// "PK\3\4" -> read_xlsx; a known binary signature (PDF, PNG, JPEG, GIF, legacy .xls/OLE) ->
// refused; otherwise ".csv" -> read_csv, ".xlsx" -> invalid "Tệp không phải XLSX hợp lệ";
// anything else -> invalid "Chỉ nhận tệp CSV hoặc XLSX".
[[nodiscard]] Result<Table> read_any(std::string_view filename, std::string_view bytes,
                                     const Limits& limits = {});

// CSV for Excel: UTF-8 with BOM (so Excel shows Vietnamese correctly), ',' delimiter, CRLF
// line ends, fields quoted when they contain ',', '"', CR, LF or leading/trailing whitespace.
// Formula-injection guard (OWASP "CSV injection"): a cell gets a leading apostrophe when it
// starts with '=', '@', TAB or CR, or with '+'/'-' unless the rest is a plain number or phone
// number (only digits, spaces, '.', ','; at least one digit) — so "-12,5" and "+84 912 345 678"
// are written unchanged but "-2+3+cmd|..." and "+A1" are neutralised. Reading such a file back
// gives the apostrophe too; this is deliberate (the file is for humans/Excel).
[[nodiscard]] std::string write_csv(const Table& table);

// XLSX with one sheet: bold header row, frozen, with an autofilter; column widths from content
// (in characters, 8..60). Every cell is written as a *string* so CCCDs and phone numbers keep
// their leading zeros; no formula guard is needed because nothing is written as a formula.
// sheet_name is made valid for Excel (characters []:*?/\ replaced by '_', at most 31
// characters, "Sheet1" when empty). Errors: a cell not valid UTF-8 or longer than Excel's 32,767
// characters -> invalid; more rows than Excel allows -> too_large; temp file trouble ->
// unavailable. Uses a private temp directory (libxlsxwriter 1.1.4 has no in-memory output).
[[nodiscard]] Result<std::string> write_xlsx(const Table& table, std::string_view sheet_name);

// A cell written as a number, with its Excel number format ("#,##0", "0.00%", "#,##0.0").
struct Number {
  double value = 0;
  std::string format;
};

// One sheet of a workbook. `numbers` is optional and parallel to table.rows (a shorter row or
// table means "no number"): a body cell with a Number is written as that number (its text in
// table.rows is what a reader of the CSV would see, but the sheet keeps the value); every other
// cell is a string as in write_xlsx. Used by reports, whose figures should sum in Excel; member
// exports keep strings (leading zeros).
struct Sheet {
  std::string name;
  Table table;
  std::vector<std::vector<std::optional<Number>>> numbers;
};

// A workbook of several sheets, in order, each laid out as write_xlsx lays out its one sheet
// (bold frozen header with an autofilter, widths from content). Names are made valid as in
// write_xlsx and unique (a repeated name gets " (2)", " (3)" …, still ≤ 31 characters).
// No sheets: one empty "Sheet1". Errors as write_xlsx.
[[nodiscard]] Result<std::string> write_xlsx(const std::vector<Sheet>& sheets);

}  // namespace chidoan::tabular
