#include "fund/bundle.hpp"

#include <map>
#include <set>

#include "fund/rules.hpp"
#include "fund/store.hpp"
#include "platform/core/json_reader.hpp"

namespace chidoan::fund {
namespace {

using nlohmann::json;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

Result<void> known_org(db::Connection& conn, const Known& known, const std::string& code, const std::string& path) {
  if (known.org_codes.contains(code)) return {};
  CHIDOAN_TRY(r, conn.query_one("SELECT 1 FROM orgs WHERE code = ?1", {code}));
  if (!r) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, path);
  return {};
}


Result<void> validate_entry(db::Connection& conn, const Known& known, const JsonReader& e, size_t count, std::set<int64_t>& receipts,
                            const std::set<int64_t>& rounds) {
  CHIDOAN_TRY_VOID(e.only({"round_no", "kind", "amount_vnd", "item", "quantity_milli", "unit", "value_vnd", "contributor_kind", "member",
                           "unit_org", "unit_name", "contributor_name", "collected_by", "on_date", "method", "note", "reverses",
                           "receipt_no", "recorded_by", "recorded_at"}));
  CHIDOAN_TRY(kind, e.str("kind", true));
  if (kind != "money" && kind != "in_kind") return fail(ErrorKind::invalid, "loại không hợp lệ: " + kind, e.path + ".kind");
  CHIDOAN_TRY(reverses, e.opt_integer("reverses"));
  if (reverses && (*reverses < 1 || static_cast<size_t>(*reverses) > count))
    return fail(ErrorKind::invalid, "khoản được đảo phải đứng trước", e.path + ".reverses");
  int64_t sign = reverses ? -1 : 1;
  CHIDOAN_TRY(amount, e.opt_integer("amount_vnd"));
  CHIDOAN_TRY(qty, e.opt_integer("quantity_milli"));
  CHIDOAN_TRY(value, e.opt_integer("value_vnd"));
  auto in_range = [&](std::optional<int64_t> v, bool positive) {
    int64_t x = v.value_or(0) * sign;
    return positive ? x > 0 && x <= rules::kMaxVnd : x >= 0 && x <= rules::kMaxVnd;
  };
  if (kind == "money" && !in_range(amount, true)) return fail(ErrorKind::invalid, "số tiền phải là số nguyên dương đến 10^15", e.path + ".amount_vnd");
  if (kind == "in_kind") {
    if (!in_range(qty, true)) return fail(ErrorKind::invalid, "số lượng phải dương", e.path + ".quantity_milli");
    if (!in_range(value, false)) return fail(ErrorKind::invalid, "giá trị không hợp lệ", e.path + ".value_vnd");
    CHIDOAN_TRY(item, e.str("item", true));
    CHIDOAN_TRY(unit, e.str("unit", true));
    if (item.empty() || unit.empty()) return fail(ErrorKind::invalid, "hiện vật cần tên và đơn vị tính", e.path + ".item");
  }
  CHIDOAN_TRY(ck, e.str("contributor_kind", true));
  if (ck != "member" && ck != "unit" && ck != "agency" && ck != "person" && ck != "anonymous")
    return fail(ErrorKind::invalid, "người đóng góp không hợp lệ: " + ck, e.path + ".contributor_kind");
  CHIDOAN_TRY(member, e.str("member", false));
  if (!member.empty() && !known.member_refs.contains(member)) return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + member, e.path + ".member");
  if (ck == "member" && member.empty()) return fail(ErrorKind::invalid, "thiếu đoàn viên", e.path + ".member");
  CHIDOAN_TRY(unit_org, e.str("unit_org", false));
  if (!unit_org.empty()) CHIDOAN_TRY_VOID(known_org(conn, known, unit_org, e.path + ".unit_org"));
  CHIDOAN_TRY(collector, e.str("collected_by", true));
  CHIDOAN_TRY_VOID(known_org(conn, known, collector, e.path + ".collected_by"));
  CHIDOAN_TRY_VOID(e.date("on_date", true));
  CHIDOAN_TRY(method, e.str("method", true));
  if (method != "cash" && method != "transfer" && method != "in_kind") return fail(ErrorKind::invalid, "hình thức không hợp lệ", e.path + ".method");
  CHIDOAN_TRY(round, e.opt_integer("round_no"));
  if (round && !rounds.contains(*round)) return fail(ErrorKind::invalid, "đợt không tồn tại", e.path + ".round_no");
  CHIDOAN_TRY(receipt, e.opt_integer("receipt_no"));
  if (receipt && (*receipt < 1 || !receipts.insert(*receipt).second))
    return fail(ErrorKind::invalid, "số biên nhận bị lặp hoặc không hợp lệ", e.path + ".receipt_no");
  for (const char* k : {"item", "unit", "unit_name", "contributor_name", "note", "recorded_by"}) CHIDOAN_TRY_VOID(e.str(k, false));
  CHIDOAN_TRY_VOID(e.opt_integer("recorded_at"));
  return {};
}

