#include "org/bundle.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "org/rules.hpp"
#include "platform/core/json_reader.hpp"
#include "org/store.hpp"

namespace chidoan::org::bundle {
namespace {

using nlohmann::json;

using Reader = JsonReader;

Result<const json*> array_of(const json& doc, const char* key) {
  static const json empty = json::array();
  auto it = doc.find(key);
  if (it == doc.end()) return &empty;
  if (!it->is_array()) return fail(ErrorKind::invalid, "phải là một mảng", std::string("$.") + key);
  return &*it;
}

std::string at(const char* section, size_t i) { return std::string("$.") + section + "[" + std::to_string(i) + "]"; }

const std::set<std::string> kOrgEventKinds = {"create", "rename", "move", "split", "merge", "dissolve"};
const std::set<std::string> kMemberEventKinds = {"admit", "enter", "transfer_out", "transfer_in", "split_move", "mature", "remove"};
const std::set<std::string> kStatuses = {"active", "transferred_out", "matured", "removed"};

}  // namespace

// Outside the anonymous namespace: Plan, declared in bundle.hpp, holds them.
struct PlannedOrg {
  NewOrg in;
  int64_t rank = 0;
  std::string parent_code;
  std::string status, ended_on;
};
struct PlannedMember {
  std::string ref;
  MemberInput in;
  std::string status;
  std::string unit;
  std::vector<std::pair<std::string, Period>> periods;  // branch code, period
  std::vector<std::pair<json, MemberEvent>> events;     // the raw event (codes), event
};

namespace {

const char* const kOrgKeys[] = {"format", "version", "root_parent", "levels", "orgs", "org_events", "units", "members"};

}  // namespace

struct Plan {
  std::map<int64_t, Level> levels;
  std::vector<Level> new_levels;
  std::vector<PlannedOrg> orgs;
  json org_events = json::array();
  std::vector<std::pair<std::string, std::string>> unit_list;
  std::vector<PlannedMember> members;
};

void PlanDeleter::operator()(Plan* p) const { delete p; }

Result<PlanPtr> validate(db::Connection& conn, const Clock& clock, const json& doc, chidoan::bundle::Known& known) {
  Store store(conn, clock);
  Date today = chidoan::today(clock);
  if (!doc.is_object()) return fail(ErrorKind::invalid, "bundle phải là một đối tượng JSON", "$");
  Reader top{"$", doc};
  CHIDOAN_TRY(format, top.str("format", true));
  if (format != kFormat) return fail(ErrorKind::invalid, std::string("phải là \"") + kFormat + "\"", "$.format");
  CHIDOAN_TRY(version, top.integer("version"));
  if (version != kVersion) return fail(ErrorKind::invalid, "phiên bản không được hỗ trợ: " + std::to_string(version), "$.version");

  // Levels: matched by rank with the database's.
  CHIDOAN_TRY(db_levels, store.levels());
  std::map<int64_t, Level> levels;
  for (const auto& l : db_levels) levels[l.rank] = l;
  std::vector<Level> new_levels;
  CHIDOAN_TRY(jlevels, array_of(doc, "levels"));
  for (size_t i = 0; i < jlevels->size(); ++i) {
    Reader r{at("levels", i), (*jlevels)[i]};
    CHIDOAN_TRY_VOID(r.only({"rank", "name", "holds_members"}));
    CHIDOAN_TRY(rank, r.integer("rank"));
    CHIDOAN_TRY(name, r.str("name", true));
    CHIDOAN_TRY(holds, r.boolean("holds_members"));
    auto it = levels.find(rank);
    if (it != levels.end()) {
      if (it->second.name != name || it->second.holds_members != holds)
        return fail(ErrorKind::invalid, "cấp " + std::to_string(rank) + " đã có với tên \"" + it->second.name + "\"", r.path + ".name");
      continue;
    }
    Level l{0, rank, name, holds};
    levels[rank] = l;
    new_levels.push_back(l);
  }

  // Orgs: parents before children; codes new to the database.
  CHIDOAN_TRY(root_parent, top.str("root_parent", false));
  std::map<std::string, size_t> org_index;
  std::vector<PlannedOrg> orgs;
  CHIDOAN_TRY(jorgs, array_of(doc, "orgs"));
  if (jorgs->empty()) return fail(ErrorKind::invalid, "bundle không có tổ chức nào", "$.orgs");
  for (size_t i = 0; i < jorgs->size(); ++i) {
    Reader r{at("orgs", i), (*jorgs)[i]};
    CHIDOAN_TRY_VOID(r.only({"code", "name", "level", "parent", "status", "founded_on", "ended_on"}));
    PlannedOrg o;
    CHIDOAN_TRY(code_raw, r.str("code", true));
    auto code = rules::check_org_code(code_raw);
    if (!code) return fail(ErrorKind::invalid, code.error().message, r.path + ".code");
    if (org_index.contains(*code)) return fail(ErrorKind::invalid, "mã tổ chức bị lặp: " + *code, r.path + ".code");
    CHIDOAN_TRY(existing, store.org_by_code(*code));
    if (existing) return fail(ErrorKind::conflict, "mã tổ chức đã có trong cơ sở dữ liệu: " + *code, r.path + ".code");
    o.in.code = *code;
    CHIDOAN_TRY(name, r.str("name", true));
    o.in.name = name;
    CHIDOAN_TRY(rank, r.integer("level"));
    if (!levels.contains(rank)) return fail(ErrorKind::invalid, "cấp không tồn tại: " + std::to_string(rank), r.path + ".level");
    o.rank = rank;
    CHIDOAN_TRY(parent, r.str("parent", false));
    if (i == 0) {
      if (parent != root_parent) return fail(ErrorKind::invalid, "tổ chức gốc phải có parent bằng root_parent", r.path + ".parent");
      if (!parent.empty()) {
        CHIDOAN_TRY(p, store.org_by_code(parent));
        if (!p) return fail(ErrorKind::invalid, "tổ chức cấp trên không có trong cơ sở dữ liệu: " + parent, r.path + ".parent");
        if (p->level_rank >= rank) return fail(ErrorKind::invalid, "cấp phải thấp hơn cấp trên", r.path + ".level");
      }
    } else {
      auto p = org_index.find(parent);
      if (p == org_index.end()) return fail(ErrorKind::invalid, "tổ chức cấp trên phải đứng trước trong danh sách: " + parent, r.path + ".parent");
      if (orgs[p->second].rank >= rank || levels[orgs[p->second].rank].holds_members)
        return fail(ErrorKind::invalid, "cấp phải thấp hơn cấp trên", r.path + ".level");
    }
    o.parent_code = parent;
    CHIDOAN_TRY(status, r.str("status", false));
    o.status = status.empty() ? "active" : status;
    if (o.status != "active" && o.status != "dissolved" && o.status != "merged")
      return fail(ErrorKind::invalid, "trạng thái không hợp lệ: " + o.status, r.path + ".status");
    CHIDOAN_TRY(founded, r.date("founded_on", false));
    CHIDOAN_TRY(ended, r.date("ended_on", false));
    if ((o.status == "active") != ended.empty()) return fail(ErrorKind::invalid, "ended_on đi cùng trạng thái đã kết thúc", r.path + ".ended_on");
    o.in.founded_on = founded;
    o.ended_on = ended;
    org_index[o.in.code] = orgs.size();
    orgs.push_back(o);
  }
  auto known_org = [&](const std::string& code) -> Result<bool> {
    if (org_index.contains(code)) return true;
    CHIDOAN_TRY(o, store.org_by_code(code));
    return o.has_value();
  };
  auto is_branch = [&](const std::string& code) { return org_index.contains(code) && levels[orgs[org_index[code]].rank].holds_members; };

  CHIDOAN_TRY(jevents, array_of(doc, "org_events"));
  for (size_t i = 0; i < jevents->size(); ++i) {
    Reader r{at("org_events", i), (*jevents)[i]};
    CHIDOAN_TRY_VOID(r.only({"org", "kind", "effective_on", "related_org", "old_value", "new_value", "note"}));
    CHIDOAN_TRY(org, r.str("org", true));
    if (!org_index.contains(org)) return fail(ErrorKind::invalid, "tổ chức không có trong bundle: " + org, r.path + ".org");
    CHIDOAN_TRY(kind, r.str("kind", true));
    if (!kOrgEventKinds.contains(kind)) return fail(ErrorKind::invalid, "loại sự kiện không hợp lệ: " + kind, r.path + ".kind");
    CHIDOAN_TRY_VOID(r.date("effective_on", true));
    CHIDOAN_TRY(rel, r.str("related_org", false));
    if (!rel.empty()) {
      CHIDOAN_TRY(ok, known_org(rel));
      if (!ok) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + rel, r.path + ".related_org");
    }
    for (const char* k : {"old_value", "new_value", "note"}) CHIDOAN_TRY_VOID(r.str(k, false));
  }

