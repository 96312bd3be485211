#include "review/classification_routes.hpp"

#include <algorithm>

#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/text/text.hpp"
#include "platform/text/whole.hpp"
#include "review/classification_store.hpp"
#include "review/route_support.hpp"

namespace chidoan::review {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;
namespace cls = classification;


// The scope the level above is asked in: the parent's (a branch never approves itself); the root
// of the tree has none above it but the system administrator.
Result<std::pair<std::optional<org::Org>, auth::Scope>> upper_of(Ctx& ctx, const org::Org& o) {
  if (!o.parent_id) return std::pair{std::optional<org::Org>(), auth::Scope{}};
  CHIDOAN_TRY(parent, org::Store(ctx.db(), *ctx.services.clock).org(*o.parent_id));
  auth::Scope scope = org::scope_of(parent);
  return std::pair{std::optional<org::Org>(parent), scope};
}

Result<org::Org> load_org(Ctx& ctx) { return org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")); }

// A whole number in `f[name]` within [lo, hi], required; invalid on the field otherwise.
Result<int64_t> number(const RawFields& f, const std::string& name, int64_t lo, int64_t hi,
                       const std::string& message) {
  auto it = f.find(name);
  auto v = text::parse_whole(it == f.end() ? std::string_view() : std::string_view(it->second), lo, hi);
  if (!v) return fail(ErrorKind::invalid, message, name);
  return *v;
}

struct WriteInput {
  RawFields fields;
  int64_t year = 0, version = 0;
};

Result<WriteInput> write_input(Ctx& ctx, std::initializer_list<const char*> names) {
  CHIDOAN_TRY(f, web::fields(ctx.req, names));
  WriteInput in{f, 0, 0};
  const int64_t this_year = static_cast<int64_t>(static_cast<int>(ctx.today().year()));
  CHIDOAN_TRY(year, number(f, "year", 1930, this_year, "Năm xếp loại phải là một năm từ 1930 đến " + std::to_string(this_year)));
  CHIDOAN_TRY(version, number(f, "version", 0, INT64_MAX / 2, "Cần phiên bản của bảng điểm đã xem (trường \u201Cversion\u201D)"));
  in.year = year;
  in.version = version;
  return in;
}

std::string sheet_path(int64_t org_id, int64_t year) {
  return "/orgs/" + std::to_string(org_id) + "/classification?year=" + std::to_string(year);
}

Json sheet_json(const cls::Scheme& scheme, const cls::Sheet& s) {
  return Json{{"state", s.state},
              {"version", s.version},
              {"score", s.score ? Json(*s.score) : Json(nullptr)},
              {"proposed_level", s.proposed_level},
              {"level", s.level},
              {"label", s.level.empty() ? "" : cls::level_name(scheme, s.level)},
              {"note", s.note},
              {"confirmed_on", s.confirmed_on},
              {"confirmed_on_vn", s.confirmed_on.empty() ? "" : text::format_date(s.confirmed_on)},
              {"confirmed_by", s.confirmed_by_name},
              {"decided_on", s.decided_on},
              {"decided_on_vn", s.decided_on.empty() ? "" : text::format_date(s.decided_on)},
              {"decided_by", s.decided_by_name},
              {"decided_by_org", s.decided_by_org_name},
              {"decision_note", s.decision_note}};
}

// GET /orgs/{id}/classification?year=Y (default: last year).
Response show_sheet(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx));
  CHIDOAN_CHECK(up, upper_of(ctx, o));
  const bool rater = ctx.allows(Action::rate_members, org::scope_of(o));
  const bool approver = ctx.allows(Action::approve_ratings, up.second);
  if (!rater && !approver) CHIDOAN_CHECK_VOID(ctx.authorize(Action::rate_members, org::scope_of(o)));
  const int64_t this_year = static_cast<int>(ctx.today().year());
  CHIDOAN_CHECK(year, web::int_param(ctx.req, "year", this_year - 1, 1930, this_year));
  cls::Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(v, store.view(o, year));
  const std::string state = v.state();
  const bool editable = state == "none" || state == "draft" || state == "returned";
  Json lines = Json::array();
  for (const auto& l : v.lines) {
    const cls::MeasureInfo* m = cls::measure_info(l.criterion.measure);
    lines.push_back({{"code", l.criterion.code},
                     {"name", l.criterion.name},
                     {"max_points", l.criterion.max_points},
                     {"source", l.source},
                     {"computed", l.source == "computed"},
                     {"no_data", l.criterion.source == "computed" && l.source == "entered"},
                     {"measure", l.criterion.measure},
                     {"measure_label", m ? m->label : ""},
                     {"value", l.value ? Json(*l.value) : Json(nullptr)},
                     {"value_text", l.value ? cls::measure_text(l.criterion.measure, *l.value) : ""},
                     {"points", l.points ? Json(*l.points) : Json(nullptr)},
                     {"has_points", l.points.has_value()},
                     {"note", l.note},
                     {"editable", rater && editable && l.source == "entered"}});
  }
  Json levels = Json::array();
  for (const auto& r : v.scheme.levels)
    levels.push_back({{"level", r.level}, {"label", r.name}, {"min_score", r.min_score}, {"selected", r.level == v.proposal.level}});
  Json view{{"org", org::to_json(o)},
            {"year", year},
            {"years", year_options(ctx, year)},
            {"scheme", {{"code", v.scheme.code}, {"name", v.scheme.name}, {"source", v.scheme.source}}},
            {"state", state},
            {"state_label", cls::state_label(state)},
            {"version", v.version()},
            {"lines", lines},
            {"proposal",
             {{"score", v.proposal.score},
              {"max_score", v.proposal.max_score},
              {"level", v.proposal.level},
              {"label", v.proposal.level.empty() ? "" : cls::level_name(v.scheme, v.proposal.level)},
              {"reasons", v.proposal.reasons},
              {"missing", v.proposal.missing}}},
            {"levels", levels},
            {"sheet", v.sheet ? sheet_json(v.scheme, *v.sheet) : Json(nullptr)},
            {"can_confirm", rater && editable && v.proposal.missing == 0 && !v.proposal.level.empty()},
            {"can_decide", approver && state == "confirmed"},
            {"upper", up.first ? Json(up.first->name) : Json(nullptr)}};
  return web::respond(ctx, "review/classification", view, 200, ctx.t("classification.title"));
}

