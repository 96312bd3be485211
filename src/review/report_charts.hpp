// The charts of the year-end report, built in one place from the report's JSON: the HTML page
// and document show them as SVG (chart::svg), the PDF paints them with cairo (chart::draw).
//
//   activities   activities of the year by type (bars)
//   campaigns    money of each campaign by round (a series per campaign)
//   desk         the online rate of the year against the target (a bar and a reference line)
//   ratings      members by rating level, when the report has "ratings"
//   classification  branches by classification level, for an upper level's report
//
// A chart is made only when its part is present and has something to draw. Labels come from
// i18n/<lang>/review_report.json (`words`).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/chart/chart.hpp"

namespace chidoan::review {

struct ReportChart {
  std::string part;  // the report's part the chart belongs to (shown after its table)
  chart::Chart chart;
};

std::vector<ReportChart> report_charts(const nlohmann::json& report, const nlohmann::json& words);

}  // namespace chidoan::review