  std::map<std::string, std::set<std::string>> units;  // org code -> unit names
  std::vector<std::pair<std::string, std::string>> unit_list;
  CHIDOAN_TRY(junits, array_of(doc, "units"));
  for (size_t i = 0; i < junits->size(); ++i) {
    Reader r{at("units", i), (*junits)[i]};
    CHIDOAN_TRY_VOID(r.only({"org", "name"}));
    CHIDOAN_TRY(org, r.str("org", true));
    if (!is_branch(org)) return fail(ErrorKind::invalid, "đơn vị phải thuộc một chi đoàn trong bundle: " + org, r.path + ".org");
    CHIDOAN_TRY(name, r.str("name", true));
    if (name.empty() || !units[org].insert(name).second) return fail(ErrorKind::invalid, "tên đơn vị trống hoặc bị lặp", r.path + ".name");
    unit_list.emplace_back(org, name);
  }

  std::vector<PlannedMember> members;
  std::set<std::string> cccds;
  CHIDOAN_TRY(jmembers, array_of(doc, "members"));
  for (size_t i = 0; i < jmembers->size(); ++i) {
    const json& jm = (*jmembers)[i];
    Reader r{at("members", i), jm};
    CHIDOAN_TRY_VOID(r.only({"ref", "family_name", "middle_name", "given_name", "sex", "birth_date", "cccd", "phone", "email",
                             "joined_union_on", "card_number", "unit", "committee_role", "status", "periods", "events"}));
    PlannedMember m;
    CHIDOAN_TRY(ref, r.str("ref", false));
    m.ref = ref.empty() ? "#" + std::to_string(i) : ref;
    if (!known.member_refs.insert(m.ref).second) return fail(ErrorKind::invalid, "ref bị lặp: " + m.ref, r.path + ".ref");
    RawFields raw;
    for (const char* k : {"family_name", "middle_name", "given_name", "sex", "birth_date", "cccd", "phone", "email",
                          "joined_union_on", "card_number", "committee_role"}) {
      CHIDOAN_TRY(v, r.str(k, false));
      raw[k] = v;
    }
    auto jp = jm.find("periods");
    if (jp == jm.end() || !jp->is_array() || jp->empty())
      return fail(ErrorKind::invalid, "cần ít nhất một thời gian sinh hoạt", r.path + ".periods");
    for (size_t k = 0; k < jp->size(); ++k) {
      Reader pr{r.path + ".periods[" + std::to_string(k) + "]", (*jp)[k]};
      CHIDOAN_TRY_VOID(pr.only({"branch", "from", "to"}));
      CHIDOAN_TRY(branch, pr.str("branch", true));
      if (!is_branch(branch)) {
        CHIDOAN_TRY(o, store.org_by_code(branch));
        if (!o || !o->holds_members) return fail(ErrorKind::invalid, "chi đoàn không tồn tại: " + branch, pr.path + ".branch");
      }
      CHIDOAN_TRY(from, pr.date("from", true));
      CHIDOAN_TRY(to, pr.date("to", false));
      if (!to.empty() && to <= from) return fail(ErrorKind::invalid, "ngày kết thúc phải sau ngày bắt đầu", pr.path + ".to");
      if (!m.periods.empty()) {
        const Period& prev = m.periods.back().second;
        if (prev.to_on.empty()) return fail(ErrorKind::invalid, "chỉ thời gian sinh hoạt cuối cùng được để mở", pr.path);
        if (from < prev.to_on) return fail(ErrorKind::invalid, "các thời gian sinh hoạt chồng lên nhau", pr.path + ".from");
      }
      m.periods.push_back({branch, Period{0, from, to}});
    }
    raw["branch_since"] = m.periods.front().second.from_on;
    auto input = rules::validate_member(raw, today);
    if (!input) return fail(ErrorKind::invalid, input.error().message, r.path + "." + input.error().field);
    m.in = *input;
    if (!m.in.cccd.empty()) {
      if (!cccds.insert(m.in.cccd).second) return fail(ErrorKind::invalid, "số CCCD bị lặp trong bundle", r.path + ".cccd");
      CHIDOAN_TRY(other, store.member_by_cccd(m.in.cccd));
      if (other) return fail(ErrorKind::conflict, "số CCCD đã có trong cơ sở dữ liệu", r.path + ".cccd");
    }
    CHIDOAN_TRY(status, r.str("status", false));
    m.status = status.empty() ? "active" : status;
    if (!kStatuses.contains(m.status)) return fail(ErrorKind::invalid, "trạng thái không hợp lệ: " + m.status, r.path + ".status");
    bool open = m.periods.back().second.to_on.empty();
    if ((m.status == "active") != open)
      return fail(ErrorKind::invalid, "đoàn viên đang sinh hoạt khi và chỉ khi thời gian sinh hoạt cuối cùng còn mở", r.path + ".status");
    CHIDOAN_TRY(unit, r.str("unit", false));
    const std::string& current = m.periods.back().first;
    if (!unit.empty() && !units[current].contains(unit))
      return fail(ErrorKind::invalid, "đơn vị không có trong chi đoàn " + current + ": " + unit, r.path + ".unit");
    m.unit = unit;
    auto je = jm.find("events");
    if (je != jm.end()) {
      if (!je->is_array()) return fail(ErrorKind::invalid, "phải là một mảng", r.path + ".events");
      for (size_t k = 0; k < je->size(); ++k) {
        Reader er{r.path + ".events[" + std::to_string(k) + "]", (*je)[k]};
        CHIDOAN_TRY_VOID(er.only({"kind", "effective_on", "branch", "other_branch", "reason"}));
        CHIDOAN_TRY(kind, er.str("kind", true));
        if (!kMemberEventKinds.contains(kind)) return fail(ErrorKind::invalid, "loại sự kiện không hợp lệ: " + kind, er.path + ".kind");
        CHIDOAN_TRY(on, er.date("effective_on", true));
        CHIDOAN_TRY(branch, er.str("branch", true));
        CHIDOAN_TRY(ok, known_org(branch));
        if (!ok) return fail(ErrorKind::invalid, "chi đoàn không tồn tại: " + branch, er.path + ".branch");
        CHIDOAN_TRY(other, er.str("other_branch", false));
        if (!other.empty()) {
          CHIDOAN_TRY(ok2, known_org(other));
          if (!ok2) return fail(ErrorKind::invalid, "chi đoàn không tồn tại: " + other, er.path + ".other_branch");
        }
        CHIDOAN_TRY(reason, er.str("reason", false));
        m.events.push_back({(*je)[k], MemberEvent{0, 0, kind, on, 0, std::nullopt, reason}});
      }
    }
    members.push_back(std::move(m));
  }

