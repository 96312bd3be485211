#include "activity/dues_bundle.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "activity/dues_rules.hpp"
#include "activity/dues_store.hpp"
#include "platform/core/json_reader.hpp"

namespace chidoan::activity {
namespace {

using nlohmann::json;
using namespace dues;

const char* const kKeys[] = {"categories", "payments", "reversals", "exemptions", "remittances"};

std::string at(const char* list, size_t i) { return std::string("$.dues.") + list + "[" + std::to_string(i) + "]"; }

Result<void> only(const json& j, const std::string& path, std::initializer_list<const char*> keys) {
  return JsonReader{path, j}.only(keys);
}

Result<const json*> list_of(const json& section, const char* key) { return JsonReader{"$.dues", section}.array(key); }

// The entry's fields as the API's raw strings. `renames` maps bundle keys to API names; a
// reference key (member, branch, payment, to_org) is kept aside. Types: strings, and integers
// for amount and recorded_at.
Result<RawFields> raw_of(const json& j, const std::string& path, std::initializer_list<const char*> strings) {
  RawFields raw;
  for (const char* k : strings) {
    auto it = j.find(k);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_string()) return fail(ErrorKind::invalid, "phải là chuỗi", path + "." + k);
    raw[k] = it->get<std::string>();
  }
  if (auto it = j.find("amount"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return fail(ErrorKind::invalid, "phải là số nguyên (đồng)", path + ".amount");
    raw["amount"] = std::to_string(it->get<int64_t>());
  }
  return raw;
}

Result<std::string> ref(const json& j, const std::string& path, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty())
    return fail(ErrorKind::invalid, "thiếu trường bắt buộc", path + "." + key);
  return it->get<std::string>();
}

Result<std::optional<int64_t>> recorded_at(const json& j, const std::string& path) {
  auto it = j.find("recorded_at");
  if (it == j.end() || it->is_null()) return std::optional<int64_t>();
  if (!it->is_number_integer()) return fail(ErrorKind::invalid, "phải là số nguyên (giây unix)", path + ".recorded_at");
  return std::optional<int64_t>(it->get<int64_t>());
}

// An error of the rules or the store, moved to the entry's JSON path.
Error at_path(Error e, const std::string& path) {
  static const std::map<std::string, std::string> names = {
      {"member_id", "member"}, {"org_id", "branch"}, {"payment_id", "payment"}, {"id", "branch"}};
  auto it = names.find(e.field);
  e.field = path + (e.field.empty() ? "" : "." + (it == names.end() ? e.field : it->second));
  return e;
}

Result<bool> org_exists(db::Connection& conn, const chidoan::bundle::Known& known, const std::string& code) {
  if (known.org_codes.contains(code)) return true;
  CHIDOAN_TRY(row, conn.query_one("SELECT id FROM orgs WHERE code = ?1", {code}));
  return row.has_value();
}

Result<int64_t> org_id(db::Connection& conn, const chidoan::bundle::Refs& refs, const std::string& code, const std::string& path) {
  if (auto it = refs.orgs.find(code); it != refs.orgs.end()) return it->second;
  CHIDOAN_TRY(row, conn.query_one("SELECT id FROM orgs WHERE code = ?1", {code}));
  if (!row) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, path);
  return row->i64(0);
}

// Unix seconds of 00:00 in Vietnam (UTC+7) on an ISO date: the default recorded_at.
int64_t midnight_vn(const std::string& iso) {
  auto d = parse_date(iso);
  if (!d) return 0;
  return std::chrono::sys_seconds(std::chrono::sys_days(*d)).time_since_epoch().count() - 7 * 3600;
}

const Date kFarFuture{std::chrono::year{9999}, std::chrono::month{12}, std::chrono::day{31}};

