#include "desk/assist_bundle.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "desk/bundle.hpp"
#include "org/bundle.hpp"
#include "desk/assist_rules.hpp"
#include "desk/assist_store.hpp"
#include "org/rules.hpp"
#include "platform/core/json_reader.hpp"

namespace chidoan::desk {
namespace {

using nlohmann::json;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

// ---- The section, parsed and checked (no database) ------------------------------------------

struct ShiftRef {
  std::string template_name, counter, date;
};
struct ProcedureIn {
  std::string path;
  assist_rules::ProcedureInput in;
  bool active = true;
};
struct AssistIn {
  std::string path;
  std::string member, procedure;
  std::optional<ShiftRef> shift;
  assist_rules::AssistInput in;  // procedure_id and shift_id are filled at load
};
struct CenterIn {
  std::string path, org, center;
  std::vector<ProcedureIn> procedures;
  std::vector<AssistIn> assists;
};

// A rules error re-labelled with the JSON path of the value.
template <typename T>
Result<T> at(Result<T> r, const std::string& path) {
  if (!r) return std::unexpected(Error{r.error().kind, r.error().message, path});
  return r;
}
// A rules error whose field is a key of the object at `path`.
Error under(const Error& e, const std::string& path) { return Error{e.kind, e.message, e.field.empty() ? path : path + "." + e.field}; }

Result<std::vector<std::string>> string_list(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(arr, r.array(key));
  std::vector<std::string> out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const json& e = (*arr)[i];
    if (!e.is_string()) return fail(ErrorKind::invalid, "phải là chuỗi", r.path + "." + key + "[" + std::to_string(i) + "]");
    out.push_back(e.get<std::string>());
  }
  return out;
}

Result<ProcedureIn> parse_procedure(const JsonReader& p) {
  CHIDOAN_TRY_VOID(p.only({"code", "name", "field", "level", "documents", "active"}));
  ProcedureIn out;
  out.path = p.path;
  RawFields raw;
  for (const char* key : {"code", "name", "field", "level"}) {
    CHIDOAN_TRY(v, p.str(key, std::string_view(key) != "field"));
    raw[key] = v;
  }
  CHIDOAN_TRY(docs, string_list(p, "documents"));
  for (size_t i = 0; i < docs.size(); ++i)
    if (docs[i].find_first_of(";\n\r") != std::string::npos)
      return fail(ErrorKind::invalid, "một giấy tờ không chứa dấu chấm phẩy hay xuống dòng", p.path + ".documents[" + std::to_string(i) + "]");
  raw["documents"] = assist_rules::join_documents(docs);
  auto in = assist_rules::validate_procedure(raw);
  if (!in) return std::unexpected(under(in.error(), p.path));
  if (in->level != raw["level"]) return fail(ErrorKind::invalid, "mức độ ghi là 3, 4, full hoặc partial", p.path + ".level");
  out.in = *in;
  if (p.j.contains("active")) {
    CHIDOAN_TRY(active, p.boolean("active"));
    out.active = active;
  }
  return out;
}

Result<AssistIn> parse_assist(const JsonReader& a) {
  CHIDOAN_TRY_VOID(a.only({"at", "member", "shift", "procedure", "level", "steps", "outcome", "phone", "phone_consent_at", "note"}));
  AssistIn out;
  out.path = a.path;
  CHIDOAN_TRY(when, a.str("at", true));
  CHIDOAN_TRY(t, at(assist_rules::parse_time(when, "at"), a.path + ".at"));
  out.in.at = t;
  CHIDOAN_TRY(member, a.str("member", true));
  if (member.empty()) return fail(ErrorKind::invalid, "không được để trống", a.path + ".member");
  out.member = member;
  CHIDOAN_TRY(procedure, a.str("procedure", true));
  if (procedure.empty()) return fail(ErrorKind::invalid, "không được để trống", a.path + ".procedure");
  out.procedure = procedure;
  if (auto it = a.j.find("shift"); it != a.j.end() && !it->is_null()) {
    JsonReader s{a.path + ".shift", *it};
    CHIDOAN_TRY_VOID(s.only({"template", "counter", "date"}));
    ShiftRef ref;
    CHIDOAN_TRY(tmpl, s.str("template", true));
    ref.template_name = tmpl;
    CHIDOAN_TRY(counter, s.str("counter", true));
    ref.counter = counter;
    CHIDOAN_TRY(date, s.date("date", true));
    ref.date = date;
    out.shift = ref;
  }
  CHIDOAN_TRY(level, a.str("level", true));
  out.in.level = level;
  CHIDOAN_TRY(steps, string_list(a, "steps"));
  std::string joined;
  for (const auto& s : steps) joined += (joined.empty() ? "" : ",") + s;
  CHIDOAN_TRY(parsed, at(assist_rules::parse_steps(joined), a.path + ".steps"));
  out.in.steps = parsed;
  CHIDOAN_TRY(outcome, a.str("outcome", true));
  out.in.outcome = outcome;
  CHIDOAN_TRY(phone, a.str("phone", false));
  if (!phone.empty()) {
    CHIDOAN_TRY(normal, at(org::rules::normalize_phone(phone), a.path + ".phone"));
    out.in.phone = normal;
  }
  CHIDOAN_TRY(consent, a.str("phone_consent_at", false));
  if (!consent.empty()) {
    CHIDOAN_TRY(c, at(assist_rules::parse_time(consent, "phone_consent_at"), a.path + ".phone_consent_at"));
    out.in.phone_consent_at = c;
  }
  CHIDOAN_TRY(note_raw, a.str("note", false));
  CHIDOAN_TRY(note, at(assist_rules::clean_text(note_raw, "note", assist_rules::kMaxNoteChars, true), a.path + ".note"));
  out.in.note = note;
  auto checked = assist_rules::check_assist(out.in);
  if (!checked) return std::unexpected(under(checked.error(), a.path));
  return out;
}

Result<std::vector<CenterIn>> parse(const json& section) {
  JsonReader top{"$.desk_assist", section};
  CHIDOAN_TRY_VOID(top.only({"centers"}));
  CHIDOAN_TRY(centers, top.array("centers"));
  std::vector<CenterIn> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < centers->size(); ++i) {
    JsonReader c = top.element("centers", i);
    CHIDOAN_TRY_VOID(c.only({"org", "center", "procedures", "assists"}));
    CenterIn center;
    center.path = c.path;
    CHIDOAN_TRY(org, c.str("org", true));
    center.org = org;
    CHIDOAN_TRY(name, c.str("center", true));
    if (name.empty()) return fail(ErrorKind::invalid, "không được để trống", c.path + ".center");
    center.center = name;
    if (!seen.emplace(org, name).second) return fail(ErrorKind::invalid, "trung tâm được ghi hai lần", c.path + ".center");
    CHIDOAN_TRY(procedures, c.array("procedures"));
    std::set<std::string> codes;
    for (size_t k = 0; k < procedures->size(); ++k) {
      CHIDOAN_TRY(p, parse_procedure(c.element("procedures", k)));
      if (!codes.insert(p.in.code).second) return fail(ErrorKind::invalid, "mã thủ tục bị lặp: " + p.in.code, p.path + ".code");
      center.procedures.push_back(std::move(p));
    }
    CHIDOAN_TRY(assists, c.array("assists"));
    for (size_t k = 0; k < assists->size(); ++k) {
      CHIDOAN_TRY(a, parse_assist(c.element("assists", k)));
      center.assists.push_back(std::move(a));
    }
    out.push_back(std::move(center));
  }
  return out;
}