// A checked bundle's values: a missing or null text is "", a missing number 0, a missing kind money.
std::string s(const json& j, const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); }
int64_t i(const json& j, const char* k) { return j.contains(k) && j[k].is_number_integer() ? j[k].get<int64_t>() : 0; }
std::string outflow_kind(const json& o) { return s(o, "kind").empty() ? "money" : s(o, "kind"); }

// An outflow of the bundle; a reversing one (`reverses`: the 1-based position of an earlier
// outflow, neither a reversal nor reversed already) is the same kind, item and unit as the one it
// reverses, with the opposite amounts, dated no earlier.
Result<void> validate_outflow(const JsonReader& o, const std::set<int64_t>& rounds, const std::vector<const json*>& before,
                              std::set<int64_t>& reversed) {
  CHIDOAN_TRY_VOID(o.only({"round_no", "on_date", "description", "recipients", "recipients_consented", "kind", "amount_vnd", "item",
                           "quantity_milli", "unit", "value_vnd", "reverses", "recorded_by"}));
  CHIDOAN_TRY(on_date, o.date("on_date", true));
  CHIDOAN_TRY(desc, o.str("description", true));
  CHIDOAN_TRY(rec, o.str("recipients", true));
  if (desc.empty()) return fail(ErrorKind::invalid, "cần nội dung hỗ trợ", o.path + ".description");
  if (rec.empty()) return fail(ErrorKind::invalid, "cần đối tượng nhận", o.path + ".recipients");
  CHIDOAN_TRY_VOID(o.boolean("recipients_consented"));
  for (const char* k : {"kind", "item", "unit", "recorded_by"}) CHIDOAN_TRY_VOID(o.str(k, false));
  CHIDOAN_TRY(round, o.opt_integer("round_no"));
  if (round && !rounds.contains(*round)) return fail(ErrorKind::invalid, "đợt không tồn tại", o.path + ".round_no");
  const std::string kind = outflow_kind(o.j);
  if (kind != "money" && kind != "in_kind") return fail(ErrorKind::invalid, "loại không hợp lệ: " + kind, o.path + ".kind");
  if (kind == "in_kind" && (s(o.j, "item").empty() || s(o.j, "unit").empty()))
    return fail(ErrorKind::invalid, "hiện vật cần tên và đơn vị tính", o.path + ".item");
  CHIDOAN_TRY(reverses, o.opt_integer("reverses"));
  const json* original = nullptr;
  if (reverses) {
    if (*reverses < 1 || static_cast<size_t>(*reverses) > before.size())
      return fail(ErrorKind::invalid, "khoản chi được đảo phải đứng trước", o.path + ".reverses");
    original = before[static_cast<size_t>(*reverses - 1)];
    if (original->contains("reverses") && !(*original)["reverses"].is_null())
      return fail(ErrorKind::invalid, "không đảo một khoản chi điều chỉnh", o.path + ".reverses");
    if (!reversed.insert(*reverses).second) return fail(ErrorKind::invalid, "khoản chi đã được đảo", o.path + ".reverses");
    if (on_date < s(*original, "on_date")) return fail(ErrorKind::invalid, "ngày điều chỉnh trước ngày của khoản chi", o.path + ".on_date");
    if (kind != outflow_kind(*original) || s(o.j, "item") != s(*original, "item") || s(o.j, "unit") != s(*original, "unit"))
      return fail(ErrorKind::invalid, "khoản điều chỉnh phải cùng loại, hiện vật và đơn vị với khoản chi được đảo", o.path + ".kind");
  }
  for (const char* k : {"amount_vnd", "quantity_milli", "value_vnd"}) {
    CHIDOAN_TRY(v, o.opt_integer(k));
    if (v && (*v < -rules::kMaxVnd || *v > rules::kMaxVnd)) return fail(ErrorKind::invalid, "vượt quá 10^15", o.path + "." + k);
  }
  const int64_t sign = reverses ? -1 : 1;
  const int64_t amount = i(o.j, "amount_vnd") * sign, quantity = i(o.j, "quantity_milli") * sign, value = i(o.j, "value_vnd") * sign;
  if (kind == "money" && (amount <= 0 || amount > rules::kMaxVnd))
    return fail(ErrorKind::invalid, "số tiền phải là số nguyên dương đến 10^15", o.path + ".amount_vnd");
  if (kind == "in_kind" && (quantity <= 0 || quantity > rules::kMaxVnd)) return fail(ErrorKind::invalid, "số lượng phải dương", o.path + ".quantity_milli");
  if (kind == "in_kind" && (value < 0 || value > rules::kMaxVnd)) return fail(ErrorKind::invalid, "giá trị không hợp lệ", o.path + ".value_vnd");
  if (original)
    for (const char* k : {"amount_vnd", "quantity_milli", "value_vnd"})
      if (i(o.j, k) != -i(*original, k))
        return fail(ErrorKind::invalid, "khoản điều chỉnh phải có số ngược với khoản chi được đảo", o.path + "." + k);
  return {};
}