Result<void> validate_dues(db::Connection& conn, const json& section, const chidoan::bundle::Known& known) {
  CHIDOAN_TRY_VOID(only(section, "$.dues", {"categories", "payments", "reversals", "exemptions", "remittances"}));
  auto member_known = [&](const json& j, const std::string& path) -> Result<void> {
    CHIDOAN_TRY(m, ref(j, path, "member"));
    if (!known.member_refs.contains(m)) return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + m, path + ".member");
    return {};
  };
  auto org_known = [&](const json& j, const std::string& path, const char* key) -> Result<void> {
    CHIDOAN_TRY(code, ref(j, path, key));
    CHIDOAN_TRY(ok, org_exists(conn, known, code));
    if (!ok) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, path + "." + key);
    return {};
  };
  auto check = [](const auto& parsed, const std::string& path) -> Result<void> {
    if (!parsed) return std::unexpected(at_path(parsed.error(), path));
    return {};
  };

  CHIDOAN_TRY(cats, list_of(section, "categories"));
  for (size_t i = 0; i < cats->size(); ++i) {
    const json& j = (*cats)[i];
    std::string path = at("categories", i);
    CHIDOAN_TRY_VOID(only(j, path, {"member", "category", "valid_from", "recorded_at"}));
    CHIDOAN_TRY_VOID(member_known(j, path));
    CHIDOAN_TRY(raw, raw_of(j, path, {"category", "valid_from"}));
    raw["member_id"] = "1";
    CHIDOAN_TRY_VOID(check(parse_category_change(raw), path));
    CHIDOAN_TRY_VOID(recorded_at(j, path));
  }
  std::set<std::string> payment_refs;
  CHIDOAN_TRY(pays, list_of(section, "payments"));
  for (size_t i = 0; i < pays->size(); ++i) {
    const json& j = (*pays)[i];
    std::string path = at("payments", i);
    CHIDOAN_TRY_VOID(only(j, path, {"ref", "member", "branch", "from_month", "to_month", "amount", "paid_on", "receipt_no", "note", "recorded_at"}));
    CHIDOAN_TRY(r, ref(j, path, "ref"));
    if (!payment_refs.insert(r).second) return fail(ErrorKind::invalid, "ref bị lặp: " + r, path + ".ref");
    CHIDOAN_TRY_VOID(member_known(j, path));
    CHIDOAN_TRY_VOID(org_known(j, path, "branch"));
    CHIDOAN_TRY(raw, raw_of(j, path, {"from_month", "to_month", "paid_on", "receipt_no", "note"}));
    if (!raw.contains("paid_on")) return fail(ErrorKind::invalid, "thiếu trường bắt buộc", path + ".paid_on");
    raw["member_id"] = "1";
    CHIDOAN_TRY_VOID(check(parse_payment(raw, kFarFuture), path));
    CHIDOAN_TRY_VOID(recorded_at(j, path));
  }
  std::set<std::string> reversed;
  CHIDOAN_TRY(revs, list_of(section, "reversals"));
  for (size_t i = 0; i < revs->size(); ++i) {
    const json& j = (*revs)[i];
    std::string path = at("reversals", i);
    CHIDOAN_TRY_VOID(only(j, path, {"payment", "reversed_on", "reason", "recorded_at"}));
    CHIDOAN_TRY(p, ref(j, path, "payment"));
    if (!payment_refs.contains(p)) return fail(ErrorKind::invalid, "khoản nộp không có trong bundle: " + p, path + ".payment");
    if (!reversed.insert(p).second) return fail(ErrorKind::invalid, "khoản nộp bị điều chỉnh hai lần: " + p, path + ".payment");
    CHIDOAN_TRY(raw, raw_of(j, path, {"reversed_on", "reason"}));
    if (!raw.contains("reversed_on")) return fail(ErrorKind::invalid, "thiếu trường bắt buộc", path + ".reversed_on");
    CHIDOAN_TRY_VOID(check(parse_reversal(raw, kFarFuture), path));
    CHIDOAN_TRY_VOID(recorded_at(j, path));
  }
  CHIDOAN_TRY(exs, list_of(section, "exemptions"));
  for (size_t i = 0; i < exs->size(); ++i) {
    const json& j = (*exs)[i];
    std::string path = at("exemptions", i);
    CHIDOAN_TRY_VOID(only(j, path, {"member", "branch", "from_month", "to_month", "reason", "recorded_at"}));
    CHIDOAN_TRY_VOID(member_known(j, path));
    CHIDOAN_TRY_VOID(org_known(j, path, "branch"));
    CHIDOAN_TRY(raw, raw_of(j, path, {"from_month", "to_month", "reason"}));
    raw["member_id"] = "1";
    CHIDOAN_TRY_VOID(check(parse_exemption(raw), path));
    CHIDOAN_TRY_VOID(recorded_at(j, path));
  }
  CHIDOAN_TRY(rems, list_of(section, "remittances"));
  for (size_t i = 0; i < rems->size(); ++i) {
    const json& j = (*rems)[i];
    std::string path = at("remittances", i);
    CHIDOAN_TRY_VOID(only(j, path, {"branch", "to_org", "from_month", "to_month", "amount", "remitted_on", "note", "recorded_at"}));
    CHIDOAN_TRY_VOID(org_known(j, path, "branch"));
    CHIDOAN_TRY_VOID(org_known(j, path, "to_org"));
    CHIDOAN_TRY(raw, raw_of(j, path, {"from_month", "to_month", "remitted_on", "note"}));
    if (!raw.contains("remitted_on")) return fail(ErrorKind::invalid, "thiếu trường bắt buộc", path + ".remitted_on");
    CHIDOAN_TRY_VOID(check(parse_remittance(raw, kFarFuture), path));
    CHIDOAN_TRY_VOID(recorded_at(j, path));
  }
  return {};
}