// ---- validate / load / dump ----------------------------------------------------------------

Result<void> validate(db::Connection& conn, const json& section, const Known& known) {
  CHIDOAN_TRY(centers, parse(section));
  for (const auto& c : centers) {
    if (!known.org_codes.contains(c.org)) CHIDOAN_TRY_VOID(org::bundle::org_ref(conn, {}, c.org, c.path + ".org"));
    for (const auto& a : c.assists)
      if (!known.member_refs.contains(a.member)) return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + a.member, a.path + ".member");
  }
  return {};
}

Result<void> load(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  CHIDOAN_TRY(centers, parse(section));
  AssistStore store(conn, clock);
  for (const auto& c : centers) {
    CHIDOAN_TRY(center, bundle_center(conn, refs, c.org, c.center, c.path));

    std::map<std::string, int64_t> procedure_ids;
    for (const auto& p : c.procedures) {
      auto id = store.add_procedure(center, p.in);
      if (!id) return std::unexpected(Error{id.error().kind, id.error().message, p.path + ".code"});
      if (!p.active) CHIDOAN_TRY_VOID(store.set_procedure_active(*id, false));
      procedure_ids[p.in.code] = *id;
    }

    std::map<std::tuple<std::string, std::string, std::string>, std::optional<Shift>> shifts;
    for (const auto& a : c.assists) {
      assist_rules::AssistInput in = a.in;
      if (auto it = procedure_ids.find(a.procedure); it != procedure_ids.end()) {
        in.procedure_id = it->second;
      } else {
        CHIDOAN_TRY(known, store.procedure_by_code(center, a.procedure));
        if (!known) return fail(ErrorKind::invalid, "thủ tục không có trong danh mục của trung tâm: " + a.procedure, a.path + ".procedure");
        procedure_ids[a.procedure] = known->id;
        in.procedure_id = known->id;
      }
      if (a.shift) {
        auto key = std::tuple{a.shift->template_name, a.shift->counter, a.shift->date};
        auto it = shifts.find(key);
        if (it == shifts.end()) {
          CHIDOAN_TRY(found, conn.query_one("SELECT s.id FROM desk_shifts s JOIN desk_periods p ON p.id = s.period_id "
                                            "JOIN desk_templates t ON t.id = s.template_id JOIN desk_counters k ON k.id = s.counter_id "
                                            "WHERE p.center_id = ?1 AND t.name = ?2 AND k.name = ?3 AND s.on_date = ?4",
                                            {center, a.shift->template_name, a.shift->counter, a.shift->date}));
          std::optional<Shift> s;
          if (found) {
            CHIDOAN_TRY(with_center, store.shift_with_center(found->i64(0)));
            s = with_center.first;
          }
          it = shifts.emplace(key, s).first;
        }
        if (!it->second)
          return fail(ErrorKind::invalid,
                      "không có ca trực \"" + a.shift->template_name + "\" tại \"" + a.shift->counter + "\" ngày " + a.shift->date + " của trung tâm",
                      a.path + ".shift");
        CHIDOAN_TRY_VOID(at(assist_rules::check_in_shift(in.at, *it->second), a.path + ".at"));
        in.shift_id = it->second->id;
      }
      auto id = store.insert(center, refs.members.at(a.member), in);
      if (!id) return std::unexpected(under(id.error(), a.path));
    }
  }
  return {};
}

