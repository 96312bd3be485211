#include "activity/bundle.hpp"

#include <map>
#include <set>

#include <sodium.h>

#include "activity/rules.hpp"
#include "activity/store.hpp"
#include "platform/core/json_reader.hpp"
#include "platform/core/date.hpp"

namespace chidoan::activity {
namespace {

using nlohmann::json;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

using Check = JsonReader;

std::string at(const std::string& base, const char* key, size_t i) { return base + "." + key + "[" + std::to_string(i) + "]"; }

Result<void> known_org(db::Connection& conn, const Known& known, const std::string& code, const std::string& path) {
  if (known.org_codes.contains(code)) return {};
  CHIDOAN_TRY(r, conn.query_one("SELECT 1 FROM orgs WHERE code = ?1", {code}));
  if (!r) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, path);
  return {};
}

Result<void> known_member(const Known& known, const std::string& ref, const std::string& path) {
  if (!known.member_refs.contains(ref)) return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + ref, path);
  return {};
}

Result<void> validate(db::Connection& conn, const json& section, const Known& known) {
  Check top{"$.activity", section};
  CHIDOAN_TRY_VOID(top.only({"types", "activities"}));
  CHIDOAN_TRY(types, top.array("types"));
  std::set<std::string> type_codes;
  for (size_t i = 0; i < types->size(); ++i) {
    Check c{at("$.activity", "types", i), (*types)[i]};
    CHIDOAN_TRY_VOID(c.only({"code", "name", "name_en", "expects_all"}));
    CHIDOAN_TRY(code, c.str("code", true));
    CHIDOAN_TRY_VOID(c.str("name", true));
    CHIDOAN_TRY_VOID(c.str("name_en", false));
    type_codes.insert(code);
  }
  CHIDOAN_TRY(rows, conn.query("SELECT code FROM activity_types"));
  for (const auto& r : rows) type_codes.insert(r.str(0));
  CHIDOAN_TRY(acts, top.array("activities"));
  for (size_t i = 0; i < acts->size(); ++i) {
    std::string p = at("$.activity", "activities", i);
    Check c{p, (*acts)[i]};
    CHIDOAN_TRY_VOID(c.only({"org", "type", "title", "description", "place", "starts_at", "ends_at", "capacity", "signup_opens_at",
                             "signup_closes_at", "expects_all", "attendance_taken", "taking_part", "signups", "attendance", "completions"}));
    CHIDOAN_TRY(org, c.str("org", true));
    CHIDOAN_TRY_VOID(known_org(conn, known, org, p + ".org"));
    CHIDOAN_TRY(type, c.str("type", true));
    if (!type_codes.contains(type)) return fail(ErrorKind::invalid, "loại hoạt động không tồn tại: " + type, p + ".type");
    RawFields raw{{"type_id", "1"}};
    for (const char* k : {"title", "description", "place", "starts_at", "ends_at", "signup_opens_at", "signup_closes_at"}) {
      CHIDOAN_TRY(v, c.str(k, false));
      raw[k] = v;
    }
    CHIDOAN_TRY(capacity, c.opt_integer("capacity"));
    if (capacity) raw["capacity"] = std::to_string(*capacity);
    auto in = rules::validate_activity(raw);
    if (!in) return fail(ErrorKind::invalid, in.error().message, p + "." + in.error().field);
    CHIDOAN_TRY(parts, c.array("taking_part"));
    for (size_t k = 0; k < parts->size(); ++k) {
      if (!(*parts)[k].is_string()) return fail(ErrorKind::invalid, "phải là mã tổ chức", at(p, "taking_part", k));
      CHIDOAN_TRY_VOID(known_org(conn, known, (*parts)[k].get<std::string>(), at(p, "taking_part", k)));
    }
    CHIDOAN_TRY(signups, c.array("signups"));
    for (size_t k = 0; k < signups->size(); ++k) {
      Check s{at(p, "signups", k), (*signups)[k]};
      CHIDOAN_TRY_VOID(s.only({"member", "status", "at"}));
      CHIDOAN_TRY(ref, s.str("member", true));
      CHIDOAN_TRY_VOID(known_member(known, ref, s.path + ".member"));
      CHIDOAN_TRY(status, s.str("status", true));
      if (status != "confirmed" && status != "waitlisted" && status != "cancelled")
        return fail(ErrorKind::invalid, "trạng thái không hợp lệ: " + status, s.path + ".status");
    }
    CHIDOAN_TRY(att, c.array("attendance"));
    for (size_t k = 0; k < att->size(); ++k) {
      Check s{at(p, "attendance", k), (*att)[k]};
      CHIDOAN_TRY_VOID(s.only({"member", "branch", "unit", "status", "check_in_at", "check_out_at", "minutes", "hours_state"}));
      CHIDOAN_TRY(ref, s.str("member", true));
      CHIDOAN_TRY_VOID(known_member(known, ref, s.path + ".member"));
      CHIDOAN_TRY(branch, s.str("branch", true));
      CHIDOAN_TRY_VOID(known_org(conn, known, branch, s.path + ".branch"));
      CHIDOAN_TRY(status, s.str("status", true));
      if (status != "present" && status != "excused" && status != "absent")
        return fail(ErrorKind::invalid, "trạng thái không hợp lệ: " + status, s.path + ".status");
      CHIDOAN_TRY(minutes, s.opt_integer("minutes"));
      Activity a;
      a.starts_at = in->starts_at;
      a.ends_at = in->ends_at;
      if (minutes) {
        auto ok = rules::check_minutes(a, *minutes);
        if (!ok) return fail(ErrorKind::invalid, ok.error().message, s.path + ".minutes");
      }
      CHIDOAN_TRY(state, s.str("hours_state", false));
      if (!state.empty() && state != "none" && state != "checked" && state != "claimed" && state != "approved" && state != "rejected")
        return fail(ErrorKind::invalid, "trạng thái giờ không hợp lệ: " + state, s.path + ".hours_state");
    }
    CHIDOAN_TRY(done, c.array("completions"));
    for (size_t k = 0; k < done->size(); ++k) {
      Check s{at(p, "completions", k), (*done)[k]};
      CHIDOAN_TRY_VOID(s.only({"member", "completed_on", "mode", "certificate_no"}));
      CHIDOAN_TRY(ref, s.str("member", true));
      CHIDOAN_TRY_VOID(known_member(known, ref, s.path + ".member"));
      CHIDOAN_TRY(on, s.str("completed_on", true));
      if (!parse_date(on)) return fail(ErrorKind::invalid, "ngày không hợp lệ: " + on, s.path + ".completed_on");
      CHIDOAN_TRY(mode, s.str("mode", true));
      if (mode != "in_person" && mode != "online") return fail(ErrorKind::invalid, "hình thức không hợp lệ: " + mode, s.path + ".mode");
    }
  }
  return {};
}