// POST /orgs/{id}/classification/scores: year, version, criterion, points, note.
Response set_score(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::rate_members, org::scope_of(o)));
  CHIDOAN_CHECK(in, write_input(ctx, {"year", "version", "criterion", "points", "note"}));
  cls::Store store(ctx.db(), *ctx.services.clock);
  cls::Sheet s;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(done, store.set_score(o, in.year, in.version, in.fields["criterion"], in.fields["points"], in.fields["note"], actor_of(ctx)));
    s = done;
    return {};
  }));
  return web::done(ctx, sheet_path(o.id, in.year), Json{{"id", s.id}, {"state", s.state}, {"version", s.version}});
}

// POST /orgs/{id}/classification/confirm: year, version, note.
Response confirm(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::rate_members, org::scope_of(o)));
  CHIDOAN_CHECK(in, write_input(ctx, {"year", "version", "note"}));
  cls::Store store(ctx.db(), *ctx.services.clock);
  cls::Sheet s;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(done, store.confirm(o, in.year, in.version, in.fields["note"], actor_of(ctx)));
    s = done;
    return {};
  }));
  return web::done(ctx, sheet_path(o.id, in.year),
                   Json{{"id", s.id}, {"state", s.state}, {"version", s.version}, {"score", s.score.value_or(0)}, {"proposed_level", s.proposed_level}});
}

