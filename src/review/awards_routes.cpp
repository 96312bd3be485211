#include "review/awards_routes.hpp"

#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/text/text.hpp"
#include "review/awards.hpp"

namespace chidoan::review {
namespace {

using auth::Action;
using http::Response;
using org::scope_of;
using web::Ctx;
using web::Json;

// Members offered in the form's list; above this, the form asks for the member's number.
constexpr int64_t kMemberChoices = 500;

std::string awards_path(int64_t org_id) { return "/orgs/" + std::to_string(org_id) + "/awards"; }

Result<org::Org> load_org(Ctx& ctx, Action action) {
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  return o;
}

Json award_json(const Award& a) {
  return {{"id", a.id},
          {"org_id", a.org_id},
          {"member_id", a.member_id ? Json(*a.member_id) : Json(nullptr)},
          {"recipient_org_id", a.recipient_org_id ? Json(*a.recipient_org_id) : Json(nullptr)},
          {"recipient", a.recipient_name},
          {"recipient_kind", a.member_id ? "member" : "org"},
          {"kind", a.kind},
          {"kind_label", kind_label(a.kind)},
          {"title", a.title},
          {"issuer", a.issuer},
          {"decision_no", a.decision_no},
          {"decision_on", a.decision_on},
          {"decision_on_vn", text::format_date(a.decision_on)},
          {"year", a.year},
          {"note", a.note}};
}

// GET /orgs/{id}/awards[?year=YYYY]: the awards of the subtree (all years, or one), by decision
// date, with the form to record one for those who may.
Response list_awards(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, Action::view_members));
  std::optional<int64_t> year;
  if (!ctx.req.query_param("year").empty()) {
    CHIDOAN_CHECK(y, web::int_param(ctx.req, "year", 0, 1930, 2100));
    year = y;
  }
  CHIDOAN_CHECK(list, AwardStore(ctx.db(), *ctx.services.clock).awards(o.id, year));
  const bool can_manage = ctx.allows(Action::manage_awards, scope_of(o));
  Json items = Json::array();
  for (const auto& a : list) {
    Json j = award_json(a);
    j["can_remove"] = can_manage;
    items.push_back(j);
  }
  Json v{{"org", org::to_json(o)}, {"items", items}, {"has_items", !items.empty()}, {"can_manage", can_manage},
         {"year", year ? Json(*year) : Json(nullptr)}};
  if (can_manage && !ctx.req.wants_json()) {
    org::Store store(ctx.db(), *ctx.services.clock);
    CHIDOAN_CHECK(orgs, store.orgs(o.id));
    Json org_choices = Json::array();
    for (const auto& x : orgs)
      if (x.ended_on.empty()) org_choices.push_back({{"id", x.id}, {"name", x.name}});
    org::MemberQuery q;
    q.limit = kMemberChoices;
    CHIDOAN_CHECK(members, store.members(o, q, ctx.today()));
    Json member_choices = Json::array();
    if (members.total <= kMemberChoices)
      for (const auto& m : members.items) member_choices.push_back({{"id", m.id}, {"name", m.full_name()}});
    Json kinds = Json::array();
    for (const char* k : kAwardKinds) kinds.push_back({{"value", k}, {"label", kind_label(k)}});
    v["org_choices"] = org_choices;
    v["member_choices"] = member_choices;
    v["member_by_number"] = members.total > kMemberChoices;
    v["kinds"] = kinds;
    v["this_year"] = static_cast<int>(ctx.today().year()) - 1;
  }
  return web::respond(ctx, "review/awards", v, 200, ctx.t("awards.title"));
}

// POST /orgs/{id}/awards: records an award in the org's register.
Response add_award(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, Action::manage_awards));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, {"member_id", "recipient_org_id", "kind", "title", "issuer", "decision_no",
                                           "decision_on", "year", "note"}));
  CHIDOAN_CHECK(in, validate_award({raw.begin(), raw.end()}));
  AwardStore store(ctx.db(), *ctx.services.clock);
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.add(o.id, in));
    id = new_id;
    return ctx.audit("create", "award", id, {{"org_id", o.id}, {"kind", in.kind}, {"title", in.title}, {"decision_no", in.decision_no}});
  }));
  return web::done(ctx, awards_path(o.id), Json{{"id", id}}, 201);
}

// POST /awards/{aid}/remove: removes an award (manage_awards on the register's org).
Response remove_award(Ctx& ctx) {
  AwardStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(a, store.award(ctx.req.param_int("aid")));
  CHIDOAN_CHECK(o, org::Store(ctx.db(), *ctx.services.clock).org(a.org_id));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::manage_awards, scope_of(o)));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.remove(a.id));
    return ctx.audit("delete", "award", a.id, {{"org_id", o.id}, {"kind", a.kind}, {"title", a.title}, {"recipient", a.recipient_name}});
  }));
  return web::done(ctx, awards_path(o.id), Json{{"id", a.id}, {"removed", true}});
}

}  // namespace

void add_award_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/awards", list_awards);
  routes.both("POST", "/orgs/{id:int}/awards", add_award);
  routes.both("POST", "/awards/{aid:int}/remove", remove_award);
}

}  // namespace chidoan::review