// Entries are replayed in the order they were recorded, through the same store methods (and so
// the same rules) as the pages and the API. Ties: categories, exemptions, payments, reversals,
// remittances, then their order in the file.
struct Entry {
  int64_t at = 0;
  int kind = 0;
  size_t index = 0;
  const json* j = nullptr;
};

Result<void> load_dues(db::Connection& conn, const Clock& clock, const json& section, const chidoan::bundle::Refs& refs) {
  DuesStore store(conn, clock);
  Date today = chidoan::today(clock);
  Month current = month_of(today);
  std::vector<Entry> entries;
  const char* lists[] = {"categories", "exemptions", "payments", "reversals", "remittances"};
  for (int kind = 0; kind < 5; ++kind) {
    CHIDOAN_TRY(list, list_of(section, lists[kind]));
    for (size_t i = 0; i < list->size(); ++i) {
      const json& j = (*list)[i];
      std::string path = at(lists[kind], i);
      CHIDOAN_TRY(when, recorded_at(j, path));
      int64_t t = 0;
      if (when) t = *when;
      else if (kind == 0) t = midnight_vn(j.value("valid_from", "") + "-01");
      else if (kind == 1) t = midnight_vn(j.value("from_month", "") + "-01");
      else if (kind == 2) t = midnight_vn(j.value("paid_on", ""));
      else if (kind == 3) t = midnight_vn(j.value("reversed_on", ""));
      else t = midnight_vn(j.value("remitted_on", ""));
      entries.push_back(Entry{t, kind, i, &j});
    }
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return std::tie(a.at, a.kind, a.index) < std::tie(b.at, b.kind, b.index); });

  std::map<std::string, int64_t> payment_ids;  // ref -> id
  std::map<std::string, int64_t> payment_branch;
  auto member_id = [&](const json& j) { return refs.members.at(j["member"].get<std::string>()); };
  for (const auto& e : entries) {
    const json& j = *e.j;
    std::string path = at(lists[e.kind], e.index);
    Recorded rec{std::nullopt, e.at};
    auto moved = [&](const Error& err) { return std::unexpected(at_path(err, path)); };
    switch (e.kind) {
      case 0: {
        CHIDOAN_TRY(raw, raw_of(j, path, {"category", "valid_from"}));
        raw["member_id"] = std::to_string(member_id(j));
        auto in = parse_category_change(raw);
        if (!in) return moved(in.error());
        // The category belongs to the member; it is recorded by the branch of its first month.
        CHIDOAN_TRY(ledger, store.ledger(in->member_id));
        auto branch = category_branch(ledger.stays, in->from);
        if (!branch) return fail(ErrorKind::invalid, "đoàn viên chưa sinh hoạt ở chi đoàn nào", path + ".member");
        auto r = store.set_category(*branch, *in, rec);
        if (!r) return moved(r.error());
        break;
      }
      case 1: {
        CHIDOAN_TRY(branch, org_id(conn, refs, j["branch"].get<std::string>(), path + ".branch"));
        CHIDOAN_TRY(raw, raw_of(j, path, {"from_month", "to_month", "reason"}));
        raw["member_id"] = std::to_string(member_id(j));
        auto in = parse_exemption(raw);
        if (!in) return moved(in.error());
        auto r = store.add_exemption(branch, *in, current, rec);
        if (!r) return moved(r.error());
        break;
      }
      case 2: {
        CHIDOAN_TRY(branch, org_id(conn, refs, j["branch"].get<std::string>(), path + ".branch"));
        CHIDOAN_TRY(raw, raw_of(j, path, {"from_month", "to_month", "paid_on", "receipt_no", "note"}));
        raw["member_id"] = std::to_string(member_id(j));
        auto in = parse_payment(raw, today);
        if (!in) return moved(in.error());
        auto r = store.record_payment(branch, *in, current, rec);
        if (!r) return moved(r.error());
        payment_ids[j["ref"].get<std::string>()] = r->id;
        payment_branch[j["ref"].get<std::string>()] = branch;
        break;
      }
      case 3: {
        std::string p = j["payment"].get<std::string>();
        if (!payment_ids.contains(p)) return fail(ErrorKind::invalid, "điều chỉnh trước khi có khoản nộp: " + p, path + ".recorded_at");
        CHIDOAN_TRY(raw, raw_of(j, path, {"reversed_on", "reason"}));
        auto in = parse_reversal(raw, today);
        if (!in) return moved(in.error());
        auto r = store.reverse_payment(payment_branch[p], payment_ids[p], *in, rec);
        if (!r) return moved(r.error());
        break;
      }
      default: {
        CHIDOAN_TRY(branch, org_id(conn, refs, j["branch"].get<std::string>(), path + ".branch"));
        CHIDOAN_TRY(to, org_id(conn, refs, j["to_org"].get<std::string>(), path + ".to_org"));
        CHIDOAN_TRY(raw, raw_of(j, path, {"from_month", "to_month", "remitted_on", "note"}));
        auto in = parse_remittance(raw, today);
        if (!in) return moved(in.error());
        auto r = store.add_remittance(branch, *in, current, rec, to);
        if (!r) return moved(r.error());
        break;
      }
    }
  }
  return {};
}

