#include "fund/routes.hpp"

#include <map>

#include "fund/receipt.hpp"
#include "fund/rules.hpp"
#include "fund/store.hpp"
#include "fund/views.hpp"
#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/tabular/tabular.hpp"
#include "platform/text/text.hpp"

namespace chidoan::fund {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;

using org::scope_of;

// A campaign as the user may work with it. A campaign of a level above is seen (and collected
// for) by the branches below it: the user acts through their own org.
struct CampaignLoaded {
  Campaign c;
  org::Org organiser;
  bool manage = false;   // the organiser's level: rounds, closing, outflows
  std::optional<org::Org> collector;  // the org whose committee records contributions, if any
};

Result<CampaignLoaded> load(Ctx& ctx, Store& store, org::Store& orgs, int64_t id) {
  CHIDOAN_TRY(c, store.campaign(id));
  CHIDOAN_TRY(organiser, orgs.org(c.org_id));
  CampaignLoaded l{c, organiser, ctx.allows(Action::manage_fund, scope_of(organiser)), std::nullopt};
  bool view = ctx.allows(Action::view_fund, scope_of(organiser));
  CHIDOAN_TRY(home, orgs.org(ctx.user->org_id));
  bool below = home.path.starts_with(organiser.path);
  if (l.manage) l.collector = organiser;
  if (below && ctx.allows(Action::manage_fund, scope_of(home))) l.collector = home;
  view = view || (below && ctx.allows(Action::view_fund, scope_of(home)));
  if (!view) return fail(ErrorKind::forbidden, "Bạn không có quyền xem chiến dịch này");
  return l;
}

// A write to a campaign's ledger, queued in arrival order behind the others of this process
// (store.hpp: ledger_lock).
Result<void> ledger_write(Ctx& ctx, int64_t campaign_id, const std::function<Result<void>()>& fn) {
  std::lock_guard queued(ledger_lock(campaign_id));
  return ctx.write(fn);
}

Result<CampaignLoaded> load(Ctx& ctx, Store& store, org::Store& orgs) { return load(ctx, store, orgs, ctx.req.param_int("id")); }

// Whether the user's collecting org may correct (reverse, receipt, rename) a line collected by
// `collected_by`: its own lines and those of the orgs below it, not another branch's.
// `paths` caches the collectors' paths over one page.
Result<bool> may_correct(const CampaignLoaded& l, org::Store& orgs, int64_t collected_by, std::map<int64_t, std::string>& paths) {
  if (!l.collector) return false;
  auto at = paths.find(collected_by);
  if (at == paths.end()) {
    CHIDOAN_TRY(by, orgs.org(collected_by));
    at = paths.emplace(collected_by, by.path).first;
  }
  return at->second.starts_with(l.collector->path);
}

// Contribution `cid` of the campaign, if the user may correct it.
Result<Contribution> correctable(const CampaignLoaded& l, Store& store, org::Store& orgs, int64_t cid) {
  CHIDOAN_TRY(e, store.contribution(cid));
  if (e.campaign_id != l.c.id) return fail(ErrorKind::not_found, "Không tìm thấy khoản đóng góp", "contribution_id");
  CHIDOAN_TRY(by, orgs.org(e.collected_by));
  if (!l.collector || !by.path.starts_with(l.collector->path))
    return fail(ErrorKind::forbidden, "Khoản này do " + by.name + " ghi: chỉ " + by.name + " hoặc cấp trên điều chỉnh được", "contribution_id");
  return e;
}

Result<int> year_of(Ctx& ctx) {
  CHIDOAN_TRY(y, web::int_param(ctx.req, "year", static_cast<int>(ctx.today().year()), 2000, 2100));
  return static_cast<int>(y);
}

std::string who(const Ctx& ctx) { return ctx.user->display_name.empty() ? ctx.user->username : ctx.user->display_name; }

// The API's campaign list item: rounds with money, money in total, in-kind totals.
Result<Json> campaign_summary(Store& store, const Campaign& c) {
  CHIDOAN_TRY(t, store.totals(c.id));
  CHIDOAN_TRY(rounds, store.by_round(c.id));
  Json r = Json::array();
  for (const auto& b : rounds)
    if (b.key != "0") r.push_back({{"no", std::stoll(b.key)}, {"money_vnd", b.money_vnd}});
  Json items = Json::array();
  for (const auto& i : t.items)
    items.push_back({{"item", i.item}, {"quantity", static_cast<double>(i.quantity_milli) / 1000.0}, {"unit", i.unit}, {"value_vnd", i.value_vnd}});
  return Json{{"id", c.id}, {"name", c.name}, {"organiser", c.org_name}, {"status", c.status}, {"starts_on", c.starts_on},
              {"rounds", r}, {"money_vnd", t.money_vnd}, {"in_kind", items}};
}

Response list_campaigns(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, orgs.org(ctx.req.param_int("id")));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::view_fund, scope_of(o)));
  CHIDOAN_CHECK(year, year_of(ctx));
  CHIDOAN_CHECK(list, store.campaigns_for(o, year));
  Json items = Json::array();
  for (const auto& c : list) {
    CHIDOAN_CHECK(s, campaign_summary(store, c));
    if (!ctx.req.wants_json()) {
      s["money_vn"] = text::format_vnd(s["money_vnd"].get<int64_t>());
      s["starts_vn"] = text::format_date(c.starts_on);
      s["open"] = c.open();
      for (auto& r : s["rounds"]) r["money_vn"] = text::format_vnd(r["money_vnd"].get<int64_t>());
      for (auto& i : s["in_kind"])
        i["quantity_vn"] = rules::format_quantity(std::llround(i["quantity"].get<double>() * 1000));
    }
    items.push_back(s);
  }
  Json v{{"items", items}};
  if (!ctx.req.wants_json()) {
    v["org"] = org::to_json(o);
    v["year"] = year;
    v["prev_year"] = year - 1;
    v["next_year"] = year + 1;
    v["can_manage"] = ctx.allows(Action::manage_fund, scope_of(o)) && o.active();
    v["today"] = to_iso(ctx.today());
  }
  return web::respond(ctx, "fund/list", v, 200, ctx.t("fund.title"));
}

