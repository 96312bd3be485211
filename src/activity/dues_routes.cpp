#include "activity/dues_routes.hpp"

#include <algorithm>

#include "activity/dues_rules.hpp"
#include "activity/dues_store.hpp"
#include "activity/dues_views.hpp"
#include "org/store.hpp"
#include "platform/text/text.hpp"

namespace chidoan::activity {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;
using namespace dues;

#define CHECK(var, expr)                                       \
  auto var##_r_ = (expr);                                      \
  if (!var##_r_) return web::fail_page(ctx, var##_r_.error()); \
  auto& var = *var##_r_

using org::scope_of;

// The branch named by {id}, if the user may `action` on it.
Result<org::Org> load_branch(Ctx& ctx, Action action) {
  org::Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(o, store.org(ctx.req.param_int("id")));
  CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  if (!o.holds_members) return fail(ErrorKind::invalid, "Sổ đoàn phí chỉ có ở chi đoàn", "id");
  return o;
}


// The named fields of a form or a JSON body, as strings. JSON: an unknown field is an error
// naming it; numbers are accepted for integer fields, strings everywhere; null is absent.
Result<RawFields> read_fields(const http::Request& req, std::initializer_list<std::string_view> names,
                              std::initializer_list<std::string_view> integers = {}) {
  RawFields raw;
  auto known = [&](std::string_view k, std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), k) != list.end();
  };
  if (req.wants_json()) {
    CHIDOAN_TRY(body, web::json_body(req));
    for (auto it = body.begin(); it != body.end(); ++it) {
      if (!known(it.key(), names)) return fail(ErrorKind::invalid, "Trường \"" + it.key() + "\" không được hỗ trợ", it.key());
      if (it->is_null()) continue;
      if (it->is_string()) raw[it.key()] = it->get<std::string>();
      else if (it->is_number_integer() && known(it.key(), integers)) raw[it.key()] = std::to_string(it->get<int64_t>());
      else return fail(ErrorKind::invalid, "Trường \"" + it.key() + "\" sai kiểu dữ liệu", it.key());
    }
    return raw;
  }
  CHIDOAN_TRY(form, req.form());
  for (auto n : names)
    if (form.has(n)) raw[std::string(n)] = form.get(n);
  return raw;
}

// The year of the page a form came from (hidden field), else this year.
int form_year(Ctx& ctx) {
  if (!ctx.req.wants_json()) {
    auto form = ctx.req.form();
    if (form) {
      auto y = parse_month(form->get("year") + "-01");
      if (y) return y->year();
    }
  }
  return static_cast<int>(ctx.today().year());
}

std::string months_vn(const std::string& from, const std::string& to) {
  auto f = parse_month(from), t = parse_month(to);
  if (!f || !t) return from;
  return *f == *t ? format_month(*f) : format_month(*f) + " – " + format_month(*t);
}

