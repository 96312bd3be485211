#include "desk/assist_views.hpp"

#include <algorithm>

#include "desk/assist_rules.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"

namespace chidoan::desk {

using nlohmann::json;

namespace {
json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json count_json(const AssistCount& n) { return {{"helped", n.helped}, {"submitted", n.submitted}}; }
json with_count(json j, const AssistCount& n) {
  j["helped"] = n.helped;
  j["submitted"] = n.submitted;
  return j;
}
std::string month_vn(const std::string& month) { return month.size() == 7 ? month.substr(5, 2) + "/" + month.substr(0, 4) : month; }
}  // namespace

json procedure_json(const Procedure& p) {
  return {{"id", p.id},
          {"center_id", p.center_id},
          {"code", p.code},
          {"name", p.name},
          {"field", p.field},
          {"level", p.level},
          {"level_label", assist_rules::level_label(p.level)},
          {"documents", p.documents},
          {"active", p.active}};
}

json assist_json(const Assist& a, bool with_phone) {
  assist_rules::Steps steps{a.step_scanned, a.step_account, a.step_fileset, a.step_submitted};
  json j{{"id", a.id},
         {"center_id", a.center_id},
         {"shift_id", opt(a.shift_id)},
         {"member_id", a.member_id},
         {"member_name", a.member_name},
         {"at", a.at},
         {"at_local", local_time(a.at)},
         {"procedure_id", a.procedure_id},
         {"procedure_code", a.procedure_code},
         {"procedure_name", a.procedure_name},
         {"level", a.level},
         {"level_label", assist_rules::level_label(a.level)},
         {"steps", assist_rules::step_names(steps)},
         {"outcome", a.outcome},
         {"outcome_label", assist_rules::outcome_label(a.outcome)},
         {"note", a.note}};
  if (with_phone) {
    j["phone"] = a.phone ? json(*a.phone) : json(nullptr);
    j["phone_consent_at"] = opt(a.phone_consent_at);
  }
  return j;
}

json assist_shift_json(const Shift& s) {
  return {{"id", s.id},
          {"on_date", s.on_date},
          {"template_name", s.template_name},
          {"counter_name", s.counter_name},
          {"starts_at", s.starts_at},
          {"ends_at", s.ends_at},
          {"start_time", local_time(s.starts_at).substr(11, 5)},
          {"end_time", local_time(s.ends_at).substr(11, 5)}};
}

json assist_stats_json(const AssistStats& s) {
  json v{{"period", s.period}, {"total", count_json(s.total)}};
  v["by_volunteer"] = json::array();
  for (const auto& r : s.by_volunteer) v["by_volunteer"].push_back(with_count({{"member_id", r.member_id}, {"name", r.name}}, r.n));
  v["by_shift"] = json::array();
  for (const auto& r : s.by_shift) {
    json j{{"shift_id", opt(r.shift_id)}, {"on_date", r.on_date}, {"template_name", r.template_name}, {"counter_name", r.counter_name},
           {"start_time", r.shift_id ? json(local_time(r.starts_at).substr(11, 5)) : json(nullptr)},
           {"end_time", r.shift_id ? json(local_time(r.ends_at).substr(11, 5)) : json(nullptr)}};
    v["by_shift"].push_back(with_count(std::move(j), r.n));
  }
  v["by_procedure"] = json::array();
  for (const auto& r : s.by_procedure)
    v["by_procedure"].push_back(with_count({{"procedure_id", r.procedure_id}, {"code", r.code}, {"name", r.name}, {"level", r.level}}, r.n));
  v["by_month"] = json::array();
  for (const auto& r : s.by_month) v["by_month"].push_back(with_count({{"month", r.month}}, r.n));
  v["by_outcome"] = s.by_outcome;
  v["by_level"] = s.by_level;
  return v;
}

void add_assist_labels(json& v) {
  auto rate = [](const json& row) {
    int64_t helped = row["helped"].get<int64_t>();
    return helped == 0 ? std::string("—") : text::format_percent(static_cast<double>(row["submitted"].get<int64_t>()) / static_cast<double>(helped), 1);
  };
  v["total"]["rate_vn"] = rate(v["total"]);
  v["total"]["helped_vn"] = text::format_int(v["total"]["helped"].get<int64_t>());
  v["total"]["submitted_vn"] = text::format_int(v["total"]["submitted"].get<int64_t>());
  for (const char* list : {"by_volunteer", "by_shift", "by_procedure", "by_month"})
    for (auto& row : v[list]) row["rate_vn"] = rate(row);
  for (auto& row : v["by_shift"]) row["on_date_vn"] = text::format_date(row["on_date"].get<std::string>());
  for (auto& row : v["by_procedure"]) row["level_label"] = assist_rules::level_label(row["level"].get<std::string>());
  // Month bars: widths relative to the busiest month.
  int64_t most = 0;
  for (const auto& row : v["by_month"]) most = std::max(most, row["helped"].get<int64_t>());
  for (auto& row : v["by_month"]) {
    row["month_vn"] = month_vn(row["month"].get<std::string>());
    row["bar"] = most == 0 ? 0 : row["helped"].get<int64_t>() * 100 / most;
  }
  json outcomes = json::array();
  for (auto o : assist_rules::kOutcomes)
    outcomes.push_back({{"outcome", o}, {"label", assist_rules::outcome_label(o)}, {"count", v["by_outcome"].value(std::string(o), int64_t{0})}});
  v["outcome_rows"] = outcomes;
  json levels = json::array();
  for (auto l : assist_rules::kLevels)
    levels.push_back({{"level", l}, {"label", assist_rules::level_label(l)}, {"count", v["by_level"].value(std::string(l), int64_t{0})}});
  v["level_rows"] = levels;
}

}  // namespace chidoan::desk