Response create_campaign(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, orgs.org(ctx.req.param_int("id")));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::manage_fund, scope_of(o)));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"name", "purpose", "starts_on", "ends_on", "goal_vnd", "goal_items", "rounds"}));
  RawFields raw(f.begin(), f.end());
  CHIDOAN_CHECK(in, validate_campaign(raw));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_campaign(o, in));
    id = new_id;
    return ctx.audit("create", "campaign", id, {{"org_id", o.id}});
  }));
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(c, store.campaign(id));
    return Response::json(201, to_json(c).dump());
  }
  return Response::redirect("/campaigns/" + std::to_string(id));
}

Response show_campaign(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  CHIDOAN_CHECK(limit, web::int_param(ctx.req, "limit", 50, 1, 500));
  CHIDOAN_CHECK(offset, web::int_param(ctx.req, "offset", 0, 0, 1'000'000'000));
  Json v = to_json(l.c);
  CHIDOAN_CHECK(t, store.totals(l.c.id));
  v["totals"] = to_json(t);
  CHIDOAN_CHECK(rounds, store.by_round(l.c.id));
  CHIDOAN_CHECK(kinds, store.by_contributor_kind(l.c.id));
  CHIDOAN_CHECK(units, store.by_unit(l.c.id));
  CHIDOAN_CHECK(collectors, store.by_collector(l.c.id));
  v["by_round"] = to_json(rounds);
  v["by_contributor_kind"] = to_json(kinds);
  v["by_unit"] = to_json(units);
  v["by_collector"] = to_json(collectors);
  CHIDOAN_CHECK(out, store.outflow_totals(l.c.id));
  v["outflow_totals"] = to_json(out);
  v["balance_vnd"] = t.money_vnd - out.money_vnd;
  CHIDOAN_CHECK(entries, store.ledger(l.c.id, limit, offset));
  Json ledger = Json::array();
  std::map<int64_t, std::string> collector_paths;
  for (const auto& e : entries) {
    ledger.push_back(to_json(e));
    if (!ctx.req.wants_json()) {
      CHIDOAN_CHECK(mine, may_correct(l, orgs, e.collected_by, collector_paths));
      ledger.back()["correctable"] = mine;
    }
  }
  v["ledger"] = ledger;
  CHIDOAN_CHECK(size, store.ledger_size(l.c.id));
  v["ledger_size"] = size;
  CHIDOAN_CHECK(outflows, store.outflows(l.c.id));
  Json o = Json::array();
  for (const auto& x : outflows) o.push_back(to_json(x));
  v["outflows"] = o;
  if (!ctx.req.wants_json()) {
    v["can_manage"] = l.manage;
    v["can_record"] = l.collector.has_value() && l.c.open();
    if (l.collector) {
      v["collector"] = org::to_json(*l.collector);
      auto people = orgs.members(*l.collector, org::MemberQuery{.limit = 500}, ctx.today());
      Json ms = Json::array();
      if (people)
        for (const auto& m : people->items) ms.push_back({{"id", m.id}, {"name", m.full_name()}});
      v["members"] = ms;
      Json us = Json::array();
      auto all = orgs.orgs(l.collector->id);
      if (all)
        for (const auto& b : *all)
          if (auto list = orgs.units(b.id))
            for (const auto& u : *list) us.push_back({{"id", u.id}, {"name", u.name}});
      v["units"] = us;
    }
    v["balance_vn"] = text::format_vnd(v["balance_vnd"].get<int64_t>());
    v["today"] = to_iso(ctx.today());
    v["starts_vn"] = text::format_date(l.c.starts_on);
    v["ends_vn"] = text::format_date(l.c.ends_on);
    v["open"] = l.c.open();
    if (l.c.goal_vnd) v["goal_vn"] = text::format_vnd(*l.c.goal_vnd);
    for (auto& b : v["by_contributor_kind"]) b["label"] = rules::kind_label(b["key"].get<std::string>());
    for (auto& e : v["ledger"]) {
      e["on_date_vn"] = text::format_date(e["on_date"].get<std::string>());
      e["kind_label"] = rules::kind_label(e["contributor_kind"].get<std::string>());
      e["is_money"] = e["kind"] == "money";
      if (e["kind"] == "money") e["amount_vn"] = text::format_vnd(e["amount_vnd"].get<int64_t>());
      else e["quantity_vn"] = rules::format_quantity(std::llround(e["quantity"].get<double>() * 1000));
      const bool open_line = e["reverses_id"].is_null() && e["reversed_by"].is_null() && e["receipt_no"].is_null() && e["correctable"] == true;
      e["reversible"] = open_line && v["can_record"] == true;
      e["receiptable"] = e["reversible"];
    }
    for (auto& x : v["outflows"]) {
      x["on_date_vn"] = text::format_date(x["on_date"].get<std::string>());
      x["reversible"] = l.manage && x["reverses_id"].is_null() && x["reversed_by"].is_null();
      x["is_money"] = x["kind"] == "money";
      if (x["kind"] == "money") x["amount_vn"] = text::format_vnd(x["amount_vnd"].get<int64_t>());
      else x["quantity_vn"] = rules::format_quantity(std::llround(x["quantity"].get<double>() * 1000));
    }
    if (offset + limit < size) v["next_offset"] = offset + limit;
  }
  return web::respond(ctx, "fund/campaign", v, 200, l.c.name);
}

Response record_contribution(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  if (!l.collector) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bạn không ghi được khoản đóng góp cho chiến dịch này", ""});
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"round_no", "kind", "amount_vnd", "item", "quantity", "unit", "value_vnd", "contributor_kind",
                                          "member_id", "unit_id", "contributor_name", "on_date", "method", "note", "receipt"}));
  bool receipt = f["receipt"] == "1" || f["receipt"] == "true" || f["receipt"] == "on";
  f.erase("receipt");
  RawFields raw(f.begin(), f.end());
  CHIDOAN_CHECK(in, rules::validate_contribution(raw, ctx.today()));
  // A member or unit of the collecting org's subtree.
  if (in.member_id) {
    CHIDOAN_CHECK(m, orgs.member(*in.member_id));
    CHIDOAN_CHECK(b, orgs.org(m.branch_id));
    if (!b.path.starts_with(l.collector->path))
      return web::fail_page(ctx, Error{ErrorKind::invalid, "Đoàn viên không thuộc " + l.collector->name, "member_id"});
  }
  if (in.unit_id) {
    auto u = ctx.db().query_one("SELECT o.path FROM units u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?1", {*in.unit_id});
    if (!u || !*u || !(*u)->str(0).starts_with(l.collector->path))
      return web::fail_page(ctx, Error{ErrorKind::invalid, "Đơn vị công tác không thuộc " + l.collector->name, "unit_id"});
  }
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ledger_write(ctx, l.c.id, [&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.record(l.c, in, l.collector->id, who(ctx), receipt));
    id = new_id;
    return ctx.audit("contribution", "campaign", l.c.id, {{"contribution_id", id}, {"kind", in.kind}, {"amount_vnd", in.amount_vnd}});
  }));
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(e, store.contribution(id));
    return Response::json(201, to_json(e).dump());
  }
  return Response::redirect("/campaigns/" + std::to_string(l.c.id));
}

