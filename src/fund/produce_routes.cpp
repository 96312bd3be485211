#include "fund/produce_routes.hpp"

#include <algorithm>
#include <cstdint>

#include "fund/produce_rules.hpp"
#include "fund/produce_store.hpp"
#include "fund/produce_views.hpp"
#include "org/store.hpp"
#include "platform/core/json_reader.hpp"
#include "platform/text/text.hpp"

namespace chidoan::fund {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;
using namespace produce;

// The committee's work (suppliers, products, cycles, the close, the checklist) and viewing
// cycles use the activity actions on the organising org; a member's own order uses
// edit_own_profile on their member record.
constexpr Action kManage = Action::manage_fund;
constexpr Action kView = Action::view_fund;

using org::scope_of;

Result<org::Org> load_org(Ctx& ctx, Action action) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(o, orgs.org(ctx.req.param_int("id")));
  CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  return o;
}

// The named fields of a form or a JSON body, as strings. JSON: an unknown field is an error
// naming it; integers and booleans ("1"/"0") are accepted, strings everywhere; null is absent.
Result<RawFields> read_fields(const http::Request& req, std::initializer_list<std::string_view> names) {
  RawFields raw;
  auto known = [&](std::string_view k) { return std::find(names.begin(), names.end(), k) != names.end(); };
  if (req.wants_json()) {
    CHIDOAN_TRY(body, web::json_body(req));
    for (auto it = body.begin(); it != body.end(); ++it) {
      if (!known(it.key())) return fail(ErrorKind::invalid, "Trường \"" + it.key() + "\" không được hỗ trợ", it.key());
      if (it->is_null()) continue;
      if (it->is_string()) raw[it.key()] = it->get<std::string>();
      else if (it->is_number_integer()) raw[it.key()] = std::to_string(it->get<int64_t>());
      else if (it->is_boolean()) raw[it.key()] = it->get<bool>() ? "1" : "0";
      else if (it->is_number()) raw[it.key()] = it->dump();  // 2.5: refused by the rules, naming the field
      else return fail(ErrorKind::invalid, "Trường \"" + it.key() + "\" sai kiểu dữ liệu", it.key());
    }
    return raw;
  }
  CHIDOAN_TRY(form, req.form());
  for (auto n : names)
    if (form.has(n)) raw[std::string(n)] = form.get(n);
  return raw;
}

std::string vnd(int64_t v) { return text::format_vnd(v); }
std::string local_vn(const std::string& local) {
  if (local.size() < 16) return local;
  return text::format_date(local.substr(0, 10)) + " " + local.substr(11, 5);
}

// The label of an error's field: "items[2].quantity" -> produce.field.quantity.
std::string field_label(Ctx& ctx, const std::string& field) {
  std::string f = field;
  if (auto dot = f.rfind('.'); dot != std::string::npos) f = f.substr(dot + 1);
  if (f.empty()) return ctx.t("produce.error");
  return ctx.t("produce.field." + f);
}

void add_error(Ctx& ctx, Json& v, const Error* err, const RawFields* values) {
  if (!err) return;
  v["error"] = {{"message", err->message}, {"field", err->field}, {"label", field_label(ctx, err->field)}};
  Json vals = Json::object();
  if (values)
    for (const auto& [k, val] : *values) vals[k] = val;
  v["values"] = vals;
}

std::string status_label(Ctx& ctx, CycleStatus s) { return ctx.t("produce.status." + std::string(status_name(s))); }

// Adds what a page shows of a cycle: formatted times and labels.
void decorate_cycle(Ctx& ctx, Json& j, const Cycle& c) {
  j["opens_vn"] = local_vn(c.opens_at);
  j["closes_vn"] = local_vn(c.closes_at);
  j["pickup_vn"] = text::format_date(c.pickup_on);
  j["status_label"] = status_label(ctx, c.status);
  j["is_open"] = c.status == CycleStatus::open;
  j["is_closed"] = c.status == CycleStatus::closed;
  j["is_picked_up"] = c.status == CycleStatus::picked_up;
  for (auto& p : j["products"]) {
    p["price_vn"] = vnd(p["price_vnd"].get<int64_t>());
    p["loose"] = p["case_size"].get<int64_t>() == 1;
  }
}

