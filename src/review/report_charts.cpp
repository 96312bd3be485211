#include "review/report_charts.hpp"

#include <algorithm>

#include "platform/text/text.hpp"
#include "review/report_tables.hpp"

namespace chidoan::review {
namespace {

using nlohmann::json;

// Series colours, in order (the first is the site's blue).
constexpr const char* kColors[] = {"#0b5cad", "#14804a", "#b7791f", "#7b3fa0", "#c2410c", "#0e7490"};
constexpr const char* kTarget = "#b42318";

chart::Chart base(const char* id, const json& w, const char* title, const char* description, const char* axis) {
  chart::Chart c;
  c.id = std::string("report-chart-") + id;
  c.title = report_word(w, title);
  c.description = report_word(w, description);
  c.left = chart::Axis{report_word(w, axis), chart::Format::integer, 0, std::nullopt};
  return c;
}

// Bars of a [{label-key: …, count}] list: one category per entry.
chart::Chart counts(const char* id, const json& list, const char* label_key, const json& w, const char* title, const char* description,
                    const char* axis) {
  chart::Chart c = base(id, w, title, description, axis);
  chart::Series s{report_word(w, axis), kColors[0], {}, chart::Side::left};
  for (const auto& x : list) {
    c.categories.push_back(x.value(label_key, std::string()));
    s.values.push_back(static_cast<double>(x.value("count", int64_t{0})));
  }
  c.bars.push_back(std::move(s));
  return c;
}

bool has_counts(const json& list) {
  return list.is_array() && std::any_of(list.begin(), list.end(), [](const json& x) { return x.value("count", int64_t{0}) > 0; });
}

}  // namespace

std::vector<ReportChart> report_charts(const json& report, const json& w) {
  std::vector<ReportChart> out;
  auto part = [&](const char* key) { return report_part(report, key); };

  if (auto* a = part("activities"); a && has_counts(a->value("by_type", json::array())))
    out.push_back({"activities", counts("activities", (*a)["by_type"], "name", w, "chart_activities", "chart_activities_desc", "axis_activities")});

  // Campaigns: a bar per round of each campaign, in order, under the round's own name (the
  // campaign's name with it in the tooltip); rounds of different campaigns are never merged.
  if (auto* list = part("campaigns"); list && !list->empty()) {
    chart::Chart c = base("campaigns", w, "chart_campaigns", "chart_campaigns_desc", "axis_money");
    // The legend: the campaign when there is one, else the money of them all.
    const std::string name = list->size() == 1 ? report_str((*list)[0], "name") : report_word(w, "money");
    chart::Series s{name, kColors[0], {}, chart::Side::left};
    for (const auto& campaign : *list)
      for (const auto& r : campaign.value("rounds", json::array())) {
        c.categories.push_back(report_str(r, "name"));
        c.category_names.push_back(report_str(campaign, "name") + ": " + report_str(r, "name"));
        s.values.push_back(static_cast<double>(r.value("money_vnd", int64_t{0})));
      }
    c.bars.push_back(std::move(s));
    if (!c.categories.empty()) out.push_back({"campaigns", std::move(c)});
  }

  if (auto* d = part("desk"); d && d->contains("rate") && (*d)["rate"].is_number()) {
    chart::Chart c = base("desk", w, "chart_desk", "chart_desk_desc", "axis_rate");
    c.left = chart::Axis{report_word(w, "axis_rate"), chart::Format::percent, 2, std::nullopt};
    const std::string year = report.value("org", json::object()).value("as_of", std::string()).substr(0, 4);
    c.categories = {report_word(w, "year") + " " + year};
    c.bars.push_back({report_word(w, "desk_rate"), kColors[0], {(*d)["rate"].get<double>()}, chart::Side::left});
    if (d->contains("target") && (*d)["target"].is_number()) {
      const double target = (*d)["target"].get<double>();
      c.references.push_back({report_word(w, "desk_target") + " " + text::format_percent(target, 0), target, kTarget, chart::Side::left});
    }
    c.height = 260;
    out.push_back({"desk", std::move(c)});
  }

  if (auto* r = part("ratings"); r && has_counts(r->value("levels", json::array())))
    out.push_back({"ratings", counts("ratings", (*r)["levels"], "label", w, "chart_ratings", "chart_ratings_desc", "axis_members")});

  if (auto* c = part("classification"); c && c->contains("branches") && (*c)["branches"].is_object() &&
                                         has_counts((*c)["branches"].value("levels", json::array())))
    out.push_back({"classification", counts("branches", (*c)["branches"]["levels"], "label", w, "chart_branches", "chart_branches_desc",
                                            "axis_branches")});
  return out;
}

}  // namespace chidoan::review