json opt_text(const db::Row& r, size_t i) { return r.is_null(i) ? json(nullptr) : json(r.str(i)); }

Result<json> dump(db::Connection& conn, const Clock& clock, const DumpScope& scope) {
  CHIDOAN_TRY(centers, conn.query("SELECT c.id, c.org_id, c.name FROM desk_centers c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ?1 ORDER BY c.id",
                                  {scope.root_path + "%"}));
  AssistStore store(conn, clock);
  json out = json::array();
  for (const auto& c : centers) {
    const int64_t center = c.i64(0);
    json jc{{"org", scope.org_codes.at(c.i64(1))}, {"center", c.str(2)}, {"procedures", json::array()}, {"assists", json::array()}};
    CHIDOAN_TRY(procedures, store.procedures(center, false));
    for (const auto& p : procedures)
      jc["procedures"].push_back(
          {{"code", p.code}, {"name", p.name}, {"field", p.field}, {"level", p.level}, {"documents", p.documents}, {"active", p.active}});
    CHIDOAN_TRY(assists, conn.query("SELECT a.at, a.member_id, t.name, k.name, s.on_date, p.code, a.level, a.step_scanned, a.step_account, "
                                    "a.step_fileset, a.step_submitted, a.outcome, a.phone, a.phone_consent_at, a.note, a.shift_id "
                                    "FROM desk_assists a JOIN desk_procedures p ON p.id = a.procedure_id "
                                    "LEFT JOIN desk_shifts s ON s.id = a.shift_id LEFT JOIN desk_templates t ON t.id = s.template_id "
                                    "LEFT JOIN desk_counters k ON k.id = s.counter_id "
                                    "WHERE a.center_id = ?1 ORDER BY a.at, a.id",
                                    {center}));
    for (const auto& a : assists) {
      auto member = scope.member_refs.find(a.i64(1));
      if (member == scope.member_refs.end()) continue;
      assist_rules::Steps steps{a.i64(7) != 0, a.i64(8) != 0, a.i64(9) != 0, a.i64(10) != 0};
      json shift = a.is_null(15) ? json(nullptr) : json{{"template", a.str(2)}, {"counter", a.str(3)}, {"date", a.str(4)}};
      jc["assists"].push_back({{"at", assist_rules::local_seconds(a.i64(0))},
                               {"member", member->second},
                               {"shift", std::move(shift)},
                               {"procedure", a.str(5)},
                               {"level", a.str(6)},
                               {"steps", assist_rules::step_names(steps)},
                               {"outcome", a.str(11)},
                               {"phone", opt_text(a, 12)},
                               {"phone_consent_at", a.is_null(13) ? json(nullptr) : json(assist_rules::local_seconds(a.i64(13)))},
                               {"note", a.str(14)}});
    }
    if (jc["procedures"].empty() && jc["assists"].empty()) continue;
    out.push_back(std::move(jc));
  }
  if (out.empty()) return json(nullptr);
  return json{{"centers", std::move(out)}};
}

}  // namespace

chidoan::bundle::Section assist_bundle_section() { return {"desk_assist", validate, load, dump}; }

}  // namespace chidoan::desk