// The end of a write: the API's status and body, or a redirect for a browser; on error the
// page again with the error and the values entered (re-render), or the error page.
template <typename Rerender>
Response finish(Ctx& ctx, const Result<Json>& done, int ok_status, const std::string& redirect, Rerender rerender) {
  if (ctx.req.wants_json()) {
    if (!done) return web::fail_page(ctx, done.error());
    return Response::json(ok_status, done->dump());
  }
  if (!done) {
    if (done.error().kind == ErrorKind::forbidden || done.error().kind == ErrorKind::not_found) return web::fail_page(ctx, done.error());
    return rerender(done.error());
  }
  return Response::redirect(redirect);
}

// Runs parse + write (store and audit in one transaction) and hands the result to finish().
template <typename Parse, typename Write>
Result<Json> run(Ctx& ctx, const Result<RawFields>& raw, Parse parse, Write write) {
  if (!raw) return std::unexpected(raw.error());
  auto in = parse(*raw);
  if (!in) return std::unexpected(in.error());
  Json out;
  auto w = ctx.write([&]() -> Result<void> {
    ProduceStore store(ctx.db(), *ctx.services.clock);
    CHIDOAN_TRY(j, write(store, *in));
    out = j;
    return {};
  });
  if (!w) return std::unexpected(w.error());
  return out;
}

// ---- cycles of an org ----

Response list_response(Ctx& ctx, const org::Org& o, const Error* err = nullptr, const RawFields* values = nullptr) {
  ProduceStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(cycles, store.cycles_for(o));
  Json items = Json::array();
  for (const auto& c : cycles) {
    CHIDOAN_CHECK(t, store.totals(c.id));
    Json j = to_json(c);
    j.erase("products");
    j["orders"] = t.members.size();
    j["amount_vnd"] = t.amount_vnd;
    items.push_back(j);
  }
  Json v{{"org_id", o.id}, {"items", items}};
  int status = err ? http::status_for(err->kind) : 200;
  if (!ctx.req.wants_json()) {
    for (size_t i = 0; i < cycles.size(); ++i) {
      Json& j = v["items"][i];
      j["products"] = Json::array();
      decorate_cycle(ctx, j, cycles[i]);
      j["amount_vn"] = vnd(j["amount_vnd"].get<int64_t>());
    }
    v["org"] = {{"id", o.id}, {"name", o.name}};
    v["can_manage"] = ctx.allows(kManage, scope_of(o)) && o.active();
    if (v["can_manage"] == true) {
      CHIDOAN_CHECK(suppliers, store.suppliers_for(o));
      Json opts = Json::array();
      for (const auto& s : suppliers)
        if (s.active) opts.push_back({{"id", s.id}, {"name", s.name}, {"selected", values && values->contains("supplier_id") && values->at("supplier_id") == std::to_string(s.id)}});
      v["supplier_options"] = opts;
    }
    v["has_items"] = !cycles.empty();
    add_error(ctx, v, err, values);
  }
  return web::respond(ctx, "fund/produce_list", v, status, ctx.t("produce.title") + " · " + o.name);
}

Response list_cycles(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, kView));
  return list_response(ctx, o);
}

Response create_cycle(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, kManage));
  auto raw = read_fields(ctx.req, {"supplier_id", "title", "opens_at", "closes_at", "pickup_on", "pickup_place"});
  int64_t new_id = 0;
  auto done = run(ctx, raw, [](const RawFields& r) { return parse_cycle(r); },
                  [&](ProduceStore& store, const CycleInput& in) -> Result<Json> {
                    CHIDOAN_TRY(id, store.create_cycle(o, in));
                    new_id = id;
                    CHIDOAN_TRY_VOID(ctx.audit("create", "produce_cycle", id, {{"org_id", o.id}, {"supplier_id", in.supplier_id}}));
                    CHIDOAN_TRY(c, store.cycle(id));
                    return to_json(c);
                  });
  RawFields values = raw ? *raw : RawFields{};
  return finish(ctx, done, 201, "/produce/cycles/" + std::to_string(new_id),
                [&](const Error& e) { return list_response(ctx, o, &e, &values); });
}