Response reverse_contribution(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  if (!l.collector) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bạn không điều chỉnh được sổ của chiến dịch này", ""});
  CHIDOAN_CHECK(original, correctable(l, store, orgs, ctx.req.param_int("cid")));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"reason", "on_date"}));
  CHIDOAN_CHECK(reason, text::normalize(f["reason"]));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ledger_write(ctx, l.c.id, [&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.reverse(l.c, original.id, f["on_date"], reason, who(ctx), ctx.today()));
    id = new_id;
    return ctx.audit("reverse", "campaign", l.c.id, {{"contribution_id", ctx.req.param_int("cid")}, {"reversal_id", id}});
  }));
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(e, store.contribution(id));
    return Response::json(201, to_json(e).dump());
  }
  return Response::redirect("/campaigns/" + std::to_string(l.c.id));
}

Response issue_receipt(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  if (!l.collector) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bạn không xuất được biên nhận của chiến dịch này", ""});
  CHIDOAN_CHECK(e, correctable(l, store, orgs, ctx.req.param_int("cid")));
  int64_t no = 0;
  CHIDOAN_CHECK_VOID(ledger_write(ctx, l.c.id, [&]() -> Result<void> {
    CHIDOAN_TRY(n, store.issue_receipt(l.c, e.id));
    no = n;
    return ctx.audit("receipt", "campaign", l.c.id, {{"contribution_id", ctx.req.param_int("cid")}, {"receipt_no", no}});
  }));
  if (ctx.req.wants_json()) return Response::json(201, Json{{"receipt_no", no}}.dump());
  return Response::redirect("/campaigns/" + std::to_string(l.c.id));
}