  for (const auto& o : orgs) known.org_codes.insert(o.in.code);
  auto plan = PlanPtr(new Plan);
  plan->levels = std::move(levels);
  plan->new_levels = std::move(new_levels);
  plan->orgs = std::move(orgs);
  plan->org_events = *jevents;
  plan->unit_list = std::move(unit_list);
  plan->members = std::move(members);
  return plan;
}

Result<chidoan::bundle::Refs> write(db::Connection& conn, const Clock& clock, Plan& plan, LoadStats& stats) {
  Store store(conn, clock);
  auto& levels = plan.levels;
  chidoan::bundle::Refs refs;
  auto& ids = refs.orgs;
  for (const auto& l : plan.new_levels) {
    CHIDOAN_TRY(id, store.add_level(l));
    levels[l.rank].id = id;
  }
  auto id_of = [&](const std::string& code) -> Result<int64_t> {
    if (auto it = ids.find(code); it != ids.end()) return it->second;
    CHIDOAN_TRY(o, store.org_by_code(code));
    if (!o) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, "$");
    ids[code] = o->id;
    return o->id;
  };
  for (auto& o : plan.orgs) {
    o.in.level_id = levels[o.rank].id;
    if (!o.parent_code.empty()) {
      CHIDOAN_TRY(pid, id_of(o.parent_code));
      o.in.parent_id = pid;
    }
    CHIDOAN_TRY(id, store.create_org(o.in, false));
    ids[o.in.code] = id;
    if (o.status != "active") CHIDOAN_TRY_VOID(store.set_org_end(id, o.status, o.ended_on));
    ++stats.orgs;
  }
  for (const auto& e : plan.org_events) {
    OrgEvent ev;
    CHIDOAN_TRY(oid, id_of(e["org"].get<std::string>()));
    ev.org_id = oid;
    ev.kind = e["kind"].get<std::string>();
    ev.effective_on = e["effective_on"].get<std::string>();
    if (e.contains("related_org") && e["related_org"].is_string()) {
      CHIDOAN_TRY(rid, id_of(e["related_org"].get<std::string>()));
      ev.related_org_id = rid;
    }
    ev.old_value = e.value("old_value", "");
    ev.new_value = e.value("new_value", "");
    ev.note = e.value("note", "");
    CHIDOAN_TRY_VOID(store.add_org_event(ev));
  }
  std::map<std::pair<std::string, std::string>, int64_t> unit_ids;
  for (const auto& [org, name] : plan.unit_list) {
    CHIDOAN_TRY(oid, id_of(org));
    CHIDOAN_TRY(uid, store.add_unit(oid, name));
    unit_ids[{org, name}] = uid;
    ++stats.units;
  }
  for (auto& m : plan.members) {
    const std::string& current = m.periods.back().first;
    CHIDOAN_TRY(branch_id, id_of(current));
    if (!m.unit.empty()) m.in.unit_id = unit_ids[{current, m.unit}];
    CHIDOAN_TRY(mid, store.insert_member(branch_id, m.in, m.status));
    refs.members[m.ref] = mid;
    for (auto& [code, p] : m.periods) {
      CHIDOAN_TRY(bid, id_of(code));
      p.branch_id = bid;
      CHIDOAN_TRY_VOID(store.add_period(mid, p));
    }
    for (auto& [raw_event, e] : m.events) {
      e.member_id = mid;
      CHIDOAN_TRY(bid, id_of(raw_event["branch"].get<std::string>()));
      e.branch_id = bid;
      if (raw_event.contains("other_branch") && raw_event["other_branch"].is_string()) {
        CHIDOAN_TRY(other, id_of(raw_event["other_branch"].get<std::string>()));
        e.other_branch_id = other;
      }
      CHIDOAN_TRY_VOID(store.add_member_event(e));
    }
    ++stats.members;
  }
  return refs;
}