// Adds what the page needs to the book's JSON: formatted figures, labels, forms.
void decorate(Ctx& ctx, Json& v, const org::Org& o, const Book& b, const Error* err, const RawFields* values) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  auto vnd = [](const Json& j) { return text::format_vnd(j.get<int64_t>()); };
  v["org"] = {{"id", o.id}, {"name", o.name}, {"code", o.code}};
  v["year_prev"] = b.year - 1;
  v["year_next"] = b.year + 1;
  v["can_manage"] = ctx.allows(Action::manage_dues, scope_of(o)) && o.active();
  v["current_month"] = to_string(b.current);
  v["today"] = to_iso(ctx.today());
  v["as_of_vn"] = format_month(b.current);
  Json heads = Json::array();
  for (unsigned i = 1; i <= 12; ++i) heads.push_back({{"label", "T" + std::to_string(i)}, {"month", to_string(Month::of(b.year, i))}});
  v["month_heads"] = heads;
  for (auto& m : v["members"]) {
    m["category_label"] = ctx.t("dues.category." + m["category"].get<std::string>());
    m["paid_vn"] = vnd(m["paid"]);
    m["arrears_vn"] = vnd(m["arrears_amount"]);
    for (auto& c : m["months"]) {
      std::string s = c["state"].get<std::string>();
      c["label"] = ctx.t("dues.state." + s) + " " + format_month(*parse_month(c["month"].get<std::string>())) +
                   (c["amount"].get<int64_t>() > 0 ? " · " + vnd(c["amount"]) : std::string());
      c["symbol"] = s == "paid" ? "✓" : s == "exempt" ? "M" : s == "arrears" ? "✗" : s == "due" ? "•" : s == "upcoming" ? "·" : "";
      c["cls"] = s == "paid" ? "status active" : s == "exempt" ? "pill grey" : s == "arrears" ? "error" : s == "due" ? "pill warn" : "muted";
    }
  }
  for (auto& f : v["figures"]["months"]) {
    for (const char* k : {"expected", "paid", "exempted", "arrears", "collected", "share_up", "kept"})
      f[std::string(k) + "_vn"] = vnd(f[k]);
    f["label"] = "T" + std::to_string(parse_month(f["month"].get<std::string>())->month());
  }
  for (auto& [k, val] : v["figures"]["year"].items())
    if (val.is_number_integer()) v["figures"]["year_vn"][k] = vnd(val);
  for (auto& a : v["arrears"]) {
    std::string list;
    for (const auto& m : a["months"]) list += (list.empty() ? "" : ", ") + format_month(*parse_month(m.get<std::string>()));
    a["months_vn"] = list;
    a["count"] = a["months"].size();
    a["amount_vn"] = vnd(a["amount"]);
  }
  bool manage = v["can_manage"].get<bool>();
  for (auto& p : v["payments"]) {
    p["amount_vn"] = vnd(p["amount"]);
    p["paid_on_vn"] = text::format_date(p["paid_on"].get<std::string>());
    p["months_vn"] = months_vn(p["from_month"], p["to_month"]);
    p["is_reversal"] = !p["reverses_id"].is_null();
    p["is_reversed"] = !p["reversed_by"].is_null();
    p["can_reverse"] = manage && p["reverses_id"].is_null() && p["reversed_by"].is_null();
  }
  for (auto& e : v["exemptions"]) e["months_vn"] = months_vn(e["from_month"], e["to_month"]);
  for (auto& r : v["remittances"]) {
    r["months_vn"] = months_vn(r["from_month"], r["to_month"]);
    r["amount_vn"] = vnd(r["amount"]);
    r["collected_vn"] = vnd(r["collected"]);
    r["remitted_on_vn"] = text::format_date(r["remitted_on"].get<std::string>());
    auto to = orgs.org(r["to_org_id"].get<int64_t>());
    r["to_org_name"] = to ? to->name : "";
  }
  for (auto& r : v["rates"]) {
    r["amount_vn"] = vnd(r["amount"]);
    r["category_label"] = ctx.t("dues.category." + r["category"].get<std::string>());
    r["valid_from_vn"] = format_month(*parse_month(r["valid_from"].get<std::string>()));
    if (!r["valid_to"].is_null()) r["valid_to_vn"] = format_month(*parse_month(r["valid_to"].get<std::string>()));
  }
  Json options = Json::array();
  for (const auto& row : b.rows) options.push_back({{"id", row.member_id}, {"full_name", row.full_name}});
  v["member_options"] = options;
  if (o.parent_id) {
    auto parent = orgs.org(*o.parent_id);
    if (parent) v["parent_name"] = parent->name;
  }
  if (err) {
    v["error"] = {{"message", err->message}, {"field", err->field}, {"label", ctx.t("dues.field." + err->field)}};
    Json vals = Json::object();
    if (values)
      for (const auto& [k, val] : *values) vals[k] = val;
    v["values"] = vals;
  }
  v["has_rows"] = !b.rows.empty();
  v["has_arrears"] = !v["arrears"].empty();
}

Response book_response(Ctx& ctx, const org::Org& o, int year, const Error* err = nullptr, const RawFields* values = nullptr) {
  DuesStore store(ctx.db(), *ctx.services.clock);
  CHECK(b, store.book(o.id, year, month_of(ctx.today())));
  Json v = to_json(b);
  int status = err ? http::status_for(err->kind) : 200;
  if (!ctx.req.wants_json()) decorate(ctx, v, o, b, err, values);
  return web::respond(ctx, "activity/dues", v, status, ctx.t("dues.title") + " · " + o.name);
}

Response show_book(Ctx& ctx) {
  CHECK(o, load_branch(ctx, Action::view_dues));
  CHECK(year, web::int_param(ctx.req, "year", static_cast<int>(ctx.today().year()), 1990, 2100));
  return book_response(ctx, o, static_cast<int>(year));
}