// ---- suppliers and products ----

Response suppliers_response(Ctx& ctx, const org::Org& o, const Error* err = nullptr, const RawFields* values = nullptr,
                            std::optional<int64_t> failed_supplier = std::nullopt) {
  ProduceStore store(ctx.db(), *ctx.services.clock);
  bool manage = ctx.allows(kManage, scope_of(o));
  CHIDOAN_CHECK(suppliers, store.suppliers_for(o));
  Json items = Json::array();
  for (const auto& s : suppliers) {
    // Contact details are the committee's: shown with manage rights on the supplier's org.
    CHIDOAN_CHECK(owner, org::Store(ctx.db(), *ctx.services.clock).org(s.org_id));
    bool committee = ctx.allows(kManage, scope_of(owner));
    Json j = to_json(s, committee);
    CHIDOAN_CHECK(ps, store.products(s.id));
    Json products = Json::array();
    for (const auto& p : ps) products.push_back(to_json(p));
    j["products"] = products;
    if (!ctx.req.wants_json()) {
      j["can_edit"] = committee;
      j["kind_label"] = ctx.t("produce.kind." + s.kind);
      j["kind_cooperative"] = s.kind == "cooperative";
      if (!committee) j["contact"] = "";  // not the page's (mustache would look it up there)
      j["error"] = false;
      j["values"] = Json::object();
      for (auto& p : j["products"]) p["price_vn"] = vnd(p["price_vnd"].get<int64_t>());
      if (failed_supplier && *failed_supplier == s.id && err) add_error(ctx, j, err, values);
    }
    items.push_back(j);
  }
  Json v{{"org_id", o.id}, {"items", items}};
  int status = err ? http::status_for(err->kind) : 200;
  if (!ctx.req.wants_json()) {
    v["org"] = {{"id", o.id}, {"name", o.name}};
    v["can_manage"] = manage && o.active();
    if (!failed_supplier) add_error(ctx, v, err, values);
  }
  return web::respond(ctx, "fund/produce_suppliers", v, status, ctx.t("produce.suppliers") + " · " + o.name);
}

Response list_suppliers(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, kView));
  return suppliers_response(ctx, o);
}

Result<RawFields> supplier_fields(const http::Request& req) { return read_fields(req, {"name", "kind", "place", "contact", "note", "active"}); }
Result<RawFields> product_fields(const http::Request& req) { return read_fields(req, {"name", "unit", "price_vnd", "case_size", "step", "active"}); }

Response create_supplier(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, kManage));
  auto raw = supplier_fields(ctx.req);
  auto done = run(ctx, raw, [](const RawFields& r) { return parse_supplier(r); },
                  [&](ProduceStore& store, const SupplierInput& in) -> Result<Json> {
                    CHIDOAN_TRY(id, store.add_supplier(o.id, in));
                    CHIDOAN_TRY_VOID(ctx.audit("create", "produce_supplier", id, {{"org_id", o.id}, {"name", in.name}}));
                    CHIDOAN_TRY(s, store.supplier(id));
                    return to_json(s, true);
                  });
  RawFields values = raw ? *raw : RawFields{};
  return finish(ctx, done, 201, "/orgs/" + std::to_string(o.id) + "/produce/suppliers",
                [&](const Error& e) { return suppliers_response(ctx, o, &e, &values); });
}

// The supplier named by {id} and its org, if the user may manage there.
Result<std::pair<Supplier, org::Org>> load_supplier(Ctx& ctx, int64_t id) {
  ProduceStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(s, store.supplier(id));
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(s.org_id));
  CHIDOAN_TRY_VOID(ctx.authorize(kManage, scope_of(o)));
  return std::pair(s, o);
}