Result<int64_t> org_id(db::Connection& conn, const Refs& refs, const std::string& code) {
  if (auto it = refs.orgs.find(code); it != refs.orgs.end()) return it->second;
  CHIDOAN_TRY(r, conn.query_one("SELECT id FROM orgs WHERE code = ?1", {code}));
  if (!r) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, "$.activity");
  return r->i64(0);
}

Result<void> load(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  Store store(conn, clock);
  for (const auto& t : section.value("types", json::array())) {
    CHIDOAN_TRY(existing, store.type_by_code(t["code"].get<std::string>()));
    if (existing) continue;
    CHIDOAN_TRY_VOID(conn.execute("INSERT INTO activity_types (code, name, name_en, expects_all, position) VALUES (?1, ?2, ?3, ?4, 100)",
                                  {t["code"].get<std::string>(), t["name"].get<std::string>(), t.value("name_en", std::string()),
                                   static_cast<int64_t>(t.value("expects_all", false))}));
  }
  for (const auto& a : section.value("activities", json::array())) {
    CHIDOAN_TRY(organiser, org_id(conn, refs, a["org"].get<std::string>()));
    CHIDOAN_TRY(found, store.type_by_code(a["type"].get<std::string>()));
    if (!found) return fail(ErrorKind::invalid, "loại hoạt động không tồn tại", "$.activity");
    const ActivityType* type = &*found;
    unsigned char secret[16];
    randombytes_buf(secret, sizeof secret);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, secret, sizeof secret);
    auto text = [&](const char* k) { return a.contains(k) && a[k].is_string() ? db::Value(a[k].get<std::string>()) : db::Value(nullptr); };
    CHIDOAN_TRY(id, conn.insert_id(
                        "INSERT INTO activities (org_id, type_id, title, description, place, starts_at, ends_at, capacity, "
                        "signup_opens_at, signup_closes_at, expects_all, attendance_taken, qr_secret, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
                        {organiser, type->id, a["title"].get<std::string>(), a.value("description", std::string()), a.value("place", std::string()),
                         a["starts_at"].get<std::string>(), a["ends_at"].get<std::string>(),
                         a.contains("capacity") && a["capacity"].is_number_integer() ? db::Value(a["capacity"].get<int64_t>()) : db::Value(nullptr),
                         text("signup_opens_at"), text("signup_closes_at"), static_cast<int64_t>(a.value("expects_all", type->expects_all)),
                         static_cast<int64_t>(a.value("attendance_taken", false)), std::string(hex), clock.unix_seconds()}));
    for (const auto& code : a.value("taking_part", json::array())) {
      CHIDOAN_TRY(oid, org_id(conn, refs, code.get<std::string>()));
      CHIDOAN_TRY_VOID(store.join(id, oid));
    }
    for (const auto& s : a.value("signups", json::array()))
      CHIDOAN_TRY_VOID(store.insert_signup(id, refs.members.at(s["member"].get<std::string>()), s["status"].get<std::string>(), s.value("at", int64_t{0})));
    for (const auto& r : a.value("attendance", json::array())) {
      Attendance row;
      row.activity_id = id;
      row.member_id = refs.members.at(r["member"].get<std::string>());
      CHIDOAN_TRY(bid, org_id(conn, refs, r["branch"].get<std::string>()));
      row.branch_id = bid;
      if (r.contains("unit") && r["unit"].is_string()) {
        CHIDOAN_TRY(u, conn.query_one("SELECT id FROM units WHERE org_id = ?1 AND name = ?2", {bid, r["unit"].get<std::string>()}));
        if (!u) return fail(ErrorKind::invalid, "đơn vị không tồn tại: " + r["unit"].get<std::string>(), "$.activity");
        row.unit_id = u->i64(0);
      }
      row.on_date = a["starts_at"].get<std::string>().substr(0, 10);
      row.status = r["status"].get<std::string>();
      if (r.contains("check_in_at") && r["check_in_at"].is_number_integer()) row.check_in_at = r["check_in_at"].get<int64_t>();
      if (r.contains("check_out_at") && r["check_out_at"].is_number_integer()) row.check_out_at = r["check_out_at"].get<int64_t>();
      row.minutes = r.value("minutes", int64_t{0});
      row.hours_state = r.value("hours_state", std::string("none"));
      CHIDOAN_TRY_VOID(store.insert_attendance(row));
    }
    for (const auto& c : a.value("completions", json::array()))
      CHIDOAN_TRY_VOID(conn.execute("INSERT INTO study_completions (activity_id, member_id, completed_on, mode, certificate_no) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5)",
                                    {id, refs.members.at(c["member"].get<std::string>()), c["completed_on"].get<std::string>(),
                                     c["mode"].get<std::string>(), c.value("certificate_no", std::string())}));
  }
  return {};
}