Response edit_contribution(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  if (!l.collector) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bạn không sửa được sổ của chiến dịch này", ""});
  CHIDOAN_CHECK(e, correctable(l, store, orgs, ctx.req.param_int("cid")));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"contributor_name", "note"}));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.edit(e.id, f.contains("contributor_name") && !f["contributor_name"].empty() ? f["contributor_name"] : e.contributor_name,
                                f.contains("note") ? f["note"] : e.note));
    return ctx.audit("edit", "contribution", e.id);
  }));
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(updated, store.contribution(e.id));
    return Response::json(200, to_json(updated).dump());
  }
  return Response::redirect("/campaigns/" + std::to_string(l.c.id));
}

Response receipt_file(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  CHIDOAN_CHECK(e, store.contribution(ctx.req.param_int("cid")));
  if (e.campaign_id != l.c.id || !e.receipt_no)
    return web::fail_page(ctx, Error{ErrorKind::not_found, "Khoản này chưa có biên nhận", "contribution_id"});
  ReceiptData r;
  r.org_name = l.organiser.name;
  if (l.organiser.parent_id) {
    auto p = orgs.org(*l.organiser.parent_id);
    if (p) r.parent_name = p->name;
  }
  r.campaign_name = l.c.name;
  r.receipt_no = *e.receipt_no;
  r.date = e.on_date;
  r.contributor = e.contributor_kind == "anonymous" ? "Ẩn danh" : e.contributor_name;
  r.contributor_kind_label = rules::kind_label(e.contributor_kind);
  for (const auto& round : l.c.rounds)
    if (e.round_no == round.no) r.round = round.name;
  r.in_kind = e.kind == "in_kind";
  r.amount_vnd = e.amount_vnd;
  r.item = e.item;
  r.quantity = rules::format_quantity(e.quantity_milli);
  r.unit = e.unit;
  r.value_vnd = e.value_vnd;
  r.method = rules::method_label(e.method);
  r.recorded_by = e.recorded_by;
  r.note = e.note;
  CHIDOAN_CHECK(pdf, receipt_pdf(r));
  Response res;
  res.body = pdf;
  res.header("Content-Type", "application/pdf");
  res.header("Content-Disposition", "inline; filename=\"bien-nhan-" + std::to_string(r.receipt_no) + ".pdf\"");
  return res;
}

