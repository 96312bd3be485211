#include "fund/produce_bundle.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "fund/produce_rules.hpp"
#include "fund/produce_store.hpp"
#include "org/store.hpp"
#include "platform/core/json_reader.hpp"

namespace chidoan::fund {
namespace {

using nlohmann::json;
using namespace produce;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

// An error of the rules or the store, moved under the entry's JSON path.
Error at_path(Error e, const std::string& path) {
  e.field = path + (e.field.empty() ? "" : "." + e.field);
  return e;
}

// A JSON value as the rules' raw string: strings as they are, integers in decimal, booleans 1/0.
Result<RawFields> raw_of(const JsonReader& r, std::initializer_list<const char*> strings, std::initializer_list<const char*> integers,
                         std::initializer_list<const char*> booleans = {}) {
  RawFields raw;
  for (const char* k : strings) {
    CHIDOAN_TRY(s, r.str(k, false));
    raw[k] = s;
  }
  for (const char* k : integers) {
    CHIDOAN_TRY(v, r.opt_integer(k));
    if (v) raw[k] = std::to_string(*v);
  }
  for (const char* k : booleans) {
    if (!r.j.contains(k)) continue;
    CHIDOAN_TRY(b, r.boolean(k));
    raw[k] = b ? "1" : "0";
  }
  return raw;
}

Result<bool> org_exists(db::Connection& conn, const Known& known, const std::string& code) {
  if (known.org_codes.contains(code)) return true;
  CHIDOAN_TRY(row, conn.query_one("SELECT id FROM orgs WHERE code = ?1", {code}));
  return row.has_value();
}

Result<org::Org> org_of(db::Connection& conn, const Clock& clock, const Refs& refs, const std::string& code, const std::string& path) {
  org::Store orgs(conn, clock);
  if (auto it = refs.orgs.find(code); it != refs.orgs.end()) return orgs.org(it->second);
  CHIDOAN_TRY(o, orgs.org_by_code(code));
  if (!o) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, path);
  return *o;
}

// What validate_produce() learns of a supplier and its products, for the cycles that follow.
struct SupplierInfo {
  std::string org;
  std::map<std::string, ProductInput> products;  // name -> product
};

Result<void> validate_produce(db::Connection& conn, const json& section, const Known& known) {
  JsonReader root{"$.produce", section};
  CHIDOAN_TRY_VOID(root.only({"suppliers", "cycles"}));
  std::map<std::string, SupplierInfo> suppliers;
  CHIDOAN_TRY(slist, root.array("suppliers"));
  for (size_t i = 0; i < slist->size(); ++i) {
    JsonReader s = root.element("suppliers", i);
    CHIDOAN_TRY_VOID(s.only({"ref", "org", "name", "kind", "place", "contact", "note", "active", "products"}));
    CHIDOAN_TRY(ref, s.str("ref", true));
    if (suppliers.contains(ref)) return fail(ErrorKind::invalid, "ref bị lặp: " + ref, s.path + ".ref");
    CHIDOAN_TRY(code, s.str("org", true));
    CHIDOAN_TRY(ok, org_exists(conn, known, code));
    if (!ok) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, s.path + ".org");
    CHIDOAN_TRY(raw, raw_of(s, {"name", "kind", "place", "contact", "note"}, {}, {"active"}));
    auto in = parse_supplier(raw);
    if (!in) return std::unexpected(at_path(in.error(), s.path));
    SupplierInfo info{code, {}};
    CHIDOAN_TRY(plist, s.array("products"));
    for (size_t k = 0; k < plist->size(); ++k) {
      JsonReader p = s.element("products", k);
      CHIDOAN_TRY_VOID(p.only({"name", "unit", "price_vnd", "case_size", "step", "active"}));
      CHIDOAN_TRY(praw, raw_of(p, {"name", "unit"}, {"price_vnd", "case_size", "step"}, {"active"}));
      auto pin = parse_product(praw);
      if (!pin) return std::unexpected(at_path(pin.error(), p.path));
      if (!info.products.emplace(pin->name, *pin).second) return fail(ErrorKind::invalid, "mặt hàng bị lặp: " + pin->name, p.path + ".name");
    }
    suppliers[ref] = std::move(info);
  }
  CHIDOAN_TRY(clist, root.array("cycles"));
  for (size_t i = 0; i < clist->size(); ++i) {
    JsonReader c = root.element("cycles", i);
    CHIDOAN_TRY_VOID(c.only({"org", "supplier", "title", "opens_at", "closes_at", "pickup_on", "pickup_place", "status", "closed_at", "products", "orders"}));
    CHIDOAN_TRY(code, c.str("org", true));
    CHIDOAN_TRY(ok, org_exists(conn, known, code));
    if (!ok) return fail(ErrorKind::invalid, "tổ chức không tồn tại: " + code, c.path + ".org");
    CHIDOAN_TRY(sref, c.str("supplier", true));
    auto sit = suppliers.find(sref);
    if (sit == suppliers.end()) return fail(ErrorKind::invalid, "nhà cung cấp không có trong bundle: " + sref, c.path + ".supplier");
    CHIDOAN_TRY(raw, raw_of(c, {"title", "opens_at", "closes_at", "pickup_on", "pickup_place"}, {}));
    raw["supplier_id"] = "1";
    auto in = parse_cycle(raw);
    if (!in) return std::unexpected(at_path(in.error(), c.path));
    CHIDOAN_TRY(status_s, c.str("status", true));
    auto status = parse_status(status_s);
    if (!status) return fail(ErrorKind::invalid, "trạng thái: open, closed hoặc picked_up", c.path + ".status");
    CHIDOAN_TRY(closed_at, c.opt_integer("closed_at"));
    if ((*status == CycleStatus::open) != !closed_at)
      return fail(ErrorKind::invalid, "closed_at có khi và chỉ khi đợt đã khóa sổ", c.path + ".closed_at");
    // The offer.
    Cycle cy;
    cy.opens_at = in->opens_at;
    cy.closes_at = in->closes_at;
    CHIDOAN_TRY(plist, c.array("products"));
    if (plist->empty()) return fail(ErrorKind::invalid, "đợt phải có ít nhất một mặt hàng", c.path + ".products");
    for (size_t k = 0; k < plist->size(); ++k) {
      JsonReader p = c.element("products", k);
      CHIDOAN_TRY_VOID(p.only({"product", "price_vnd", "case_size", "step"}));
      CHIDOAN_TRY(name, p.str("product", true));
      if (!sit->second.products.contains(name)) return fail(ErrorKind::invalid, "nhà cung cấp không có mặt hàng: " + name, p.path + ".product");
      CHIDOAN_TRY(praw, raw_of(p, {}, {"price_vnd", "case_size", "step"}));
      praw["name"] = name;
      praw["unit"] = sit->second.products[name].unit;
      auto pin = parse_product(praw);
      if (!pin) return std::unexpected(at_path(pin.error(), p.path));
      for (const auto& x : cy.products)
        if (x.name == name) return fail(ErrorKind::invalid, "mặt hàng bị lặp: " + name, p.path + ".product");
      cy.products.push_back(CycleProduct{static_cast<int64_t>(k + 1), name, pin->unit, pin->price_vnd, pin->case_size, pin->step, {}, {}});
    }
    std::set<std::string> members;
    CHIDOAN_TRY(olist, c.array("orders"));
    for (size_t k = 0; k < olist->size(); ++k) {
      JsonReader o = c.element("orders", k);
      CHIDOAN_TRY_VOID(o.only({"member", "created_at", "updated_at", "picked_up", "paid", "items"}));
      CHIDOAN_TRY(m, o.str("member", true));
      if (!known.member_refs.contains(m)) return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + m, o.path + ".member");
      if (!members.insert(m).second) return fail(ErrorKind::invalid, "đoàn viên có hai đơn trong đợt: " + m, o.path + ".member");
      CHIDOAN_TRY(created, o.integer("created_at"));
      CHIDOAN_TRY(updated, o.integer("updated_at"));
      if (updated < created) return fail(ErrorKind::invalid, "updated_at trước created_at", o.path + ".updated_at");
      if (auto w = check_window(cy, local_time(created)); !w) return std::unexpected(at_path(w.error(), o.path + ".created_at"));
      CHIDOAN_TRY(picked, o.boolean("picked_up"));
      CHIDOAN_TRY(paid, o.boolean("paid"));
      if ((picked || paid) && *status == CycleStatus::open)
        return fail(ErrorKind::invalid, "đợt chưa khóa sổ: chưa nhận hàng hay trả tiền được", o.path + (picked ? ".picked_up" : ".paid"));
      CHIDOAN_TRY(ilist, o.array("items"));
      if (ilist->empty()) return fail(ErrorKind::invalid, "đơn phải có ít nhất một mặt hàng", o.path + ".items");
      std::vector<LineInput> lines;
      for (size_t n = 0; n < ilist->size(); ++n) {
        JsonReader it = o.element("items", n);
        CHIDOAN_TRY_VOID(it.only({"product", "quantity", "tolerance", "ordered_at", "allocated"}));
        CHIDOAN_TRY(name, it.str("product", true));
        auto p = std::find_if(cy.products.begin(), cy.products.end(), [&](const CycleProduct& x) { return x.name == name; });
        if (p == cy.products.end()) return fail(ErrorKind::invalid, "đợt không có mặt hàng: " + name, it.path + ".product");
        CHIDOAN_TRY(q, it.integer("quantity"));
        CHIDOAN_TRY(tol, it.opt_integer("tolerance"));
        lines.push_back(LineInput{p->product_id, q, tol.value_or(0)});
        CHIDOAN_TRY(at, it.integer("ordered_at"));
        if (at < created) return fail(ErrorKind::invalid, "ordered_at trước created_at", it.path + ".ordered_at");
        if (auto w = check_window(cy, local_time(at)); !w) return std::unexpected(at_path(w.error(), it.path + ".ordered_at"));
        CHIDOAN_TRY(alloc, it.opt_integer("allocated"));
        if (alloc && *status == CycleStatus::open) return fail(ErrorKind::invalid, "đợt chưa khóa sổ: chưa có số được nhận", it.path + ".allocated");
        if (!alloc && *status != CycleStatus::open) return fail(ErrorKind::invalid, "thiếu trường bắt buộc", it.path + ".allocated");
      }
      auto checked = check_order(cy, lines);
      if (!checked) {
        // items[n].x of the rules is the same index in the file.
        return std::unexpected(at_path(checked.error(), o.path));
      }
    }
  }
  return {};
}

