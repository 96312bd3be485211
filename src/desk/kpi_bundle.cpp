#include "desk/kpi_bundle.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "desk/bundle.hpp"
#include "org/bundle.hpp"
#include "desk/kpi_rules.hpp"
#include "desk/kpi_store.hpp"
#include "platform/core/json_reader.hpp"
#include "platform/text/text.hpp"

namespace chidoan::desk {
namespace {

using nlohmann::json;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

// One entry of the section, parsed and checked (no database). Validation and loading read the
// document through the same parse_kpi, so what is loaded is what was validated.
struct EntryIn {
  std::string path, org, center;
  std::vector<kpi::Target> targets;
  std::vector<KpiMonth> months;
};

Result<std::string> text_field(const JsonReader& r, const char* key, bool required, size_t max_bytes) {
  std::string path = r.path + "." + key;
  CHIDOAN_TRY(raw, r.str(key, required));
  auto n = text::normalize(raw);
  if (!n) return fail(ErrorKind::invalid, n.error().message, path);
  if (required && n->empty()) return fail(ErrorKind::invalid, "không được để trống", path);
  if (n->size() > max_bytes) return fail(ErrorKind::invalid, "nội dung quá dài", path);
  return *n;
}

// A rules error re-labelled with the JSON path of the value.
Result<void> at(Result<void> r, const std::string& path) {
  if (!r) return std::unexpected(Error{r.error().kind, r.error().message, path + (r.error().field.empty() ? "" : "." + r.error().field)});
  return r;
}

Result<std::vector<EntryIn>> parse_kpi(const json& section) {
  if (!section.is_array()) return fail(ErrorKind::invalid, "phải là một mảng", "$.desk_kpi");
  std::vector<EntryIn> out;
  std::set<std::pair<std::string, std::string>> centers;
  for (size_t i = 0; i < section.size(); ++i) {
    JsonReader e{"$.desk_kpi[" + std::to_string(i) + "]", section[i]};
    CHIDOAN_TRY_VOID(e.only({"org", "center", "targets", "months"}));
    EntryIn in;
    in.path = e.path;
    CHIDOAN_TRY(org, e.str("org", true));
    if (org.empty()) return fail(ErrorKind::invalid, "không được để trống", e.path + ".org");
    in.org = org;
    CHIDOAN_TRY(center, text_field(e, "center", true, 200));
    in.center = center;
    if (!centers.emplace(in.org, in.center).second)
      return fail(ErrorKind::invalid, "trung tâm đã có ở một mục trước: " + in.center, e.path + ".center");

    CHIDOAN_TRY(targets, e.array("targets"));
    std::set<int> years;
    for (size_t k = 0; k < targets->size(); ++k) {
      JsonReader t = e.element("targets", k);
      CHIDOAN_TRY_VOID(t.only({"year", "target_bp", "source"}));
      CHIDOAN_TRY(year, t.integer("year"));
      CHIDOAN_TRY(bp, t.integer("target_bp"));
      CHIDOAN_TRY(source, text_field(t, "source", false, 200));
      kpi::Target target{static_cast<int>(std::clamp<int64_t>(year, 0, 100000)), bp, source};
      if (auto ok = kpi::check_target(target); !ok) {
        const std::string& field = ok.error().field;
        return fail(ErrorKind::invalid, ok.error().message, t.path + "." + (field == "target" ? "target_bp" : field));
      }
      if (!years.insert(target.year).second) return fail(ErrorKind::invalid, "năm bị lặp: " + std::to_string(year), t.path + ".year");
      in.targets.push_back(target);
    }

    CHIDOAN_TRY(months, e.array("months"));
    std::set<std::string> seen;
    for (size_t k = 0; k < months->size(); ++k) {
      JsonReader m = e.element("months", k);
      CHIDOAN_TRY_VOID(m.only({"month", "received", "settled", "online_level3", "online_level4", "online_full", "online_partial", "assisted"}));
      KpiMonth figures;
      CHIDOAN_TRY(month, m.str("month", true));
      figures.month = month;
      CHIDOAN_TRY(received, m.integer("received"));
      figures.received = received;
      int64_t* counts[] = {&figures.settled, &figures.online_level3, &figures.online_level4, &figures.online_full, &figures.online_partial,
                           &figures.assisted};
      const char* keys[] = {"settled", "online_level3", "online_level4", "online_full", "online_partial", "assisted"};
      for (size_t c = 0; c < std::size(keys); ++c) {
        CHIDOAN_TRY(v, m.opt_integer(keys[c]));
        *counts[c] = v.value_or(0);
      }
      CHIDOAN_TRY_VOID(at(kpi::check_figures(figures), m.path));
      if (!seen.insert(figures.month).second) return fail(ErrorKind::invalid, "tháng bị lặp: " + figures.month, m.path + ".month");
      in.months.push_back(figures);
    }
    out.push_back(std::move(in));
  }
  return out;
}

Result<void> validate_kpi(db::Connection& conn, const json& section, const Known& known) {
  CHIDOAN_TRY(entries, parse_kpi(section));
  for (const auto& e : entries) {
    if (!known.org_codes.contains(e.org)) CHIDOAN_TRY_VOID(org::bundle::org_ref(conn, {}, e.org, e.path + ".org"));
  }
  return {};
}

Result<void> load_kpi(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  CHIDOAN_TRY(entries, parse_kpi(section));
  KpiStore store(conn, clock);
  for (const auto& e : entries) {
    CHIDOAN_TRY(center, bundle_center(conn, refs, e.org, e.center, e.path));
    for (const auto& t : e.targets) CHIDOAN_TRY_VOID(at(store.set_target(center, t), e.path + ".targets"));
    CHIDOAN_TRY_VOID(at(store.upsert_months(center, e.months), e.path + ".months"));
  }
  return {};
}

Result<json> dump_kpi(db::Connection& conn, const Clock& clock, const DumpScope& scope) {
  CHIDOAN_TRY(centers, conn.query("SELECT c.id, c.org_id, c.name FROM desk_centers c JOIN orgs o ON o.id = c.org_id "
                                  "WHERE o.path LIKE ?1 AND (EXISTS (SELECT 1 FROM desk_kpi_months k WHERE k.center_id = c.id) "
                                  "OR EXISTS (SELECT 1 FROM desk_kpi_targets t WHERE t.center_id = c.id)) ORDER BY c.id",
                                  {scope.root_path + "%"}));
  if (centers.empty()) return json(nullptr);
  KpiStore store(conn, clock);
  json out = json::array();
  for (const auto& c : centers) {
    const int64_t center = c.i64(0);
    json targets = json::array();
    CHIDOAN_TRY(ts, store.targets(center));
    for (const auto& t : ts) targets.push_back({{"year", t.year}, {"target_bp", t.bp}, {"source", t.source}});
    json months = json::array();
    CHIDOAN_TRY(years, store.years(center));
    for (auto y = years.rbegin(); y != years.rend(); ++y) {
      CHIDOAN_TRY(ms, store.months(center, *y));
      for (const auto& m : ms)
        months.push_back({{"month", m.month},
                          {"received", m.received},
                          {"settled", m.settled},
                          {"online_level3", m.online_level3},
                          {"online_level4", m.online_level4},
                          {"online_full", m.online_full},
                          {"online_partial", m.online_partial},
                          {"assisted", m.assisted}});
    }
    out.push_back({{"org", scope.org_codes.at(c.i64(1))}, {"center", c.str(2)}, {"targets", targets}, {"months", months}});
  }
  return out;
}

}  // namespace

chidoan::bundle::Section kpi_bundle_section() { return {"desk_kpi", validate_kpi, load_kpi, dump_kpi}; }

}  // namespace chidoan::desk