// The end of every write: 201 with the entry for the API; back to the book for a browser, or
// the book again with the error and the values entered.
Response finish(Ctx& ctx, const org::Org& o, const Result<Json>& done, const RawFields& raw) {
  if (ctx.req.wants_json()) {
    if (!done) return web::fail_page(ctx, done.error());
    return Response::json(201, done->dump());
  }
  int year = form_year(ctx);
  if (!done) {
    if (done.error().kind == ErrorKind::forbidden) return web::fail_page(ctx, done.error());
    return book_response(ctx, o, year, &done.error(), &raw);
  }
  return Response::redirect("/orgs/" + std::to_string(o.id) + "/dues?year=" + std::to_string(year));
}

// Runs one write: parse (raw -> input), then store + audit in one transaction.
template <typename Input, typename Parse, typename Write>
Response write_entry(Ctx& ctx, std::initializer_list<std::string_view> names, std::initializer_list<std::string_view> integers, Parse parse,
                     Write write) {
  CHECK(o, load_branch(ctx, Action::manage_dues));
  auto raw = read_fields(ctx.req, names, integers);
  Result<Json> done = fail(ErrorKind::internal, "");
  if (!raw) {
    done = std::unexpected(raw.error());
  } else {
    Result<Input> input = parse(*raw);
    if (!input) {
      done = std::unexpected(input.error());
    } else {
      Json out;
      auto w = ctx.write([&]() -> Result<void> {
        DuesStore store(ctx.db(), *ctx.services.clock);
        CHIDOAN_TRY(j, write(store, o, *input));
        out = j;
        return {};
      });
      if (w) done = out;
      else done = std::unexpected(w.error());
    }
  }
  return finish(ctx, o, done, raw ? *raw : RawFields{});
}

Recorded by(Ctx& ctx) { return Recorded{ctx.user ? std::optional<int64_t>(ctx.user->user_id) : std::nullopt, std::nullopt}; }

Response post_payment(Ctx& ctx) {
  return write_entry<PaymentInput>(
      ctx, {"member_id", "from_month", "to_month", "amount", "paid_on", "receipt_no", "note"}, {"member_id", "amount"},
      [&](const RawFields& raw) { return parse_payment(raw, ctx.today()); },
      [&](DuesStore& store, const org::Org& o, const PaymentInput& in) -> Result<Json> {
        CHIDOAN_TRY(p, store.record_payment(o.id, in, month_of(ctx.today()), by(ctx)));
        CHIDOAN_TRY_VOID(ctx.audit("create", "dues_payment", p.id,
                                   {{"branch_id", o.id}, {"member_id", p.member_id}, {"from_month", to_string(p.from)},
                                    {"to_month", to_string(p.to)}, {"amount", p.amount}}));
        return to_json(p);
      });
}

Response post_reversal(Ctx& ctx) {
  int64_t pid = ctx.req.param_int("pid");
  return write_entry<ReversalInput>(
      ctx, {"reversed_on", "reason"}, {}, [&](const RawFields& raw) { return parse_reversal(raw, ctx.today()); },
      [&](DuesStore& store, const org::Org& o, const ReversalInput& in) -> Result<Json> {
        CHIDOAN_TRY(r, store.reverse_payment(o.id, pid, in, by(ctx)));
        CHIDOAN_TRY_VOID(ctx.audit("reverse", "dues_payment", pid, {{"branch_id", o.id}, {"reversal_id", r.id}, {"reason", in.reason}}));
        return to_json(r);
      });
}

Response post_exemption(Ctx& ctx) {
  return write_entry<ExemptionInput>(
      ctx, {"member_id", "from_month", "to_month", "reason"}, {"member_id"}, [&](const RawFields& raw) { return parse_exemption(raw); },
      [&](DuesStore& store, const org::Org& o, const ExemptionInput& in) -> Result<Json> {
        CHIDOAN_TRY(e, store.add_exemption(o.id, in, month_of(ctx.today()), by(ctx)));
        CHIDOAN_TRY_VOID(ctx.audit("create", "dues_exemption", e.id,
                                   {{"branch_id", o.id}, {"member_id", e.member_id}, {"from_month", to_string(e.from)}, {"to_month", to_string(e.to)}}));
        return to_json(e);
      });
}

Response post_remittance(Ctx& ctx) {
  return write_entry<RemittanceInput>(
      ctx, {"from_month", "to_month", "amount", "remitted_on", "note"}, {"amount"},
      [&](const RawFields& raw) { return parse_remittance(raw, ctx.today()); },
      [&](DuesStore& store, const org::Org& o, const RemittanceInput& in) -> Result<Json> {
        CHIDOAN_TRY(r, store.add_remittance(o.id, in, month_of(ctx.today()), by(ctx)));
        CHIDOAN_TRY_VOID(ctx.audit("create", "dues_remittance", r.id,
                                   {{"branch_id", o.id}, {"to_org_id", r.to_org_id}, {"amount", r.amount}, {"collected", r.collected}}));
        return to_json(r);
      });
}

