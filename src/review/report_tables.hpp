// The parts of the year-end report as tables, built in one place from the report's JSON for
// every rendering: the HTML page and document, the PDF and the XLSX show the same rows.
//
// A part is present when its key is in the report (parts without data are absent there, so
// they are absent here too); "ratings" and "classification" are shown when present and not
// null. Labels come from the strings of i18n/<lang>/review_report.json (`words`, the object
// under "review_report"); figures are written in Vietnamese style (text::format_*), and each
// numeric cell also keeps its value for spreadsheets.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace chidoan::review {

struct ReportCell {
  std::string text;              // as printed: "47.416", "47,64%", "130.800.000"
  std::optional<double> number;  // the value (a ratio for percentages); none for text
  std::string format;            // Excel number format of `number`: "#,##0", "0.00%", "#,##0.0"
};

struct ReportTable {
  std::string key;                       // the report's part: "members", "desk", "campaigns", …
  std::string title;                     // "Đoàn viên và đơn vị"
  std::string narrative;                 // the part's paragraph, when it has one
  std::vector<std::string> columns;      // header
  std::vector<bool> numeric;             // per column: right-aligned (numbers)
  std::vector<std::vector<ReportCell>> rows;
};

// Reading the report and its words, for every rendering: the string `key` of the words (the key
// itself when missing), a string field of a part ("" when missing), and the part `key` of the
// report (null when absent or null).
std::string report_word(const nlohmann::json& words, const char* key);
std::string report_str(const nlohmann::json& j, const char* key);
const nlohmann::json* report_part(const nlohmann::json& report, const char* key);

// The tables of the parts present, in the report's order (members, study, activities,
// campaigns, produce, blood, desk, ideas, dues, ratings, classification, awards).
std::vector<ReportTable> report_tables(const nlohmann::json& report, const nlohmann::json& words);

}  // namespace chidoan::review