Result<void> load_produce(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  ProduceStore store(conn, clock);
  std::map<std::string, int64_t> supplier_ids;
  std::map<std::string, std::map<std::string, int64_t>> product_ids;  // supplier ref -> name -> id
  JsonReader root{"$.produce", section};
  CHIDOAN_TRY(slist, root.array("suppliers"));
  for (size_t i = 0; i < slist->size(); ++i) {
    JsonReader s = root.element("suppliers", i);
    CHIDOAN_TRY(o, org_of(conn, clock, refs, s.j["org"].get<std::string>(), s.path + ".org"));
    CHIDOAN_TRY(raw, raw_of(s, {"name", "kind", "place", "contact", "note"}, {}, {"active"}));
    auto in = parse_supplier(raw);
    if (!in) return std::unexpected(at_path(in.error(), s.path));
    auto id = store.add_supplier(o.id, *in);
    if (!id) return std::unexpected(at_path(id.error(), s.path));
    std::string ref = s.j["ref"].get<std::string>();
    supplier_ids[ref] = *id;
    CHIDOAN_TRY(plist, s.array("products"));
    for (size_t k = 0; k < plist->size(); ++k) {
      JsonReader p = s.element("products", k);
      CHIDOAN_TRY(praw, raw_of(p, {"name", "unit"}, {"price_vnd", "case_size", "step"}, {"active"}));
      auto pin = parse_product(praw);
      if (!pin) return std::unexpected(at_path(pin.error(), p.path));
      auto pid = store.add_product(*id, *pin);
      if (!pid) return std::unexpected(at_path(pid.error(), p.path));
      product_ids[ref][pin->name] = *pid;
    }
  }
  CHIDOAN_TRY(clist, root.array("cycles"));
  for (size_t i = 0; i < clist->size(); ++i) {
    JsonReader c = root.element("cycles", i);
    CHIDOAN_TRY(o, org_of(conn, clock, refs, c.j["org"].get<std::string>(), c.path + ".org"));
    std::string sref = c.j["supplier"].get<std::string>();
    CHIDOAN_TRY(raw, raw_of(c, {"title", "opens_at", "closes_at", "pickup_on", "pickup_place"}, {}));
    raw["supplier_id"] = std::to_string(supplier_ids.at(sref));
    auto in = parse_cycle(raw);
    if (!in) return std::unexpected(at_path(in.error(), c.path));
    std::vector<CycleProduct> offer;
    std::map<std::string, int64_t> ids;
    for (const auto& p : c.j["products"]) {
      std::string name = p["product"].get<std::string>();
      int64_t pid = product_ids[sref].at(name);
      ids[name] = pid;
      offer.push_back(CycleProduct{pid, name, "", p["price_vnd"].get<int64_t>(), p.value("case_size", int64_t{1}), p.value("step", int64_t{1}), {}, {}});
    }
    auto cid = store.create_cycle(o, *in, &offer);
    if (!cid) return std::unexpected(at_path(cid.error(), c.path));
    CHIDOAN_TRY(olist, c.array("orders"));
    for (size_t k = 0; k < olist->size(); ++k) {
      JsonReader ord = c.element("orders", k);
      int64_t member = refs.members.at(ord.j["member"].get<std::string>());
      std::vector<LineInput> lines;
      std::map<int64_t, int64_t> times;
      for (const auto& it : ord.j["items"]) {
        int64_t pid = ids.at(it["product"].get<std::string>());
        lines.push_back(LineInput{pid, it["quantity"].get<int64_t>(), it.value("tolerance", int64_t{0})});
        times[pid] = it["ordered_at"].get<int64_t>();
      }
      auto placed = store.place_order(*cid, member, lines, ord.j["created_at"].get<int64_t>());
      if (!placed) return std::unexpected(at_path(placed.error(), ord.path));
      CHIDOAN_TRY_VOID(store.restore_times(*cid, member, times, ord.j["updated_at"].get<int64_t>()));
    }
    std::string status = c.j["status"].get<std::string>();
    if (status == "open") continue;
    auto closed = store.close_cycle(*cid, c.j["closed_at"].get<int64_t>());
    if (!closed) return std::unexpected(at_path(closed.error(), c.path));
    // The allocations of the file must be those of the rounding (the bill cannot be edited).
    std::map<std::pair<int64_t, int64_t>, int64_t> got;  // (member, product) -> allocated
    for (const auto& pt : closed->products)
      for (const auto& a : pt.rounded.allocations) got[{a.member_id, pt.product.product_id}] = a.allocated;
    for (size_t k = 0; k < olist->size(); ++k) {
      JsonReader ord = c.element("orders", k);
      int64_t member = refs.members.at(ord.j["member"].get<std::string>());
      for (size_t n = 0; n < ord.j["items"].size(); ++n) {
        const json& it = ord.j["items"][n];
        int64_t want = it["allocated"].get<int64_t>(), have = got[{member, ids.at(it["product"].get<std::string>())}];
        if (want != have)
          return fail(ErrorKind::invalid, "số được nhận không khớp với làm tròn theo thùng (tính được " + std::to_string(have) + ")",
                      ord.path + ".items[" + std::to_string(n) + "].allocated");
      }
      bool picked = ord.j.value("picked_up", false), paid = ord.j.value("paid", false);
      if (picked || paid) {
        auto m = store.mark(*cid, member, picked, paid);
        if (!m) return std::unexpected(at_path(m.error(), ord.path));
      }
    }
    if (status == "picked_up") CHIDOAN_TRY_VOID(store.finish_cycle(*cid));
  }
  return {};
}