Response post_category(Ctx& ctx) {
  return write_entry<CategoryInput>(
      ctx, {"member_id", "category", "valid_from"}, {"member_id"}, [&](const RawFields& raw) { return parse_category_change(raw); },
      [&](DuesStore& store, const org::Org& o, const CategoryInput& in) -> Result<Json> {
        CHIDOAN_TRY_VOID(store.set_category(o.id, in, by(ctx)));
        Json j{{"member_id", in.member_id}, {"category", std::string(category_name(in.category))}, {"valid_from", to_string(in.from)}};
        CHIDOAN_TRY_VOID(ctx.audit("set_category", "member", in.member_id, j));
        return j;
      });
}

// ---- national rates ----

Response rates_response(Ctx& ctx, const Error* err = nullptr, const RawFields* values = nullptr) {
  DuesStore store(ctx.db(), *ctx.services.clock);
  CHECK(rates, store.rates());
  Json items = Json::array();
  for (const auto& r : rates) items.push_back(to_json(r));
  Json v{{"items", items}};
  int status = err ? http::status_for(err->kind) : 200;
  if (!ctx.req.wants_json()) {
    for (auto& r : v["items"]) {
      r["amount_vn"] = text::format_vnd(r["amount"].get<int64_t>());
      r["category_label"] = ctx.t("dues.category." + r["category"].get<std::string>());
      r["valid_from_vn"] = format_month(*parse_month(r["valid_from"].get<std::string>()));
      if (!r["valid_to"].is_null()) r["valid_to_vn"] = format_month(*parse_month(r["valid_to"].get<std::string>()));
    }
    v["can_manage"] = ctx.allows(Action::manage_dues, auth::Scope{});
    v["current_month"] = to_string(month_of(ctx.today()));
    if (err) {
      v["error"] = {{"message", err->message}, {"field", err->field}, {"label", ctx.t("dues.field." + err->field)}};
      Json vals = Json::object();
      if (values)
        for (const auto& [k, val] : *values) vals[k] = val;
      v["values"] = vals;
    }
  }
  return web::respond(ctx, "activity/dues_rates", v, status, ctx.t("dues.rates_title"));
}

Response list_rates(Ctx& ctx) { return rates_response(ctx); }

// Rates are national: only a system administrator (manage_dues over the whole tree) changes them.
Response post_rate(Ctx& ctx) {
  auto allowed = ctx.authorize(Action::manage_dues, auth::Scope{});
  if (!allowed) return web::fail_page(ctx, allowed.error());
  auto raw = read_fields(ctx.req, {"category", "amount", "valid_from", "valid_to", "source"}, {"amount"});
  Result<Json> done = fail(ErrorKind::internal, "");
  if (!raw) {
    done = std::unexpected(raw.error());
  } else if (auto in = parse_rate(*raw); !in) {
    done = std::unexpected(in.error());
  } else {
    Json out;
    auto w = ctx.write([&]() -> Result<void> {
      DuesStore store(ctx.db(), *ctx.services.clock);
      CHIDOAN_TRY(r, store.add_rate(*in, month_of(ctx.today())));
      out = to_json(r);
      return ctx.audit("create", "dues_rate", r.id, out);
    });
    if (w) done = out;
    else done = std::unexpected(w.error());
  }
  if (ctx.req.wants_json()) {
    if (!done) return web::fail_page(ctx, done.error());
    return Response::json(201, done->dump());
  }
  if (!done) {
    RawFields values = raw ? *raw : RawFields{};
    return rates_response(ctx, &done.error(), &values);
  }
  return Response::redirect("/dues/rates");
}

}  // namespace

void add_dues_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/dues", show_book);
  routes.both("POST", "/orgs/{id:int}/dues/payments", post_payment);
  routes.both("POST", "/orgs/{id:int}/dues/payments/{pid:int}/reverse", post_reversal);
  routes.both("POST", "/orgs/{id:int}/dues/exemptions", post_exemption);
  routes.both("POST", "/orgs/{id:int}/dues/remittances", post_remittance);
  routes.both("POST", "/orgs/{id:int}/dues/categories", post_category);
  routes.both("GET", "/dues/rates", list_rates);
  routes.both("POST", "/dues/rates", post_rate);
}

}  // namespace chidoan::activity