Result<void> validate(db::Connection& conn, const json& section, const Known& known) {
  JsonReader top{"$.fund", section};
  CHIDOAN_TRY_VOID(top.only({"campaigns"}));
  CHIDOAN_TRY(campaigns, top.array("campaigns"));
  for (size_t i = 0; i < campaigns->size(); ++i) {
    JsonReader c = top.element("campaigns", i);
    CHIDOAN_TRY_VOID(c.only({"org", "name", "purpose", "starts_on", "ends_on", "status", "goal_vnd", "goal_items", "rounds",
                             "contributions", "outflows"}));
    CHIDOAN_TRY(org, c.str("org", true));
    CHIDOAN_TRY_VOID(known_org(conn, known, org, c.path + ".org"));
    CHIDOAN_TRY(name, c.str("name", true));
    if (name.empty()) return fail(ErrorKind::invalid, "tên chiến dịch trống", c.path + ".name");
    CHIDOAN_TRY_VOID(c.date("starts_on", true));
    CHIDOAN_TRY_VOID(c.date("ends_on", false));
    CHIDOAN_TRY(status, c.str("status", false));
    if (!status.empty() && status != "open" && status != "closed") return fail(ErrorKind::invalid, "trạng thái không hợp lệ", c.path + ".status");
    CHIDOAN_TRY_VOID(c.opt_integer("goal_vnd"));
    std::set<int64_t> rounds;
    CHIDOAN_TRY(rs, c.array("rounds"));
    for (size_t k = 0; k < rs->size(); ++k) {
      JsonReader r = c.element("rounds", k);
      CHIDOAN_TRY_VOID(r.only({"no", "name", "starts_on", "ends_on"}));
      CHIDOAN_TRY(no, r.integer("no"));
      if (!rounds.insert(no).second) return fail(ErrorKind::invalid, "đợt bị lặp", r.path + ".no");
      CHIDOAN_TRY_VOID(r.date("starts_on", true));
    }
    CHIDOAN_TRY(entries, c.array("contributions"));
    std::set<int64_t> receipts;
    for (size_t k = 0; k < entries->size(); ++k)
      CHIDOAN_TRY_VOID(validate_entry(conn, known, c.element("contributions", k), k, receipts, rounds));
    // Receipts are numbered without gaps.
    int64_t expected = 1;
    for (int64_t no : receipts)
      if (no != expected++) return fail(ErrorKind::invalid, "số biên nhận phải liên tục từ 1", c.path + ".contributions");
    CHIDOAN_TRY(outflows, c.array("outflows"));
    std::vector<const json*> seen;  // the outflows before this one, for `reverses`
    std::set<int64_t> reversed;
    for (size_t k = 0; k < outflows->size(); ++k) {
      JsonReader o = c.element("outflows", k);
      CHIDOAN_TRY_VOID(validate_outflow(o, rounds, seen, reversed));
      seen.push_back(&(*outflows)[k]);
    }
  }
  return {};
}