json opt(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

Result<json> dump(db::Connection& conn, const Clock& clock, const DumpScope& scope) {
  Store store(conn, clock);
  // Activities organised inside the subtree; rows of members outside the bundle are left out.
  CHIDOAN_TRY(rows, conn.query("SELECT a.id FROM activities a JOIN orgs o ON o.id = a.org_id WHERE o.path LIKE ?1 "
                               "ORDER BY a.starts_at, a.id",
                               {scope.root_path + "%"}));
  if (rows.empty()) return json(nullptr);
  auto ref = [&](int64_t member_id) -> std::string {
    auto it = scope.member_refs.find(member_id);
    return it == scope.member_refs.end() ? std::string() : it->second;
  };
  CHIDOAN_TRY(unit_rows, conn.query("SELECT id, name FROM units"));
  std::map<int64_t, std::string> unit_names;
  for (const auto& r : unit_rows) unit_names[r.i64(0)] = r.str(1);
  std::set<std::string> used_types;
  json acts = json::array();
  for (const auto& r : rows) {
    CHIDOAN_TRY(a, store.get(r.i64(0)));
    used_types.insert(a.type_code);
    json j{{"org", scope.org_codes.at(a.org_id)}, {"type", a.type_code}, {"title", a.title}, {"description", a.description},
           {"place", a.place}, {"starts_at", a.starts_at}, {"ends_at", a.ends_at},
           {"capacity", a.capacity ? json(*a.capacity) : json(nullptr)}, {"signup_opens_at", opt(a.signup_opens_at)},
           {"signup_closes_at", opt(a.signup_closes_at)}, {"expects_all", a.expects_all}, {"attendance_taken", a.attendance_taken}};
    CHIDOAN_TRY(parts, store.taking_part(a.id));
    std::vector<std::string> codes;
    for (int64_t p : parts) codes.push_back(scope.org_codes.at(p));
    std::sort(codes.begin(), codes.end());
    j["taking_part"] = codes;
    std::map<std::string, json> signups, attendance, completions;  // sorted by member ref
    CHIDOAN_TRY(ss, store.signups(a.id));
    for (const auto& s : ss)
      if (auto m = ref(s.member_id); !m.empty()) signups[m] = {{"member", m}, {"status", s.status}, {"at", s.created_at}};
    CHIDOAN_TRY(att, store.attendance(a.id));
    for (const auto& x : att) {
      auto m = ref(x.member_id);
      if (m.empty()) continue;
      attendance[m] = {{"member", m}, {"branch", scope.org_codes.at(x.branch_id)},
                       {"unit", x.unit_id && unit_names.contains(*x.unit_id) ? json(unit_names[*x.unit_id]) : json(nullptr)},
                       {"status", x.status}, {"check_in_at", x.check_in_at ? json(*x.check_in_at) : json(nullptr)},
                       {"check_out_at", x.check_out_at ? json(*x.check_out_at) : json(nullptr)}, {"minutes", x.minutes},
                       {"hours_state", x.hours_state}};
    }
    CHIDOAN_TRY(done, store.completions(a.id));
    for (const auto& c : done)
      if (auto m = ref(c.member_id); !m.empty())
        completions[m] = {{"member", m}, {"completed_on", c.completed_on}, {"mode", c.mode}, {"certificate_no", c.certificate_no}};
    auto values = [](std::map<std::string, json>& m) {
      json arr = json::array();
      for (auto& [k, v] : m) arr.push_back(std::move(v));
      return arr;
    };
    j["signups"] = values(signups);
    j["attendance"] = values(attendance);
    j["completions"] = values(completions);
    acts.push_back(std::move(j));
  }
  json types = json::array();
  CHIDOAN_TRY(all_types, store.types());
  for (const auto& t : all_types)
    if (used_types.contains(t.code)) types.push_back({{"code", t.code}, {"name", t.name}, {"name_en", t.name_en}, {"expects_all", t.expects_all}});
  return json{{"types", types}, {"activities", acts}};
}

}  // namespace

chidoan::bundle::Section bundle_section() { return {"activity", validate, load, dump}; }

}  // namespace chidoan::activity