Response update_supplier(Ctx& ctx) {
  CHIDOAN_CHECK(so, load_supplier(ctx, ctx.req.param_int("id")));
  auto& [s, o] = so;
  auto raw = supplier_fields(ctx.req);
  auto done = run(ctx, raw, [](const RawFields& r) { return parse_supplier(r); },
                  [&](ProduceStore& store, const SupplierInput& in) -> Result<Json> {
                    CHIDOAN_TRY_VOID(store.update_supplier(s.id, in));
                    CHIDOAN_TRY_VOID(ctx.audit("update", "produce_supplier", s.id, {{"name", in.name}, {"active", in.active}}));
                    CHIDOAN_TRY(after, store.supplier(s.id));
                    return to_json(after, true);
                  });
  RawFields values = raw ? *raw : RawFields{};
  return finish(ctx, done, 200, "/orgs/" + std::to_string(o.id) + "/produce/suppliers",
                [&](const Error& e) { return suppliers_response(ctx, o, &e, &values, s.id); });
}

Response create_product(Ctx& ctx) {
  CHIDOAN_CHECK(so, load_supplier(ctx, ctx.req.param_int("id")));
  auto& [s, o] = so;
  auto raw = product_fields(ctx.req);
  auto done = run(ctx, raw, [](const RawFields& r) { return parse_product(r); },
                  [&](ProduceStore& store, const ProductInput& in) -> Result<Json> {
                    CHIDOAN_TRY(id, store.add_product(s.id, in));
                    CHIDOAN_TRY_VOID(ctx.audit("create", "produce_product", id,
                                               {{"supplier_id", s.id}, {"name", in.name}, {"price_vnd", in.price_vnd}, {"case_size", in.case_size}, {"step", in.step}}));
                    CHIDOAN_TRY(p, store.product(id));
                    return to_json(p);
                  });
  RawFields values = raw ? *raw : RawFields{};
  return finish(ctx, done, 201, "/orgs/" + std::to_string(o.id) + "/produce/suppliers",
                [&](const Error& e) { return suppliers_response(ctx, o, &e, &values, s.id); });
}