Response record_outflow(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  if (!l.manage) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ cấp tổ chức chiến dịch ghi khoản chi", ""});
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"round_no", "on_date", "description", "recipients", "recipients_consented", "kind", "amount_vnd",
                                          "item", "quantity", "unit", "value_vnd"}));
  Outflow o;
  CHIDOAN_CHECK(round, web::optional_id(f, "round_no"));
  o.round_no = round;
  o.on_date = f["on_date"].empty() ? to_iso(ctx.today()) : f["on_date"];
  CHIDOAN_CHECK(desc, text::normalize(f["description"]));
  CHIDOAN_CHECK(recipients, text::normalize(f["recipients"]));
  o.description = desc;
  o.recipients = recipients;
  o.recipients_consented = f["recipients_consented"] == "1" || f["recipients_consented"] == "true" || f["recipients_consented"] == "on";
  o.kind = f["kind"].empty() ? "money" : f["kind"];
  if (o.kind == "money") {
    CHIDOAN_CHECK(amount, rules::parse_vnd(f["amount_vnd"], "amount_vnd"));
    o.amount_vnd = amount;
  } else if (o.kind == "in_kind") {
    CHIDOAN_CHECK(item, text::normalize(f["item"]));
    if (item.empty()) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chưa ghi tên hiện vật", "item"});
    o.item = item;
    CHIDOAN_CHECK(q, rules::parse_quantity(f["quantity"], "quantity"));
    o.quantity_milli = q;
    CHIDOAN_CHECK(unit, text::normalize(f["unit"]));
    if (unit.empty()) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chưa ghi đơn vị tính", "unit"});
    o.unit = unit;
    if (!f["value_vnd"].empty()) {
      CHIDOAN_CHECK(v, rules::parse_vnd(f["value_vnd"], "value_vnd", true));
      o.value_vnd = v;
    }
  } else {
    return web::fail_page(ctx, Error{ErrorKind::invalid, "Loại phải là tiền hoặc hiện vật", "kind"});
  }
  o.recorded_by = who(ctx);
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.record_outflow(l.c, o, ctx.today()));
    id = new_id;
    return ctx.audit("outflow", "campaign", l.c.id, {{"outflow_id", id}});
  }));
  if (ctx.req.wants_json()) return Response::json(201, Json{{"id", id}}.dump());
  return Response::redirect("/campaigns/" + std::to_string(l.c.id));
}

Response reverse_outflow(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  if (!l.manage) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ cấp tổ chức chiến dịch điều chỉnh khoản chi", ""});
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"reason", "on_date"}));
  CHIDOAN_CHECK(reason, text::normalize(f["reason"]));
  const int64_t original = ctx.req.param_int("oid");
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.reverse_outflow(l.c, original, f["on_date"], reason, who(ctx), ctx.today()));
    id = new_id;
    return ctx.audit("reverse_outflow", "campaign", l.c.id, {{"outflow_id", original}, {"reversal_id", id}});
  }));
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(o, store.outflow(id));
    return Response::json(201, to_json(o).dump());
  }
  return Response::redirect("/campaigns/" + std::to_string(l.c.id));
}

Response set_status(Ctx& ctx, const char* status) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  if (!l.manage) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ cấp tổ chức chiến dịch đóng, mở được chiến dịch", ""});
  // In the ledger's queue: a close waits for the lines before it and the lines after it see it.
  CHIDOAN_CHECK_VOID(ledger_write(ctx, l.c.id, [&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_status(l.c.id, status));
    return ctx.audit(status, "campaign", l.c.id);
  }));
  return ctx.req.wants_json() ? Response::json(200, Json{{"status", status}}.dump()) : Response::redirect("/campaigns/" + std::to_string(l.c.id));
}