Result<LoadStats> load(db::Connection& conn, const Clock& clock, const json& doc,
                       const std::vector<chidoan::bundle::Section>& sections) {
  if (!doc.is_object()) return fail(ErrorKind::invalid, "bundle phải là một đối tượng JSON", "$");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    bool known_key = std::find(std::begin(kOrgKeys), std::end(kOrgKeys), it.key()) != std::end(kOrgKeys);
    for (const auto& sec : sections) known_key = known_key || sec.key == it.key();
    if (!known_key) return fail(ErrorKind::invalid, "trường không được hỗ trợ", "$." + it.key());
  }
  chidoan::bundle::Known known;
  CHIDOAN_TRY(plan, validate(conn, clock, doc, known));
  for (const auto& sec : sections)
    if (doc.contains(sec.key)) CHIDOAN_TRY_VOID(sec.validate(conn, doc[sec.key], known));
  LoadStats stats;
  CHIDOAN_TRY_VOID(conn.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(refs, write(conn, clock, *plan, stats));
    for (const auto& sec : sections)
      if (doc.contains(sec.key)) CHIDOAN_TRY_VOID(sec.load(conn, clock, doc[sec.key], refs));
    return {};
  }));
  return stats;
}

Result<json> dump(db::Connection& conn, const Clock& clock, int64_t org_id, const std::vector<chidoan::bundle::Section>& sections) {
  chidoan::bundle::DumpScope scope;
  CHIDOAN_TRY(doc, dump(conn, clock, org_id, scope));
  for (const auto& sec : sections) {
    CHIDOAN_TRY(part, sec.dump(conn, clock, scope));
    if (!part.is_null()) doc[sec.key] = std::move(part);
  }
  return doc;
}