Response update_product(Ctx& ctx) {
  ProduceStore lookup(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(p, lookup.product(ctx.req.param_int("id")));
  CHIDOAN_CHECK(so, load_supplier(ctx, p.supplier_id));
  auto& [s, o] = so;
  auto raw = product_fields(ctx.req);
  auto done = run(ctx, raw, [](const RawFields& r) { return parse_product(r); },
                  [&](ProduceStore& store, const ProductInput& in) -> Result<Json> {
                    CHIDOAN_TRY_VOID(store.update_product(p.id, in));
                    CHIDOAN_TRY_VOID(ctx.audit("update", "produce_product", p.id,
                                               {{"price_vnd", in.price_vnd}, {"case_size", in.case_size}, {"step", in.step}, {"active", in.active}}));
                    CHIDOAN_TRY(after, store.product(p.id));
                    return to_json(after);
                  });
  RawFields values = raw ? *raw : RawFields{};
  return finish(ctx, done, 200, "/orgs/" + std::to_string(o.id) + "/produce/suppliers",
                [&](const Error& e) { return suppliers_response(ctx, o, &e, &values, s.id); });
}

// ---- one cycle ----

struct Loaded {
  Cycle c;
  org::Org organiser;
  bool manage = false;
  bool view = false;
  // The user's own member record, when its branch is in the organiser's subtree and the policy
  // lets them act on it (edit_own_profile).
  std::optional<int64_t> own_member;
};

Result<Loaded> load_cycle(Ctx& ctx) {
  ProduceStore store(ctx.db(), *ctx.services.clock);
  org::Store orgs(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(c, store.cycle(ctx.req.param_int("id")));
  CHIDOAN_TRY(organiser, orgs.org(c.org_id));
  Loaded l{c, organiser, ctx.allows(kManage, scope_of(organiser)), ctx.allows(kView, scope_of(organiser)), std::nullopt};
  if (ctx.user && ctx.user->member_id) {
    CHIDOAN_TRY(m, orgs.member(*ctx.user->member_id));
    CHIDOAN_TRY(branch, orgs.org(m.branch_id));
    auth::Scope own = scope_of(branch);
    own.member_id = m.id;
    if (branch.path.starts_with(organiser.path) && auth::allowed(*ctx.user, Action::edit_own_profile, own)) l.own_member = m.id;
  }
  if (!l.view && !l.own_member) return fail(ErrorKind::forbidden, "Bạn không có quyền xem đợt đặt hàng này");
  return l;
}

Result<Loaded> load_managed_cycle(Ctx& ctx) {
  CHIDOAN_TRY(l, load_cycle(ctx));
  if (!l.manage) return fail(ErrorKind::forbidden, "Chỉ Ban Chấp hành của tổ chức đặt hàng làm được việc này");
  return l;
}

// Order form values: "qty_<product>" and "tol_<product>" of a form, or the API's items.
struct OrderRequest {
  std::optional<int64_t> member_id;
  std::vector<LineInput> lines;
  std::vector<int64_t> line_product;  // items[i] -> product id, to show a form error on its row
  RawFields values;                   // as entered, for the form again
};

Result<int64_t> line_number(const Json& v, const std::string& field, int64_t lo, int64_t hi) {
  if (v.is_null()) return int64_t{0};
  if (v.is_number_integer()) {
    int64_t x = v.get<int64_t>();
    return parse_whole(std::to_string(x), field, lo, hi);
  }
  if (v.is_number()) return parse_whole(v.dump(), field, lo, hi);  // a fraction: refused, naming the field
  if (v.is_string()) return parse_whole(v.get<std::string>(), field, lo, hi, 0);
  return fail(ErrorKind::invalid, "Phải là số nguyên", field);
}

Result<OrderRequest> read_order(Ctx& ctx, const Cycle& c) {
  OrderRequest r;
  if (ctx.req.wants_json()) {
    CHIDOAN_TRY(body, web::json_body(ctx.req));
    JsonReader in{"", body};
    auto only = in.only({"member_id", "items"});
    if (!only) return fail(ErrorKind::invalid, "Trường không được hỗ trợ", only.error().field.substr(1));
    CHIDOAN_TRY(mid, in.opt_integer("member_id"));
    if (mid && *mid <= 0) return fail(ErrorKind::invalid, "Mã số không hợp lệ", "member_id");
    r.member_id = mid;
    CHIDOAN_TRY(items, in.array("items"));
    for (size_t i = 0; i < items->size(); ++i) {
      const Json& it = (*items)[i];
      std::string at = "items[" + std::to_string(i) + "].";
      if (!it.is_object()) return fail(ErrorKind::invalid, "Phải là một đối tượng", at.substr(0, at.size() - 1));
      for (auto f = it.begin(); f != it.end(); ++f)
        if (f.key() != "product_id" && f.key() != "quantity" && f.key() != "tolerance")
          return fail(ErrorKind::invalid, "Trường không được hỗ trợ", at + f.key());
      if (!it.contains("product_id")) return fail(ErrorKind::invalid, "Thiếu mặt hàng", at + "product_id");
      CHIDOAN_TRY(pid, line_number(it["product_id"], at + "product_id", 1, INT64_MAX));
      if (!it.contains("quantity")) return fail(ErrorKind::invalid, "Thiếu số lượng", at + "quantity");
      CHIDOAN_TRY(q, line_number(it["quantity"], at + "quantity", INT64_MIN, INT64_MAX));
      CHIDOAN_TRY(tol, line_number(it.value("tolerance", Json(0)), at + "tolerance", INT64_MIN, INT64_MAX));
      r.lines.push_back(LineInput{pid, q, tol});
      r.line_product.push_back(pid);
    }
    return r;
  }
  CHIDOAN_TRY(form, ctx.req.form());
  if (form.has("member_id") && !form.get("member_id").empty()) {
    CHIDOAN_TRY(mid, parse_whole(form.get("member_id"), "member_id", 1, INT64_MAX));
    r.member_id = mid;
  }
  for (const auto& p : c.products) {
    std::string qk = "qty_" + std::to_string(p.product_id), tk = "tol_" + std::to_string(p.product_id);
    std::string q = form.get(qk), t = form.get(tk);
    r.values[qk] = q;
    r.values[tk] = t;
    if (q.empty() || q == "0") continue;  // an empty (or 0) row: the product is not ordered
    std::string at = "items[" + std::to_string(r.lines.size()) + "].";
    r.line_product.push_back(p.product_id);
    CHIDOAN_TRY(qv, parse_whole(q, at + "quantity", INT64_MIN, INT64_MAX));
    CHIDOAN_TRY(tv, parse_whole(t, at + "tolerance", INT64_MIN, INT64_MAX, 0));
    r.lines.push_back(LineInput{p.product_id, qv, tv});
  }
  return r;
}

Response cycle_response(Ctx& ctx, const Loaded& l, const Error* err = nullptr, const OrderRequest* entered = nullptr) {
  ProduceStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(orders, store.orders(l.c.id));
  CycleTotals t = produce::totals(l.c, orders);
  std::optional<Order> mine;
  if (l.own_member)
    for (const auto& o : orders)
      if (o.member_id == *l.own_member) mine = o;
  bool window = check_window(l.c, local_time(ctx.services.clock->unix_seconds())).has_value();
  Json v{{"cycle", to_json(l.c)},
         {"totals", totals_json(t)},
         {"my_order", mine ? to_json(*mine) : Json(nullptr)},
         {"can_order", window && l.own_member.has_value()},
         {"can_manage", l.manage}};
  int status = err ? http::status_for(err->kind) : 200;
  if (!ctx.req.wants_json()) {
    decorate_cycle(ctx, v["cycle"], l.c);
    v["window_open"] = window;
    int64_t my_amount = 0;
    if (mine)
      for (const auto& m : t.members)
        if (m.member_id == mine->member_id) my_amount = m.amount_vnd;
    v["my_amount_vn"] = vnd(my_amount);
    v["has_order"] = mine.has_value();
    // One row per product: my quantity and tolerance (or what was entered), running totals.
    Json rows = Json::array();
    for (size_t i = 0; i < l.c.products.size(); ++i) {
      const auto& p = l.c.products[i];
      const auto& pt = t.products[i];
      Json r = v["cycle"]["products"][i];
      std::string qk = "qty_" + std::to_string(p.product_id), tk = "tol_" + std::to_string(p.product_id);
      std::string q, tol, got;
      if (mine)
        for (const auto& line : mine->lines)
          if (line.product_id == p.product_id) {
            q = std::to_string(line.quantity);
            tol = line.tolerance ? std::to_string(line.tolerance) : "";
            if (line.allocated) got = std::to_string(*line.allocated);
          }
      if (entered) {
        q = entered->values.count(qk) ? entered->values.at(qk) : "";
        tol = entered->values.count(tk) ? entered->values.at(tk) : "";
      }
      r["qty_name"] = qk;
      r["tol_name"] = tk;
      r["my_quantity"] = q;
      r["my_tolerance"] = tol;
      r["my_allocated"] = got;
      r["ordered"] = pt.rounded.ordered;
      r["cases_now"] = pt.rounded.cases;
      r["units_now"] = pt.rounded.units;
      int64_t rem = p.case_size > 1 ? pt.rounded.ordered % p.case_size : 0;
      r["to_next_case"] = rem ? p.case_size - rem : 0;
      r["has_next"] = rem != 0;
      r["error"] = false;  // not the page's error (mustache would look it up there)
      r["amount_vn"] = vnd(pt.amount_vnd);
      r["step_hint"] = p.step > 1;
      rows.push_back(r);
    }
    // A form error goes on its product's row.
    if (err && entered && err->field.starts_with("items[")) {
      size_t idx = std::stoul(err->field.substr(6));
      if (idx < entered->line_product.size())
        for (auto& r : rows)
          if (r["product_id"] == entered->line_product[idx]) r["error"] = err->message;
    }
    v["rows"] = rows;
    v["amount_vn"] = vnd(t.amount_vnd);
    v["ordered_amount_vn"] = vnd(t.ordered_amount_vnd);
    add_error(ctx, v, err, nullptr);
  }
  return web::respond(ctx, "fund/produce_cycle", v, status, l.c.title);
}

Response show_cycle(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_cycle(ctx));
  return cycle_response(ctx, l);
}

Response place_order(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_cycle(ctx));
  auto req = read_order(ctx, l.c);
  if (!req) {
    if (ctx.req.wants_json()) return web::fail_page(ctx, req.error());
    return cycle_response(ctx, l, &req.error());
  }
  // Whose order: one's own, or — for the committee of the organiser — any member's.
  int64_t member_id = 0;
  bool own = !req->member_id || (ctx.user->member_id && *req->member_id == *ctx.user->member_id);
  if (own) {
    if (!ctx.user->member_id) return web::fail_page(ctx, Error{ErrorKind::invalid, "Tài khoản không gắn với đoàn viên nào", "member_id"});
    if (!l.own_member)
      return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chi đoàn của bạn không thuộc " + l.organiser.name + ": không đặt hàng trong đợt này được", ""});
    member_id = *l.own_member;
  } else {
    if (!l.manage) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Đoàn viên chỉ đặt hàng cho chính mình", "member_id"});
    member_id = *req->member_id;
  }
  std::optional<Order> placed;
  auto w = ctx.write([&]() -> Result<void> {
    ProduceStore store(ctx.db(), *ctx.services.clock);
    CHIDOAN_TRY(o, store.place_order(l.c.id, member_id, req->lines));
    placed = o;
    Json items = Json::array();
    for (const auto& line : req->lines) items.push_back({{"product_id", line.product_id}, {"quantity", line.quantity}, {"tolerance", line.tolerance}});
    return ctx.audit(o ? "order" : "cancel_order", "produce_cycle", l.c.id, {{"member_id", member_id}, {"items", items}});
  });
  if (!w) {
    if (ctx.req.wants_json() || w.error().kind == ErrorKind::forbidden) return web::fail_page(ctx, w.error());
    return cycle_response(ctx, l, &w.error(), &*req);
  }
  if (ctx.req.wants_json()) return Response::json(200, (placed ? to_json(*placed) : Json{{"cancelled", true}, {"member_id", member_id}}).dump());
  return Response::redirect("/produce/cycles/" + std::to_string(l.c.id) + "#my-order");
}

