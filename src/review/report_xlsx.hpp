// The year-end report as an XLSX workbook (tabular::write_xlsx of several sheets), rendered from
// the report's view (review::report_view) like the PDF:
//
//   "Tổng quan": the organisation, the title and the narrative, a paragraph a row;
//   then a sheet per part present, named by the part's title (≤ 31 characters), with the rows of
//   review::report_tables.
//
// Figures are written as numbers (with a format: "#,##0" for counts and đồng, "0.00%" for
// rates, "#,##0.0" for hours) so that they sum and chart in Excel; labels and names are text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "platform/core/result.hpp"

namespace chidoan::review {

// `words`: the strings under "review_report" (i18n/<lang>/review_report.json).
Result<std::string> report_xlsx(const nlohmann::json& view, const nlohmann::json& words);

}  // namespace chidoan::review
