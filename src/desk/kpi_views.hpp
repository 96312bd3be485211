// JSON views of the dossier KPI: the API's shapes (docs/api.md), also the templates' input, and
// the year's chart.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "desk/kpi_rules.hpp"
#include "platform/chart/chart.hpp"

namespace chidoan::desk::kpi {

// A month: {"month","online","total","rate","target_gap","national_rate","received","settled",
// "online_level3","online_level4","online_full","online_partial","assisted"}. "total" is the
// dossiers received; rates are fractions rounded to 4 decimals (0.4764), null when unknown.
nlohmann::json month_json(const KpiMonth& m, const Rates& r);
// A year: {"year","online","total","rate","target","target_gap","meets_target","national_rate",
// the detailed columns of the year, "months":[month_json…]}. "target" is a fraction (0.3) or null.
nlohmann::json year_json(const YearSummary& y);

// Adds the Vietnamese-style texts a page shows to a year_json view and its months
// ("month_vn" "01/2021", "<count>_vn" "8.123", "rate_vn" "47,64%", "gap_vn" "+17,64",
// "national_vn", "target_vn", and the flags "has_target", "has_gap", "gap_ok", "has_national",
// "has_months").
void add_labels(nlohmann::json& view);

// The words of the year's chart, from the translations.
struct ChartWords {
  std::string title;         // "Hồ sơ trực tuyến năm 2021"
  std::string description;   // the year in one sentence
  std::string received, online, rate, target;  // series names; target: "Chỉ tiêu"
  std::string counts_axis, rate_axis;          // "Hồ sơ", "Tỷ lệ"
  std::string month_short, month_long;         // "T", "Tháng"
};
// Twelve months: received and online as bars (left axis), the online rate as a line and the
// target as a reference line (right axis, percent).
chart::Chart year_chart(const YearSummary& y, const ChartWords& w);

}  // namespace chidoan::desk::kpi