Response close_cycle(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_managed_cycle(ctx));
  Json out;
  auto w = ctx.write([&]() -> Result<void> {
    ProduceStore store(ctx.db(), *ctx.services.clock);
    CHIDOAN_TRY(t, store.close_cycle(l.c.id));
    out = totals_json(t);
    return ctx.audit("close", "produce_cycle", l.c.id, {{"amount_vnd", t.amount_vnd}, {"orders", t.members.size()}});
  });
  if (!w) return web::fail_page(ctx, w.error());
  if (ctx.req.wants_json()) return Response::json(200, out.dump());
  return Response::redirect("/produce/cycles/" + std::to_string(l.c.id) + "/sheet");
}

Response finish_cycle(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_managed_cycle(ctx));
  auto w = ctx.write([&]() -> Result<void> {
    ProduceStore store(ctx.db(), *ctx.services.clock);
    CHIDOAN_TRY_VOID(store.finish_cycle(l.c.id));
    return ctx.audit("picked_up", "produce_cycle", l.c.id);
  });
  if (!w) return web::fail_page(ctx, w.error());
  if (ctx.req.wants_json()) return Response::json(200, Json{{"id", l.c.id}, {"status", "picked_up"}}.dump());
  return Response::redirect("/produce/cycles/" + std::to_string(l.c.id) + "/checklist");
}

