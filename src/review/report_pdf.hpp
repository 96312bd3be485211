// The year-end report as an A4 PDF (pdf::Document: cairo + pango, Noto fonts), rendered from the
// report's view (review::report_view: the report's JSON with the heading block of a Union
// document and "generated_on"), never by querying again:
//
//   the heading block — superior org and issuing committee in capitals on the left, "ĐOÀN TNCS
//   HỒ CHÍ MINH" with place and date on the right; the title; the narrative; a numbered section
//   per part present with its table (review::report_tables) and its charts
//   (review::report_charts, painted by chart::draw); "Trang i/N" in the footer.
//
// Deterministic: the PDF's dates are the view's generated_on (from the clock of the caller), so
// the same view gives the same bytes. Text is extractable with its Vietnamese marks.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "platform/core/result.hpp"

namespace chidoan::review {

// `words`: the strings under "review_report" (i18n/<lang>/review_report.json).
Result<std::string> report_pdf(const nlohmann::json& view, const nlohmann::json& words);

}  // namespace chidoan::review