// POST /orgs/{id}/classification/approve (year, version, level, note) and …/return (year, version, note).
Response decide(Ctx& ctx, std::string_view step) {
  CHIDOAN_CHECK(o, load_org(ctx));
  CHIDOAN_CHECK(up, upper_of(ctx, o));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::approve_ratings, up.second));
  CHIDOAN_CHECK(in, write_input(ctx, {"year", "version", "level", "note"}));
  cls::Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(current, store.sheet(o.id, in.year));
  if (!current) return web::fail_page(ctx, Error{ErrorKind::not_found, "Chi đoàn chưa có bảng điểm xếp loại năm " + std::to_string(in.year), "year"});
  CHIDOAN_CHECK_VOID(cls::check_step(current->state, step));
  CHIDOAN_CHECK(scheme, store.scheme(current->scheme_id));
  CHIDOAN_CHECK(d, cls::validate_decision(scheme, step, current->proposed_level, in.fields["level"], in.fields["note"]));
  // The root has no level above: the administrator decides for it, recorded as the root itself.
  const org::Org& upper = up.first ? *up.first : o;
  cls::Sheet s;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(done, store.decide(o, in.year, in.version, step, d, upper, actor_of(ctx)));
    s = done;
    return {};
  }));
  return web::done(ctx, sheet_path(o.id, in.year), Json{{"id", s.id}, {"state", s.state}, {"version", s.version}, {"level", s.level}});
}
Response approve(Ctx& ctx) { return decide(ctx, "approve"); }
Response send_back(Ctx& ctx) { return decide(ctx, "return"); }

// GET /orgs/{id}/classifications?year=Y: the branches beneath and where their sheets stand. For
// the level above them (approve_ratings in the org's scope, the scope the sheets of the branches
// below it are approved in); a branch has none beneath: 422 on org_id, as the sheet of a non-branch.
Response list_below(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::approve_ratings, org::scope_of(o)));
  if (o.holds_members)
    return web::fail_page(ctx, Error{ErrorKind::invalid, "Chi đoàn không có chi đoàn trực thuộc để duyệt xếp loại: cấp trên của chi đoàn duyệt", "org_id"});
  const int64_t this_year = static_cast<int>(ctx.today().year());
  CHIDOAN_CHECK(year, web::int_param(ctx.req, "year", this_year - 1, 1930, this_year));
  cls::Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(schemes, store.schemes());
  CHIDOAN_CHECK(list, store.below(o, year));
  Json items = Json::array();
  int64_t waiting = 0;
  for (const auto& b : list) {
    const std::string state = b.sheet ? b.sheet->state : "none";
    waiting += state == "confirmed";
    const std::string level = !b.sheet ? "" : state == "approved" ? b.sheet->level : b.sheet->proposed_level;
    // The level's name in the sheet's own scheme.
    auto scheme = std::find_if(schemes.begin(), schemes.end(), [&](const cls::Scheme& x) { return b.sheet && x.id == b.sheet->scheme_id; });
    items.push_back({{"org", org::to_json(b.org)},
                     {"state", state},
                     {"state_label", cls::state_label(state)},
                     {"waiting", state == "confirmed"},
                     {"score", b.sheet && b.sheet->score ? Json(*b.sheet->score) : Json(nullptr)},
                     {"level", level},
                     {"label", level.empty() || scheme == schemes.end() ? "" : cls::level_name(*scheme, level)},
                     {"href", sheet_path(b.org.id, year)}});
  }
  Json view{{"org", org::to_json(o)}, {"year", year}, {"years", year_options(ctx, year)}, {"items", items},
            {"has_items", !items.empty()}, {"waiting", waiting}};
  return web::respond(ctx, "review/classification_list", view, 200, ctx.t("classification.list_title"));
}

}  // namespace

void add_classification_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/classification", show_sheet);
  routes.both("POST", "/orgs/{id:int}/classification/scores", set_score);
  routes.both("POST", "/orgs/{id:int}/classification/confirm", confirm);
  routes.both("POST", "/orgs/{id:int}/classification/approve", approve);
  routes.both("POST", "/orgs/{id:int}/classification/return", send_back);
  routes.slow("/orgs/{id:int}/classifications", list_below);
}

}  // namespace chidoan::review