Result<int64_t> org_id(db::Connection& conn, const Refs& refs, const std::string& code) {
  if (auto it = refs.orgs.find(code); it != refs.orgs.end()) return it->second;
  CHIDOAN_TRY(r, conn.query_one("SELECT id FROM orgs WHERE code = ?1", {code}));
  if (!r) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, "$.fund");
  return r->i64(0);
}

db::Value text_or_null(const json& j, const char* k) {
  return j.contains(k) && j[k].is_string() && !j[k].get<std::string>().empty() ? db::Value(j[k].get<std::string>()) : db::Value(nullptr);
}
db::Value int_or_null(const json& j, const char* k) {
  return j.contains(k) && j[k].is_number_integer() ? db::Value(j[k].get<int64_t>()) : db::Value(nullptr);
}

Result<void> load(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  Store store(conn, clock);
  for (const auto& c : section.value("campaigns", json::array())) {
    CHIDOAN_TRY(org, org_id(conn, refs, c["org"].get<std::string>()));
    CHIDOAN_TRY(id, conn.insert_id("INSERT INTO campaigns (org_id, name, purpose, starts_on, ends_on, status, goal_vnd, goal_items, created_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                                   {org, s(c, "name"), s(c, "purpose"), s(c, "starts_on"), text_or_null(c, "ends_on"),
                                    s(c, "status").empty() ? "open" : s(c, "status"), int_or_null(c, "goal_vnd"), s(c, "goal_items"),
                                    clock.unix_seconds()}));
    for (const auto& r : c.value("rounds", json::array()))
      CHIDOAN_TRY_VOID(conn.execute("INSERT INTO campaign_rounds (campaign_id, no, name, starts_on, ends_on) VALUES (?1, ?2, ?3, ?4, ?5)",
                                    {id, i(r, "no"), s(r, "name"), s(r, "starts_on"), text_or_null(r, "ends_on")}));
    std::vector<int64_t> ids;
    int64_t last_receipt = 0;
    for (const auto& e : c.value("contributions", json::array())) {
      db::Value member = nullptr, unit = nullptr;
      if (!s(e, "member").empty()) member = refs.members.at(s(e, "member"));
      if (!s(e, "unit_org").empty()) {
        CHIDOAN_TRY(uo, org_id(conn, refs, s(e, "unit_org")));
        CHIDOAN_TRY(u, conn.query_one("SELECT id FROM units WHERE org_id = ?1 AND name = ?2", {uo, s(e, "unit_name")}));
        if (!u) return fail(ErrorKind::invalid, "đơn vị không tồn tại: " + s(e, "unit_name"), "$.fund");
        unit = u->i64(0);
      }
      CHIDOAN_TRY(collector, org_id(conn, refs, s(e, "collected_by")));
      db::Value reverses = nullptr;
      if (e.contains("reverses") && e["reverses"].is_number_integer()) reverses = ids.at(static_cast<size_t>(e["reverses"].get<int64_t>() - 1));
      CHIDOAN_TRY(cid, conn.insert_id(
                           "INSERT INTO contributions (campaign_id, round_no, kind, amount_vnd, item, quantity_milli, unit, value_vnd, "
                           "contributor_kind, member_id, unit_id, contributor_name, collected_by, on_date, method, note, reverses_id, "
                           "receipt_no, receipted_at, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                           "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) RETURNING id",
                           {id, int_or_null(e, "round_no"), s(e, "kind"), i(e, "amount_vnd"), s(e, "item"), i(e, "quantity_milli"),
                            s(e, "unit"), i(e, "value_vnd"), s(e, "contributor_kind"), member, unit, s(e, "contributor_name"), collector,
                            s(e, "on_date"), s(e, "method"), s(e, "note"), reverses, int_or_null(e, "receipt_no"),
                            e.contains("receipt_no") && e["receipt_no"].is_number_integer() ? db::Value(i(e, "recorded_at")) : db::Value(nullptr),
                            s(e, "recorded_by"), i(e, "recorded_at")}));
      ids.push_back(cid);
      last_receipt = std::max(last_receipt, i(e, "receipt_no"));
      Contribution line;
      line.campaign_id = id;
      if (e.contains("round_no") && e["round_no"].is_number_integer()) line.round_no = e["round_no"].get<int64_t>();
      line.kind = s(e, "kind");
      line.amount_vnd = i(e, "amount_vnd");
      line.item = s(e, "item");
      line.quantity_milli = i(e, "quantity_milli");
      line.unit = s(e, "unit");
      line.value_vnd = i(e, "value_vnd");
      line.contributor_kind = s(e, "contributor_kind");
      if (std::holds_alternative<int64_t>(unit)) line.unit_id = std::get<int64_t>(unit);
      line.collected_by = collector;
      CHIDOAN_TRY_VOID(store.add_to_sums(line));
    }
    CHIDOAN_TRY_VOID(conn.execute("UPDATE campaigns SET last_receipt = ?1 WHERE id = ?2", {last_receipt, id}));
    std::vector<int64_t> outflow_ids;
    for (const auto& o : c.value("outflows", json::array())) {
      db::Value reverses = nullptr;
      if (o.contains("reverses") && o["reverses"].is_number_integer()) reverses = outflow_ids.at(static_cast<size_t>(o["reverses"].get<int64_t>() - 1));
      CHIDOAN_TRY(oid, conn.insert_id(
          "INSERT INTO outflows (campaign_id, round_no, on_date, description, recipients, recipients_consented, kind, amount_vnd, item, "
          "quantity_milli, unit, value_vnd, reverses_id, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
          "?12, ?13, ?14, ?15) RETURNING id",
          {id, int_or_null(o, "round_no"), s(o, "on_date"), s(o, "description"), s(o, "recipients"),
           static_cast<int64_t>(o.value("recipients_consented", false)), outflow_kind(o), i(o, "amount_vnd"), s(o, "item"),
           i(o, "quantity_milli"), s(o, "unit"), i(o, "value_vnd"), reverses, s(o, "recorded_by"), clock.unix_seconds()}));
      outflow_ids.push_back(oid);
    }
  }
  return {};
}