Result<json> dump(db::Connection& conn, const Clock& clock, int64_t org_id, chidoan::bundle::DumpScope& scope) {
  Store store(conn, clock);
  CHIDOAN_TRY(root, store.org(org_id));
  scope.root_path = root.path;
  CHIDOAN_TRY(orgs, store.orgs(org_id));
  std::map<int64_t, std::string> code_of;
  CHIDOAN_TRY(all_orgs, store.orgs());
  for (const auto& o : all_orgs) code_of[o.id] = o.code;
  scope.org_codes = code_of;
  auto code_or_null = [&](std::optional<int64_t> id) { return id ? json(code_of[*id]) : json(nullptr); };

  json doc;
  doc["format"] = kFormat;
  doc["version"] = kVersion;
  doc["root_parent"] = code_or_null(root.parent_id);
  CHIDOAN_TRY(levels, store.levels());
  std::set<int64_t> used;
  for (const auto& o : orgs) used.insert(o.level_id);
  doc["levels"] = json::array();
  for (const auto& l : levels)
    if (used.contains(l.id)) doc["levels"].push_back({{"rank", l.rank}, {"name", l.name}, {"holds_members", l.holds_members}});

  doc["orgs"] = json::array();
  doc["org_events"] = json::array();
  doc["units"] = json::array();
  std::set<int64_t> in_tree;
  for (const auto& o : orgs) in_tree.insert(o.id);
  auto opt_str = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  for (const auto& o : orgs) {
    doc["orgs"].push_back({{"code", o.code}, {"name", o.name}, {"level", o.level_rank}, {"parent", code_or_null(o.parent_id)},
                           {"status", o.status}, {"founded_on", opt_str(o.founded_on)}, {"ended_on", opt_str(o.ended_on)}});
  }
  std::vector<std::pair<std::string, json>> events;
  for (const auto& o : orgs) {
    CHIDOAN_TRY(es, store.org_events(o.id));
    for (const auto& e : es) {
      if (e.org_id != o.id) continue;  // listed under its own org
      events.push_back({e.effective_on + code_of[e.org_id],
                        {{"org", code_of[e.org_id]}, {"kind", e.kind}, {"effective_on", e.effective_on},
                         {"related_org", code_or_null(e.related_org_id)}, {"old_value", e.old_value},
                         {"new_value", e.new_value}, {"note", e.note}}});
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [k, e] : events) doc["org_events"].push_back(std::move(e));
  for (const auto& o : orgs) {
    CHIDOAN_TRY(us, store.units(o.id));
    for (const auto& u : us) doc["units"].push_back({{"org", o.code}, {"name", u.name}});
  }

  // Members who ever stayed in a branch of the subtree, in Vietnamese name order.
  CHIDOAN_TRY(rows, conn.query("SELECT DISTINCT m.id, m.sort_key, m.birth_date FROM members m "
                               "JOIN member_periods p ON p.member_id = m.id JOIN orgs o ON o.id = p.branch_id "
                               "WHERE o.path LIKE ?1 ORDER BY m.sort_key, m.birth_date, m.id",
                               {root.path + "%"}));
  doc["members"] = json::array();
  size_t n = 0;
  for (const auto& r : rows) {
    CHIDOAN_TRY(m, store.member(r.i64(0)));
    char ref[16];
    std::snprintf(ref, sizeof ref, "M%04zu", ++n);
    scope.member_refs[m.id] = ref;
    json jm{{"ref", ref},
            {"family_name", m.family_name},
            {"middle_name", m.middle_name},
            {"given_name", m.given_name},
            {"sex", m.sex},
            {"birth_date", m.birth_date},
            {"cccd", opt_str(m.cccd)},
            {"phone", opt_str(m.phone)},
            {"email", opt_str(m.email)},
            {"joined_union_on", opt_str(m.joined_union_on)},
            {"card_number", opt_str(m.card_number)},
            {"unit", opt_str(m.unit_name)},
            {"committee_role", m.committee_role},
            {"status", m.status}};
    CHIDOAN_TRY(ps, store.periods(m.id));
    jm["periods"] = json::array();
    for (const auto& p : ps) jm["periods"].push_back({{"branch", code_of[p.branch_id]}, {"from", p.from_on}, {"to", opt_str(p.to_on)}});
    CHIDOAN_TRY(es, store.member_events(m.id));
    jm["events"] = json::array();
    for (const auto& e : es)
      jm["events"].push_back({{"kind", e.kind}, {"effective_on", e.effective_on}, {"branch", code_of[e.branch_id]},
                              {"other_branch", code_or_null(e.other_branch_id)}, {"reason", e.reason}});
    doc["members"].push_back(std::move(jm));
  }
  return doc;
}

Result<int64_t> org_ref(db::Connection& conn, const chidoan::bundle::Refs& refs, const std::string& code, const std::string& path) {
  if (auto it = refs.orgs.find(code); it != refs.orgs.end()) return it->second;
  CHIDOAN_TRY(r, conn.query_one("SELECT id FROM orgs WHERE code = ?1", {code}));
  if (!r) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, path);
  return r->i64(0);
}

}  // namespace chidoan::org::bundle