Result<json> dump_dues(db::Connection& conn, const Clock& clock, const chidoan::bundle::DumpScope& scope) {
  DuesStore store(conn, clock);
  auto code = [&](int64_t id) {
    auto it = scope.org_codes.find(id);
    return it == scope.org_codes.end() ? std::string() : it->second;
  };
  auto member = [&](int64_t id) -> const std::string* {
    auto it = scope.member_refs.find(id);
    return it == scope.member_refs.end() ? nullptr : &it->second;
  };
  json out = json::object();
  for (const char* k : kKeys) out[k] = json::array();

  // Categories of the bundle's members, by member ref then month.
  CHIDOAN_TRY(cats, conn.query("SELECT member_id, valid_from, category, recorded_at FROM dues_categories ORDER BY member_id, valid_from"));
  std::vector<std::pair<std::pair<std::string, std::string>, json>> cat_list;
  for (const auto& r : cats) {
    const std::string* m = member(r.i64(0));
    if (!m) continue;
    cat_list.push_back({{*m, r.str(1)}, {{"member", *m}, {"category", r.str(2)}, {"valid_from", r.str(1)}, {"recorded_at", r.i64(3)}}});
  }
  std::sort(cat_list.begin(), cat_list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [k, j] : cat_list) out["categories"].push_back(std::move(j));

  // Payments and reversals in the order recorded; payments get refs P0001… in that order.
  CHIDOAN_TRY(pays, store.payments_under(scope.root_path));
  std::map<int64_t, std::string> refs;
  for (const auto& p : pays) {
    if (p.reverses_id) continue;
    const std::string* m = member(p.member_id);
    if (!m) continue;
    char buf[16];
    std::snprintf(buf, sizeof buf, "P%04zu", refs.size() + 1);
    refs[p.id] = buf;
    out["payments"].push_back({{"ref", buf},
                               {"member", *m},
                               {"branch", code(p.branch_id)},
                               {"from_month", to_string(p.from)},
                               {"to_month", to_string(p.to)},
                               {"amount", p.amount},
                               {"paid_on", p.paid_on},
                               {"receipt_no", p.receipt_no},
                               {"note", p.note},
                               {"recorded_at", p.recorded_at}});
  }
  for (const auto& p : pays) {
    if (!p.reverses_id || !refs.contains(*p.reverses_id)) continue;
    out["reversals"].push_back({{"payment", refs[*p.reverses_id]}, {"reversed_on", p.paid_on}, {"reason", p.note}, {"recorded_at", p.recorded_at}});
  }
  CHIDOAN_TRY(exs, store.exemptions_under(scope.root_path));
  for (const auto& e : exs) {
    const std::string* m = member(e.member_id);
    if (!m) continue;
    out["exemptions"].push_back({{"member", *m},
                                 {"branch", code(e.branch_id)},
                                 {"from_month", to_string(e.from)},
                                 {"to_month", to_string(e.to)},
                                 {"reason", e.reason},
                                 {"recorded_at", e.recorded_at}});
  }
  CHIDOAN_TRY(rems, store.remittances_under(scope.root_path));
  for (const auto& r : rems)
    out["remittances"].push_back({{"branch", code(r.branch_id)},
                                  {"to_org", code(r.to_org_id)},
                                  {"from_month", to_string(r.from)},
                                  {"to_month", to_string(r.to)},
                                  {"amount", r.amount},
                                  {"remitted_on", r.remitted_on},
                                  {"note", r.note},
                                  {"recorded_at", r.recorded_at}});
  bool empty = true;
  for (const char* k : kKeys) empty = empty && out[k].empty();
  if (empty) return json(nullptr);  // nothing recorded: the bundle keeps no "dues" key
  return out;
}

}  // namespace

chidoan::bundle::Section dues_bundle_section() {
  return chidoan::bundle::Section{"dues", validate_dues, load_dues, dump_dues};
}

}  // namespace chidoan::activity