json opt_str(const std::string& v) { return v.empty() ? json(nullptr) : json(v); }

Result<json> dump(db::Connection& conn, const Clock& clock, const DumpScope& scope) {
  Store store(conn, clock);
  CHIDOAN_TRY(rows, conn.query("SELECT c.id FROM campaigns c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ?1 ORDER BY c.starts_on, c.id",
                               {scope.root_path + "%"}));
  if (rows.empty()) return json(nullptr);
  CHIDOAN_TRY(unit_rows, conn.query("SELECT id, org_id, name FROM units"));
  std::map<int64_t, std::pair<int64_t, std::string>> units;
  for (const auto& u : unit_rows) units[u.i64(0)] = {u.i64(1), u.str(2)};
  json campaigns = json::array();
  for (const auto& row : rows) {
    CHIDOAN_TRY(c, store.campaign(row.i64(0)));
    json jc{{"org", scope.org_codes.at(c.org_id)}, {"name", c.name}, {"purpose", c.purpose}, {"starts_on", c.starts_on},
            {"ends_on", opt_str(c.ends_on)}, {"status", c.status}, {"goal_vnd", c.goal_vnd ? json(*c.goal_vnd) : json(nullptr)},
            {"goal_items", c.goal_items}, {"rounds", json::array()}, {"contributions", json::array()}, {"outflows", json::array()}};
    for (const auto& r : c.rounds) jc["rounds"].push_back({{"no", r.no}, {"name", r.name}, {"starts_on", r.starts_on}, {"ends_on", opt_str(r.ends_on)}});
    CHIDOAN_TRY(size, store.ledger_size(c.id));
    CHIDOAN_TRY(entries, store.ledger(c.id, size + 1, 0));
    std::map<int64_t, size_t> position;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
      const auto& e = *it;
      position[e.id] = position.size() + 1;
      json je{{"round_no", e.round_no ? json(*e.round_no) : json(nullptr)}, {"kind", e.kind}, {"amount_vnd", e.amount_vnd},
              {"item", e.item}, {"quantity_milli", e.quantity_milli}, {"unit", e.unit}, {"value_vnd", e.value_vnd},
              {"contributor_kind", e.contributor_kind}, {"contributor_name", e.contributor_name},
              {"collected_by", scope.org_codes.at(e.collected_by)}, {"on_date", e.on_date}, {"method", e.method}, {"note", e.note},
              {"reverses", e.reverses_id ? json(position.at(*e.reverses_id)) : json(nullptr)},
              {"receipt_no", e.receipt_no ? json(*e.receipt_no) : json(nullptr)}, {"recorded_by", e.recorded_by}, {"recorded_at", e.recorded_at}};
      auto ref = e.member_id ? scope.member_refs.find(*e.member_id) : scope.member_refs.end();
      je["member"] = ref == scope.member_refs.end() ? json(nullptr) : json(ref->second);
      if (e.unit_id && units.contains(*e.unit_id)) {
        je["unit_org"] = scope.org_codes.at(units[*e.unit_id].first);
        je["unit_name"] = units[*e.unit_id].second;
      } else {
        je["unit_org"] = nullptr;
        je["unit_name"] = nullptr;
      }
      jc["contributions"].push_back(std::move(je));
    }
    CHIDOAN_TRY(outflows, store.outflows(c.id));
    std::map<int64_t, size_t> outflow_position;  // a reversal comes after what it reverses (date, then id)
    for (const auto& o : outflows) {
      outflow_position[o.id] = outflow_position.size() + 1;
      jc["outflows"].push_back({{"round_no", o.round_no ? json(*o.round_no) : json(nullptr)}, {"on_date", o.on_date},
                                {"description", o.description}, {"recipients", o.recipients},
                                {"recipients_consented", o.recipients_consented}, {"kind", o.kind}, {"amount_vnd", o.amount_vnd},
                                {"item", o.item}, {"quantity_milli", o.quantity_milli}, {"unit", o.unit}, {"value_vnd", o.value_vnd},
                                {"reverses", o.reverses_id ? json(outflow_position.at(*o.reverses_id)) : json(nullptr)},
                                {"recorded_by", o.recorded_by}});
    }
    campaigns.push_back(std::move(jc));
  }
  return json{{"campaigns", campaigns}};
}

}  // namespace

chidoan::bundle::Section bundle_section() { return {"fund", validate, load, dump}; }

}  // namespace chidoan::fund