Response sheet(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_managed_cycle(ctx));
  ProduceStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(s, store.supplier(l.c.supplier_id));
  CHIDOAN_CHECK(t, store.totals(l.c.id));
  Json tj = totals_json(t);
  Json v{{"cycle", to_json(l.c)}, {"supplier", to_json(s, true)}, {"products", tj["products"]}, {"amount_vnd", t.amount_vnd},
         {"final", l.c.status != CycleStatus::open}};
  if (!ctx.req.wants_json()) {
    decorate_cycle(ctx, v["cycle"], l.c);
    for (auto& p : v["products"]) {
      p["amount_vn"] = vnd(p["amount_vnd"].get<int64_t>());
      p["price_vn"] = vnd(p["price_vnd"].get<int64_t>());
      p["loose"] = p["case_size"].get<int64_t>() == 1;
    }
    v["amount_vn"] = vnd(t.amount_vnd);
    v["org"] = {{"id", l.organiser.id}, {"name", l.organiser.name}};
  }
  return web::respond(ctx, "fund/produce_sheet", v, 200, ctx.t("produce.sheet") + " · " + l.c.title);
}

Response checklist(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_managed_cycle(ctx));
  ProduceStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(t, store.totals(l.c.id));
  Json tj = totals_json(t);
  tj.erase("products");
  Json v{{"cycle", to_json(l.c)}, {"members", checklist_json(l.c, t)}, {"totals", tj}};
  if (!ctx.req.wants_json()) {
    decorate_cycle(ctx, v["cycle"], l.c);
    for (auto& m : v["members"]) {
      m["amount_vn"] = vnd(m["amount_vnd"].get<int64_t>());
      Json shown = Json::array();
      for (auto& it : m["items"])
        if (it["allocated"].get<int64_t>() > 0 || it["ordered"].get<int64_t>() > 0) {
          it["short"] = it["allocated"].get<int64_t>() != it["ordered"].get<int64_t>();
          shown.push_back(it);
        }
      m["items"] = shown;
    }
    v["totals_vn"] = {{"amount", vnd(t.amount_vnd)}, {"paid", vnd(t.paid_vnd)}, {"unpaid", vnd(t.amount_vnd - t.paid_vnd)}};
    v["can_mark"] = l.c.status != CycleStatus::open;
  }
  return web::respond(ctx, "fund/produce_checklist", v, 200, ctx.t("produce.checklist") + " · " + l.c.title);
}