Result<json> dump_produce(db::Connection& conn, const Clock& clock, const DumpScope& scope) {
  ProduceStore store(conn, clock);
  auto code = [&](int64_t id) {
    auto it = scope.org_codes.find(id);
    return it == scope.org_codes.end() ? std::string() : it->second;
  };
  CHIDOAN_TRY(suppliers, store.suppliers_under(scope.root_path));
  CHIDOAN_TRY(cycles, store.cycles_under(scope.root_path));
  json out{{"suppliers", json::array()}, {"cycles", json::array()}};
  std::map<int64_t, std::string> refs;
  for (const auto& s : suppliers) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "S%03zu", refs.size() + 1);
    refs[s.id] = buf;
    CHIDOAN_TRY(ps, store.products(s.id));
    std::sort(ps.begin(), ps.end(), [](const Product& a, const Product& b) { return a.id < b.id; });
    json products = json::array();
    for (const auto& p : ps)
      products.push_back({{"name", p.name}, {"unit", p.unit}, {"price_vnd", p.price_vnd}, {"case_size", p.case_size}, {"step", p.step}, {"active", p.active}});
    out["suppliers"].push_back({{"ref", buf}, {"org", code(s.org_id)}, {"name", s.name}, {"kind", s.kind}, {"place", s.place},
                                {"contact", s.contact}, {"note", s.note}, {"active", s.active}, {"products", products}});
  }
  for (const auto& c : cycles) {
    // A cycle of a supplier kept above the subtree cannot be loaded without it: left out.
    if (!refs.contains(c.supplier_id)) continue;
    json products = json::array();
    std::map<int64_t, std::string> names;
    for (const auto& p : c.products) {
      names[p.product_id] = p.name;
      products.push_back({{"product", p.name}, {"price_vnd", p.price_vnd}, {"case_size", p.case_size}, {"step", p.step}});
    }
    CHIDOAN_TRY(os, store.orders(c.id));
    std::sort(os.begin(), os.end(), [](const Order& a, const Order& b) { return a.id < b.id; });
    json orders = json::array();
    for (const auto& o : os) {
      auto m = scope.member_refs.find(o.member_id);
      if (m == scope.member_refs.end()) continue;
      json items = json::array();
      for (const auto& l : o.lines) {
        json it{{"product", names[l.product_id]}, {"quantity", l.quantity}, {"tolerance", l.tolerance}, {"ordered_at", l.ordered_at}};
        if (l.allocated) it["allocated"] = *l.allocated;
        items.push_back(it);
      }
      orders.push_back({{"member", m->second}, {"created_at", o.created_at}, {"updated_at", o.updated_at}, {"picked_up", o.picked_up},
                        {"paid", o.paid}, {"items", items}});
    }
    json j{{"org", code(c.org_id)},       {"supplier", refs[c.supplier_id]}, {"title", c.title},       {"opens_at", c.opens_at},
           {"closes_at", c.closes_at},    {"pickup_on", c.pickup_on},        {"pickup_place", c.pickup_place},
           {"status", std::string(status_name(c.status))}, {"products", products}, {"orders", orders}};
    if (c.closed_at) j["closed_at"] = *c.closed_at;
    out["cycles"].push_back(j);
  }
  if (out["suppliers"].empty() && out["cycles"].empty()) return json(nullptr);  // nothing: no "produce" key
  return out;
}

}  // namespace

chidoan::bundle::Section produce_bundle_section() { return chidoan::bundle::Section{"produce", validate_produce, load_produce, dump_produce}; }

}  // namespace chidoan::fund
