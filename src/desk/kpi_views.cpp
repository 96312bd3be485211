#include "desk/kpi_views.hpp"

#include <cmath>

#include "desk/support.hpp"
#include "platform/text/text.hpp"

namespace chidoan::desk::kpi {
namespace {

using nlohmann::json;

json rate(const std::optional<int64_t>& bp) { return bp ? json(fraction(*bp)) : json(nullptr); }

void put_counts(json& j, const KpiMonth& m) {
  j["received"] = m.received;
  j["settled"] = m.settled;
  j["online_level3"] = m.online_level3;
  j["online_level4"] = m.online_level4;
  j["online_full"] = m.online_full;
  j["online_partial"] = m.online_partial;
  j["assisted"] = m.assisted;
}

// fraction -> basis points again (exact: the view holds bp / 10000).
std::optional<int64_t> bp_of(const json& v) {
  if (!v.is_number()) return std::nullopt;
  return static_cast<int64_t>(std::llround(v.get<double>() * 10000));
}

void label(json& j) {
  for (const char* k : {"online", "total", "received", "settled", "online_level3", "online_level4", "online_full", "online_partial", "assisted"})
    if (j.contains(k)) j[std::string(k) + "_vn"] = text::format_int(j[k].get<int64_t>());
  auto r = bp_of(j["rate"]), g = bp_of(j["target_gap"]), n = bp_of(j["national_rate"]);
  j["rate_vn"] = r ? percent_vn(*r) : "—";
  j["gap_vn"] = g ? points_vn(*g) : "—";
  j["national_vn"] = n ? percent_vn(*n) : "—";
  j["has_gap"] = g.has_value();
  j["has_national"] = n.has_value();
  j["gap_ok"] = g && *g >= 0;
}

}  // namespace

json month_json(const KpiMonth& m, const Rates& r) {
  json j{{"month", m.month}, {"online", m.online()}, {"total", m.received}, {"rate", rate(r.rate_bp)},
         {"target_gap", rate(r.gap_bp)}, {"national_rate", rate(r.national_bp)}};
  put_counts(j, m);
  return j;
}

json year_json(const YearSummary& y) {
  json j{{"year", y.year},
         {"online", y.total.online()},
         {"total", y.total.received},
         {"rate", rate(y.rates.rate_bp)},
         {"target", rate(y.target_bp)},
         {"target_gap", rate(y.rates.gap_bp)},
         {"meets_target", y.rates.gap_bp ? json(y.rates.meets) : json(nullptr)},
         {"national_rate", rate(y.rates.national_bp)}};
  put_counts(j, y.total);
  json months = json::array();
  for (size_t i = 0; i < y.months.size(); ++i) months.push_back(month_json(y.months[i], y.month_rates[i]));
  j["months"] = months;
  return j;
}

void add_labels(json& view) {
  label(view);
  auto t = bp_of(view["target"]);
  view["target_vn"] = t ? target_vn(*t) : "";
  view["has_target"] = t.has_value();
  view["has_months"] = !view["months"].empty();
  for (auto& m : view["months"]) {
    label(m);
    m["month_vn"] = month_label(m["month"].get<std::string>());
  }
}

chart::Chart year_chart(const YearSummary& y, const ChartWords& w) {
  chart::Chart c;
  c.id = "kpi-chart-" + std::to_string(y.year);
  c.title = w.title;
  c.description = w.description;
  c.left = chart::Axis{w.counts_axis, chart::Format::integer, 0, std::nullopt};
  c.right = chart::Axis{w.rate_axis, chart::Format::percent, 2, std::nullopt};
  chart::Series received{w.received, "#9dbbdc", {}, chart::Side::left};
  chart::Series online{w.online, "#0b5cad", {}, chart::Side::left};
  chart::Series rate{w.rate, "#14804a", {}, chart::Side::right};
  for (int m = 1; m <= 12; ++m) {
    c.categories.push_back(w.month_short + std::to_string(m));
    c.category_names.push_back(w.month_long + " " + std::to_string(m) + "/" + std::to_string(y.year));
    received.values.emplace_back();
    online.values.emplace_back();
    rate.values.emplace_back();
  }
  for (size_t i = 0; i < y.months.size(); ++i) {
    const KpiMonth& k = y.months[i];
    size_t at = static_cast<size_t>(std::stoi(k.month.substr(5, 2)) - 1);
    if (at >= 12) continue;
    received.values[at] = static_cast<double>(k.received);
    online.values[at] = static_cast<double>(k.online());
    if (y.month_rates[i].rate_bp) rate.values[at] = fraction(*y.month_rates[i].rate_bp);
  }
  c.bars = {received, online};
  c.lines = {rate};
  if (y.target_bp) c.references.push_back({w.target + " " + target_vn(*y.target_bp), fraction(*y.target_bp), "#b42318", chart::Side::right});
  return c;
}

}  // namespace chidoan::desk::kpi