Response mark(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_managed_cycle(ctx));
  int64_t member_id = ctx.req.param_int("mid");
  CHIDOAN_CHECK(raw, read_fields(ctx.req, {"picked_up", "paid"}));
  auto flag = [&](const char* k) -> Result<std::optional<bool>> {
    auto it = raw.find(k);
    if (it == raw.end() || it->second.empty()) return std::optional<bool>();
    if (it->second == "1" || it->second == "true" || it->second == "on") return std::optional<bool>(true);
    if (it->second == "0" || it->second == "false" || it->second == "off") return std::optional<bool>(false);
    return fail(ErrorKind::invalid, "Phải là có (1) hoặc không (0)", k);
  };
  CHIDOAN_CHECK(picked, flag("picked_up"));
  CHIDOAN_CHECK(paid, flag("paid"));
  if (!picked && !paid) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chưa chọn đã nhận hàng hay đã trả tiền", "picked_up"});
  Json out;
  auto w = ctx.write([&]() -> Result<void> {
    ProduceStore store(ctx.db(), *ctx.services.clock);
    CHIDOAN_TRY_VOID(store.mark(l.c.id, member_id, picked, paid));
    CHIDOAN_TRY(o, store.order(l.c.id, member_id));
    out = {{"member_id", member_id}, {"picked_up", o && o->picked_up}, {"paid", o && o->paid}};
    return ctx.audit("mark", "produce_cycle", l.c.id, out);
  });
  if (!w) return web::fail_page(ctx, w.error());
  if (ctx.req.wants_json()) return Response::json(200, out.dump());
  return Response::redirect("/produce/cycles/" + std::to_string(l.c.id) + "/checklist#m" + std::to_string(member_id));
}

}  // namespace

void add_produce_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/produce", list_cycles);
  routes.both("POST", "/orgs/{id:int}/produce/cycles", create_cycle);
  routes.both("GET", "/orgs/{id:int}/produce/suppliers", list_suppliers);
  routes.both("POST", "/orgs/{id:int}/produce/suppliers", create_supplier);
  routes.both("POST", "/produce/suppliers/{id:int}", update_supplier);
  routes.both("POST", "/produce/suppliers/{id:int}/products", create_product);
  routes.both("POST", "/produce/products/{id:int}", update_product);
  routes.both("GET", "/produce/cycles/{id:int}", show_cycle);
  routes.both("POST", "/produce/cycles/{id:int}/order", place_order);
  routes.both("POST", "/produce/cycles/{id:int}/close", close_cycle);
  routes.both("POST", "/produce/cycles/{id:int}/finish", finish_cycle);
  routes.both("GET", "/produce/cycles/{id:int}/sheet", sheet);
  routes.both("GET", "/produce/cycles/{id:int}/checklist", checklist);
  routes.both("POST", "/produce/cycles/{id:int}/checklist/{mid:int}", mark);
}

}  // namespace chidoan::fund
