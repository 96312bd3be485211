#include "review/report_tables.hpp"

#include <cmath>

#include "platform/text/text.hpp"
#include "platform/text/words.hpp"
#include "review/classification_rules.hpp"

namespace chidoan::review {

using nlohmann::json;

std::string report_word(const json& words, const char* key) {
  auto it = words.find(key);
  return it != words.end() && it->is_string() ? it->get<std::string>() : std::string(key);
}

std::string report_str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json* report_part(const json& report, const char* key) {
  auto it = report.find(key);
  return it == report.end() || it->is_null() ? nullptr : &*it;
}

namespace {

ReportCell text_cell(std::string s) { return {std::move(s), std::nullopt, ""}; }
ReportCell integer_cell(int64_t n) { return {text::format_int(n), static_cast<double>(n), "#,##0"}; }
ReportCell decimal_cell(double v) { return {text::format_decimal(v, 1), v, "#,##0.0"}; }
ReportCell percent_cell(double ratio) { return {text::format_percent(ratio, 2), ratio, "0.00%"}; }

// A two-column table "Nội dung | Số liệu" of a part's scalar figures.
struct Figures {
  ReportTable table;
  const json& part;
  const json& words;

  Figures(const char* key, const json& p, const json& w) : part(p), words(w) {
    table.key = key;
    table.title = report_word(w, key);
    table.narrative = report_str(p, "narrative");
    table.columns = {report_word(w, "item"), report_word(w, "value")};
    table.numeric = {false, true};
  }
  void row(std::string label, ReportCell cell) { table.rows.push_back({text_cell(std::move(label)), std::move(cell)}); }
  // The figure `key` of the part when it is a number, as an integer, decimal or percentage.
  void integer(const char* key, const char* label) {
    if (auto it = part.find(key); it != part.end() && it->is_number()) row(report_word(words, label), integer_cell(it->get<int64_t>()));
  }
  void decimal(const char* key, const char* label) {
    if (auto it = part.find(key); it != part.end() && it->is_number()) row(report_word(words, label), decimal_cell(it->get<double>()));
  }
  void percent(const char* key, const char* label) {
    if (auto it = part.find(key); it != part.end() && it->is_number()) row(report_word(words, label), percent_cell(it->get<double>()));
  }
  // Whole-number figures: (the figure's key, its label's word), in order.
  void integers(std::initializer_list<std::pair<const char*, const char*>> figures) {
    for (auto [figure, label] : figures) integer(figure, label);
  }
  void text(const char* key, const char* label) {
    if (auto s = report_str(part, key); !s.empty()) row(report_word(words, label), text_cell(s));
  }
};

// A table of a part's whole-number figures only.
ReportTable integers(const char* key, const json& p, const json& w, std::initializer_list<std::pair<const char*, const char*>> figures) {
  Figures f(key, p, w);
  f.integers(figures);
  return f.table;
}

// Rows "label | count" of a [{level, label, count}] list.
void level_rows(Figures& f, const json& levels) {
  for (const auto& l : levels) f.row(report_str(l, "label"), integer_cell(l.value("count", int64_t{0})));
}

ReportTable members(const json& m, const json& w) {
  Figures f("members", m, w);
  f.integer("total", "members_total");
  if (m.value("branches", int64_t{0}) > 1) f.integer("branches", "branches");
  f.integer("units", "units");
  if (auto names = m.value("unit_names", json::array()); !names.empty()) {
    std::vector<std::string> list;
    for (const auto& n : names) list.push_back(n.get<std::string>());
    f.row(report_word(w, "unit_names"), text_cell(text::join(list, ", ", ", ")));
  }
  if (m.contains("by_sex")) {
    f.row(report_word(w, "male"), integer_cell(m["by_sex"].value("male", int64_t{0})));
    f.row(report_word(w, "female"), integer_cell(m["by_sex"].value("female", int64_t{0})));
  }
  f.integers({{"joined", "joined"}, {"left", "left"}});
  return f.table;
}

ReportTable study(const json& s, const json& w) {
  Figures f("study", s, w);
  f.integers({{"campaigns", "study_campaigns"}, {"expected", "study_expected"}, {"completed", "study_completed"}});
  f.percent("rate", "study_rate");
  return f.table;
}

ReportTable activities(const json& a, const json& w) {
  Figures f("activities", a, w);
  f.table.columns[0] = report_word(w, "activity_type");
  for (const auto& t : a.value("by_type", json::array())) f.row(report_str(t, "name"), integer_cell(t.value("count", int64_t{0})));
  f.integer("total", "activities_total");
  f.integer("participants", "participants");
  f.decimal("volunteer_hours", "volunteer_hours");
  return f.table;
}

// Campaign | round | money: a row per round, the campaign's total, and its gifts in kind.
ReportTable campaigns(const json& list, const json& w) {
  ReportTable t;
  t.key = "campaigns";
  t.title = report_word(w, "campaigns");
  for (const auto& c : list)
    if (auto n = report_str(c, "narrative"); !n.empty()) t.narrative += (t.narrative.empty() ? "" : " ") + n;
  t.columns = {report_word(w, "campaign"), report_word(w, "round"), report_word(w, "money")};
  t.numeric = {false, false, true};
  for (const auto& c : list) {
    // The campaign's name on its first row only.
    const size_t first = t.rows.size();
    for (const auto& r : c.value("rounds", json::array()))
      t.rows.push_back({text_cell(""), text_cell(report_str(r, "name")), integer_cell(r.value("money_vnd", int64_t{0}))});
    t.rows.push_back({text_cell(""), text_cell(report_word(w, "total")), integer_cell(c.value("money_vnd", int64_t{0}))});
    for (const auto& k : c.value("in_kind", json::array())) {
      std::string q = k["quantity"].is_number_integer() ? text::format_int(k["quantity"].get<int64_t>())
                                                         : k["quantity"].is_number() ? text::format_decimal(k["quantity"].get<double>(), 1) : "";
      t.rows.push_back({text_cell(""), text_cell(report_word(w, "in_kind") + ": " + report_str(k, "item")), text_cell(q + " " + report_str(k, "unit"))});
    }
    t.rows[first][0] = text_cell(report_str(c, "name"));
  }
  return t;
}

ReportTable desk(const json& d, const json& w) {
  Figures f("desk", d, w);
  f.integer("online", "desk_online");
  f.integer("total", "desk_total");
  f.percent("rate", "desk_rate");
  if (d.contains("target") && d["target"].is_number()) f.row(report_word(w, "desk_target"), {text::format_percent(d["target"].get<double>(), 0), d["target"].get<double>(), "0%"});
  f.integer("assisted", "desk_assisted");
  return f.table;
}

ReportTable ratings(const json& r, const json& w) {
  Figures f("ratings", r, w);
  f.text("guideline", "guideline");
  level_rows(f, r.value("levels", json::array()));
  f.integer("rated", "rated");
  f.integer("approved", "approved");
  return f.table;
}

ReportTable classification_table(const json& c, const json& w) {
  Figures f("classification", c, w);
  f.text("scheme", "scheme");
  f.text("label", "class_level");
  if (c.contains("score") && c["score"].is_number()) {
    auto points = [](double v) { return text::format_decimal(v, std::fabs(v - std::round(v)) < 1e-9 ? 0 : 1); };
    const double score = c["score"].get<double>();
    std::string s = points(score);
    if (c.contains("max_score") && c["max_score"].is_number()) s += "/" + points(c["max_score"].get<double>());
    f.row(report_word(w, "score"), {s, score, "0.0"});
  }
  if (auto state = report_str(c, "state"); !state.empty()) f.row(report_word(w, "state"), text_cell(classification::state_label(state)));
  f.text("approved_by", "approved_by");
  if (auto on = report_str(c, "approved_on"); !on.empty()) f.row(report_word(w, "approved_on"), text_cell(text::format_date(on)));
  if (c.contains("branches") && c["branches"].is_object()) {
    const json& b = c["branches"];
    if (b.contains("total") && b["total"].is_number()) f.row(report_word(w, "branches_total"), integer_cell(b["total"].get<int64_t>()));
    level_rows(f, b.value("levels", json::array()));
  }
  return f.table;
}

ReportTable awards(const json& list, const json& w) {
  ReportTable t;
  t.key = "awards";
  t.title = report_word(w, "awards");
  t.columns = {report_word(w, "award_kind"), report_word(w, "award_title"), report_word(w, "issuer"), report_word(w, "decision_no"), report_word(w, "decision_on"), report_word(w, "recipient")};
  t.numeric = {false, false, false, false, false, false};
  for (const auto& a : list) {
    const std::string on = report_str(a, "decision_on");
    t.rows.push_back({text_cell(report_str(a, "kind_label")), text_cell(report_str(a, "title")), text_cell(report_str(a, "issuer")), text_cell(report_str(a, "decision_no")),
                      text_cell(on.empty() ? "" : text::format_date(on)), text_cell(report_str(a, "recipient"))});
  }
  return t;
}

}  // namespace

std::vector<ReportTable> report_tables(const json& report, const json& words) {
  std::vector<ReportTable> out;
  auto part = [&](const char* key) { return report_part(report, key); };
  if (auto* p = part("members")) out.push_back(members(*p, words));
  if (auto* p = part("study")) out.push_back(study(*p, words));
  if (auto* p = part("activities")) out.push_back(activities(*p, words));
  if (auto* p = part("campaigns"); p && !p->empty()) out.push_back(campaigns(*p, words));
  if (auto* p = part("produce"))
    out.push_back(integers("produce", *p, words, {{"cycles", "cycles"}, {"orders", "orders"}, {"members", "produce_members"}, {"value_vnd", "value_vnd"}}));
  if (auto* p = part("blood"))
    out.push_back(integers("blood", *p, words, {{"donors", "donors"}, {"donations", "donations"}, {"requests", "requests"}, {"served", "served"}}));
  if (auto* p = part("desk")) out.push_back(desk(*p, words));
  if (auto* p = part("ideas"))
    out.push_back(integers("ideas", *p, words,
                           {{"forums", "forums"}, {"ideas", "ideas_count"}, {"supports", "supports"}, {"accepted", "accepted"}, {"implemented", "implemented"}}));
  if (auto* p = part("dues")) out.push_back(integers("dues", *p, words, {{"paid_vnd", "paid_vnd"}, {"members_paid", "members_paid"}}));
  if (auto* p = part("ratings")) out.push_back(ratings(*p, words));
  if (auto* p = part("classification")) out.push_back(classification_table(*p, words));
  if (auto* p = part("awards"); p && !p->empty()) out.push_back(awards(*p, words));
  return out;
}

}  // namespace chidoan::review