Response add_round(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  if (!l.manage) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ cấp tổ chức chiến dịch thêm đợt", ""});
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"name", "starts_on"}));
  std::string starts = f["starts_on"].empty() ? to_iso(ctx.today()) : f["starts_on"];
  if (!parse_date(starts)) return web::fail_page(ctx, Error{ErrorKind::invalid, "Ngày không hợp lệ", "starts_on"});
  CHIDOAN_CHECK(name, text::normalize(f["name"]));
  int64_t no = 0;
  CHIDOAN_CHECK_VOID(ledger_write(ctx, l.c.id, [&]() -> Result<void> {
    CHIDOAN_TRY(n, store.add_next_round(l.c, name, starts));
    no = n;
    return ctx.audit("add_round", "campaign", l.c.id, {{"no", no}});
  }));
  return ctx.req.wants_json() ? Response::json(201, Json{{"no", no}}.dump()) : Response::redirect("/campaigns/" + std::to_string(l.c.id));
}

Response export_ledger(Ctx& ctx, bool xlsx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load(ctx, store, orgs));
  CHIDOAN_CHECK(size, store.ledger_size(l.c.id));
  CHIDOAN_CHECK(entries, store.ledger(l.c.id, size + 1, 0));
  tabular::Table t;
  t.header = {"STT", "Ngày", "Đợt", "Người đóng góp", "Loại", "Số tiền (đồng)", "Hiện vật", "Số lượng", "Đơn vị tính",
              "Giá trị ước tính (đồng)", "Hình thức", "Biên nhận số", "Điều chỉnh cho khoản", "Ghi chú"};
  size_t n = 0;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    const auto& e = *it;
    t.rows.push_back({std::to_string(++n), text::format_date(e.on_date), e.round_no ? std::to_string(*e.round_no) : "",
                      e.contributor_kind == "anonymous" ? "Ẩn danh" : e.contributor_name, rules::kind_label(e.contributor_kind),
                      e.kind == "money" ? std::to_string(e.amount_vnd) : "", e.item,
                      e.kind == "in_kind" ? rules::format_quantity(e.quantity_milli) : "", e.unit,
                      e.kind == "in_kind" ? std::to_string(e.value_vnd) : "", rules::method_label(e.method),
                      e.receipt_no ? std::to_string(*e.receipt_no) : "", e.reverses_id ? std::to_string(*e.reverses_id) : "", e.note});
  }
  Response r;
  if (xlsx) {
    CHIDOAN_CHECK(bytes, tabular::write_xlsx(t, "Sổ đóng góp"));
    r.body = bytes;
    r.header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  } else {
    r.body = tabular::write_csv(t);
    r.header("Content-Type", "text/csv; charset=utf-8");
  }
  r.header("Content-Disposition", std::string("attachment; filename=\"chien-dich-") + std::to_string(l.c.id) + (xlsx ? ".xlsx\"" : ".csv\""));
  return r;
}

}  // namespace

void add_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/campaigns", list_campaigns);
  routes.both("POST", "/orgs/{id:int}/campaigns", create_campaign);
  routes.both("GET", "/campaigns/{id:int}", show_campaign);
  routes.both("POST", "/campaigns/{id:int}/contributions", record_contribution);
  routes.both("POST", "/campaigns/{id:int}/contributions/{cid:int}/reverse", reverse_contribution);
  routes.both("POST", "/campaigns/{id:int}/contributions/{cid:int}/receipt", issue_receipt);
  routes.page("POST", "/campaigns/{id:int}/contributions/{cid:int}/edit", edit_contribution);
  routes.api("PATCH", "/campaigns/{id:int}/contributions/{cid:int}", edit_contribution);
  routes.both("GET", "/campaigns/{id:int}/contributions/{cid:int}/receipt.pdf", receipt_file);
  routes.both("POST", "/campaigns/{id:int}/outflows", record_outflow);
  routes.both("POST", "/campaigns/{id:int}/outflows/{oid:int}/reverse", reverse_outflow);
  routes.both("POST", "/campaigns/{id:int}/rounds", add_round);
  routes.both("POST", "/campaigns/{id:int}/close", [](Ctx& c) { return set_status(c, "closed"); });
  routes.both("POST", "/campaigns/{id:int}/reopen", [](Ctx& c) { return set_status(c, "open"); });
  routes.both("GET", "/campaigns/{id:int}/export.csv", [](Ctx& c) { return export_ledger(c, false); });
  routes.both("GET", "/campaigns/{id:int}/export.xlsx", [](Ctx& c) { return export_ledger(c, true); });
}

}  // namespace chidoan::fund
