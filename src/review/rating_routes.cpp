#include "review/rating_routes.hpp"

#include <algorithm>

#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "platform/text/whole.hpp"
#include "review/rating_rules.hpp"
#include "review/rating_store.hpp"
#include "review/route_support.hpp"

namespace chidoan::review {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::done;
using web::Json;

std::string rating_sheet_path(int64_t branch, int64_t year) { return "/orgs/" + std::to_string(branch) + "/ratings?year=" + std::to_string(year); }

Result<org::Org> load_branch(Ctx& ctx, Action action) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(o, orgs.org(ctx.req.param_int("id")));
  if (action == Action::approve_ratings) {
    // The level above approves: asked on the branch's parent, so a branch never approves itself.
    if (!o.parent_id) {
      if (!ctx.user || ctx.user->role != auth::Role::system_admin)
        return fail(ErrorKind::forbidden, "Chỉ cấp trên của chi đoàn được phê duyệt kết quả đánh giá");
    } else {
      CHIDOAN_TRY(parent, orgs.org(*o.parent_id));
      CHIDOAN_TRY_VOID(ctx.authorize(action, org::scope_of(parent)));
    }
  } else {
    CHIDOAN_TRY_VOID(ctx.authorize(action, org::scope_of(o)));
  }
  if (!o.holds_members) return fail(ErrorKind::not_found, "Chỉ chi đoàn có bảng đánh giá, xếp loại đoàn viên", "id");
  return o;
}


// The year of a write: 1930 to this year (a year is rated once it has begun, never ahead).
Result<int> year_of(const Ctx& ctx, RawFields& f) {
  const int64_t now = current_year(ctx);
  auto y = text::parse_whole(f["year"], 1930, now);
  if (!y) return fail(ErrorKind::invalid, "Năm đánh giá phải là một năm từ 1930 đến " + std::to_string(now), "year");
  return static_cast<int>(*y);
}

Result<int64_t> version_of(RawFields& f, const char* field) {
  auto v = text::parse_whole(f[field], 0, int64_t{1} << 60);
  if (!v) return fail(ErrorKind::invalid, "Cần phiên bản của kết quả đã đọc (trường “" + std::string(field) + "”): tải lại trang", field);
  return *v;
}

std::string when(const std::optional<int64_t>& at) { return at ? text::format_date(local_time(*at).substr(0, 10)) : std::string(); }

// `me`: the signed-in user, who may not decide a rating they confirmed.
Json row_json(const RatingRow& r, bool can_rate, bool can_approve, std::optional<int64_t> me) {
  const std::string state = r.state();
  Json reasons = r.proposal.reasons;
  const char* tenure = r.proposal.tenure == Tenure::rated                     ? "rated"
                       : r.proposal.tenure == Tenure::rated_with_old_comments ? "rated_with_old_comments"
                                                                               : "not_rated_here";
  const bool rated = r.proposal.tenure != Tenure::not_rated_here;
  const RatingInputs& in = r.inputs;
  Json j{{"member_id", r.member_id},
         {"name", r.name},
         {"tenure", tenure},
         {"rated_here", rated},
         {"inputs",
          {{"months_in_branch", in.months_in_branch},
           {"in_branch_at_year_end", in.in_branch_at_year_end},
           {"previous_branch", in.previous_branch},
           {"activities", {{"present", in.activities_present}, {"recorded", in.activities_recorded}}},
           {"meetings", {{"present", in.meetings_present}, {"recorded", in.meetings_recorded}, {"unexcused_absences", in.meeting_absences}}},
           {"study", {{"completed", in.study_completed}, {"expected", in.study_expected}}},
           {"dues", {{"paid_months", in.dues_paid_months}, {"due_months", in.dues_due_months}}},
           {"volunteer_hours", static_cast<double>(in.volunteer_minutes) / 60.0},
           {"volunteer_hours_vn", text::format_decimal(static_cast<double>(in.volunteer_minutes) / 60.0, 1)}}},
         {"proposed_level", r.proposal.level ? Json(*r.proposal.level) : Json(nullptr)},
         {"proposed_label", r.proposal.level ? rating::level_label(*r.proposal.level) : ""},
         {"reasons", reasons},
         {"state", state.empty() ? "none" : state},
         {"state_label", rating::state_label(state)},
         {"version", r.version()}};
  const MemberRating empty;
  const MemberRating& s = r.stored ? *r.stored : empty;
  j["discipline"] = s.judgement.discipline;
  j["conduct"] = s.judgement.conduct;
  j["note"] = s.judgement.note;
  j["chosen_level"] = s.chosen_level ? Json(*s.chosen_level) : Json(nullptr);
  j["level_reason"] = s.level_reason;
  j["level"] = s.level ? Json(*s.level) : Json(nullptr);
  j["level_label"] = s.level ? rating::level_label(*s.level) : "";
  j["confirmed_on"] = when(s.confirmed_at);
  j["confirmed_by"] = s.confirmed_by_name;
  j["decided_on"] = when(s.decided_at);
  j["decided_by"] = s.decided_by_name;
  j["return_reason"] = s.return_reason;
  j["can_edit"] = can_rate && rated && rating::may_edit(state);
  j["can_confirm"] = can_rate && rated && rating::may_confirm(state);
  j["can_decide"] = can_approve && rating::may_decide(state) && !(s.confirmed_by && s.confirmed_by == me);
  // The form's choices, with the current ones selected.
  Json levels = Json::array(), disciplines = Json::array(), conducts = Json::array();
  for (const char* l : kRatingLevels) levels.push_back({{"value", l}, {"label", rating::level_label(l)}, {"selected", s.chosen_level == l}});
  for (const char* d : kDisciplines) disciplines.push_back({{"value", d}, {"label", rating::discipline_label(d)}, {"selected", s.judgement.discipline == d}});
  for (const char* c : kConducts) conducts.push_back({{"value", c}, {"label", rating::conduct_label(c)}, {"selected", s.judgement.conduct == c}});
  j["level_options"] = levels;
  j["discipline_options"] = disciplines;
  j["conduct_options"] = conducts;
  return j;
}

// GET /orgs/{id}/ratings?year=YYYY (default: last year). The committee and the level above see
// the whole sheet; a member of the branch sees only their own row.
Response show_rating_sheet(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_branch(ctx, Action::view_members));
  const int64_t this_year = current_year(ctx);
  CHIDOAN_CHECK(year, web::int_param(ctx.req, "year", this_year - 1, 1930, this_year));
  RatingStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(g, store.guideline_for(year));
  CHIDOAN_CHECK(rows, store.sheet(o, static_cast<int>(year)));
  const int64_t sheet_version = RatingStore::version_of(rows);
  const bool can_rate = ctx.allows(Action::rate_members, org::scope_of(o));
  bool can_approve = false;
  if (o.parent_id) {
    CHIDOAN_CHECK(parent, org::Store(ctx.db(), *ctx.services.clock).org(*o.parent_id));
    can_approve = ctx.allows(Action::approve_ratings, org::scope_of(parent));
  } else {
    can_approve = ctx.user && ctx.user->role == auth::Role::system_admin;
  }
  const bool whole_sheet = can_rate || can_approve;
  if (!whole_sheet)
    std::erase_if(rows, [&](const RatingRow& r) { return !ctx.user->member_id || r.member_id != *ctx.user->member_id; });
  Json items = Json::array();
  std::map<std::string, int64_t> count;
  int64_t confirmable = 0, decidable = 0;
  for (const auto& r : rows) {
    Json j = row_json(r, can_rate, can_approve, ctx.user ? std::optional<int64_t>(ctx.user->user_id) : std::nullopt);
    confirmable += j["can_confirm"].get<bool>();
    decidable += j["can_decide"].get<bool>();
    if (r.stored && r.stored->level && (r.state() == "confirmed" || r.state() == "approved")) ++count[*r.stored->level];
    items.push_back(std::move(j));
  }
  Json levels = Json::array();
  for (const char* l : kRatingLevels) levels.push_back({{"level", l}, {"label", rating::level_label(l)}, {"count", count[l]}});
  Json v{{"org", org::to_json(o)},
         {"year", year},
         {"years", year_options(ctx, year)},
         {"whole_sheet", whole_sheet},
         {"guideline", {{"code", g.code}, {"title", g.title}, {"note", g.note}}},
         {"rows", items},
         {"has_rows", !items.empty()},
         {"levels", levels},
         {"sheet_version", whole_sheet ? Json(sheet_version) : Json(nullptr)},
         {"can_rate", can_rate},
         {"can_approve", can_approve},
         {"can_confirm_all", confirmable > 0},
         {"can_approve_all", decidable > 0}};
  return web::respond(ctx, "review/rating", v, 200, ctx.t("rating.title"));
}

// POST /orgs/{id}/ratings/{mid}: year, version, discipline, conduct, note, level, level_reason.
Response save_entry(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_branch(ctx, Action::rate_members));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"year", "version", "discipline", "conduct", "note", "level", "level_reason"}));
  CHIDOAN_CHECK(year, year_of(ctx, f));
  CHIDOAN_CHECK(version, version_of(f, "version"));
  CHIDOAN_CHECK(entry, rating::validate_entry(RawFields(f.begin(), f.end())));
  const int64_t member = ctx.req.param_int("mid");
  RatingStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK_VOID(ctx.write([&]() { return store.save(o, member, year, version, entry, actor_of(ctx)); }));
  return done(ctx, rating_sheet_path(o.id, year), Json{{"member_id", member}, {"year", year}});
}

// POST /orgs/{id}/ratings/{mid}/confirm: year, version.
Response confirm_one(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_branch(ctx, Action::rate_members));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"year", "version"}));
  CHIDOAN_CHECK(year, year_of(ctx, f));
  CHIDOAN_CHECK(version, version_of(f, "version"));
  const int64_t member = ctx.req.param_int("mid");
  RatingStore store(ctx.db(), *ctx.services.clock);
  std::string level;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.confirm(o, member, year, version, actor_of(ctx)));
    CHIDOAN_TRY(r, store.row(o, member, year));
    level = r.stored->level.value_or("");
    return Result<void>{};
  }));
  return done(ctx, rating_sheet_path(o.id, year), Json{{"member_id", member}, {"year", year}, {"state", "confirmed"}, {"level", level}});
}

// POST /orgs/{id}/ratings/{mid}/decide: year, version, to (approved | returned), reason.
Response decide_one(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_branch(ctx, Action::approve_ratings));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"year", "version", "to", "reason"}));
  CHIDOAN_CHECK(year, year_of(ctx, f));
  CHIDOAN_CHECK(version, version_of(f, "version"));
  CHIDOAN_CHECK(reason, rating::check_decision(f["to"], f["reason"]));
  const int64_t member = ctx.req.param_int("mid");
  RatingStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK_VOID(ctx.write([&]() { return store.decide(o, member, year, version, f["to"], reason, actor_of(ctx)); }));
  return done(ctx, rating_sheet_path(o.id, year), Json{{"member_id", member}, {"year", year}, {"state", f["to"]}});
}

// POST /orgs/{id}/ratings/confirm and /approve: year, sheet_version. Confirming skips the members
// whose judgement the committee has not saved (listed in "skipped").
Response whole_sheet(Ctx& ctx, bool approve) {
  CHIDOAN_CHECK(o, load_branch(ctx, approve ? Action::approve_ratings : Action::rate_members));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"year", "sheet_version"}));
  CHIDOAN_CHECK(year, year_of(ctx, f));
  CHIDOAN_CHECK(version, version_of(f, "sheet_version"));
  RatingStore store(ctx.db(), *ctx.services.clock);
  SheetStep step;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(did, approve ? store.approve_all(o, year, version, actor_of(ctx)) : store.confirm_all(o, year, version, actor_of(ctx)));
    step = did;
    return {};
  }));
  return done(ctx, rating_sheet_path(o.id, year),
              Json{{"year", year}, {"members", step.done}, {"skipped", step.skipped}, {"state", approve ? "approved" : "confirmed"}});
}

Json guideline_json(const RatingGuideline& g) {
  Json ts = Json::array();
  for (const auto& t : g.thresholds)
    ts.push_back({{"level", t.level},
                  {"label", rating::level_label(t.level)},
                  {"min_participation_pct", t.min_participation_pct},
                  {"min_meeting_pct", t.min_meeting_pct},
                  {"max_meeting_absences", t.max_meeting_absences},
                  {"min_study_pct", t.min_study_pct},
                  {"min_dues_pct", t.min_dues_pct},
                  {"min_volunteer_hours", t.min_volunteer_hours},
                  {"max_discipline", t.max_discipline},
                  {"max_discipline_label", rating::discipline_label(t.max_discipline)},
                  {"min_conduct", t.min_conduct},
                  {"min_conduct_label", rating::conduct_label(t.min_conduct)},
                  {"basis", t.basis}});
  return {{"id", g.id}, {"code", g.code}, {"title", g.title}, {"from_year", g.from_year},
          {"to_year", g.to_year ? Json(*g.to_year) : Json(nullptr)}, {"note", g.note}, {"min_months", g.min_months}, {"thresholds", ts}};
}

// GET /rating/guidelines: the guidelines and their thresholds (any signed-in user).
Response list_guidelines(Ctx& ctx) {
  CHIDOAN_CHECK(all, RatingStore(ctx.db(), *ctx.services.clock).guidelines());
  Json items = Json::array();
  for (const auto& g : all) items.push_back(guideline_json(g));
  const bool can_edit = ctx.allows(Action::approve_ratings, auth::Scope{});
  return web::respond(ctx, "review/rating_guidelines", Json{{"items", items}, {"can_edit", can_edit}}, 200, ctx.t("rating.guidelines"));
}

// POST /rating/guidelines/{gid}: code, title, note. Guidelines are national: only a system
// administrator (approve_ratings over the whole tree) corrects them.
Response set_guideline(Ctx& ctx) {
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::approve_ratings, auth::Scope{}));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"code", "title", "note"}));
  CHIDOAN_CHECK(in, rating::validate_guideline(RawFields(f.begin(), f.end())));
  const int64_t id = ctx.req.param_int("gid");
  RatingStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK_VOID(ctx.write([&]() { return store.set_guideline(id, in.code, in.title, in.note, actor_of(ctx)); }));
  return done(ctx, "/rating/guidelines", Json{{"id", id}, {"code", in.code}});
}

Response confirm_all(Ctx& ctx) { return whole_sheet(ctx, false); }
Response approve_all(Ctx& ctx) { return whole_sheet(ctx, true); }

}  // namespace

void add_rating_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/ratings", show_rating_sheet);
  routes.both("POST", "/orgs/{id:int}/ratings/confirm", confirm_all);
  routes.both("POST", "/orgs/{id:int}/ratings/approve", approve_all);
  routes.both("POST", "/orgs/{id:int}/ratings/{mid:int}", save_entry);
  routes.both("POST", "/orgs/{id:int}/ratings/{mid:int}/confirm", confirm_one);
  routes.both("POST", "/orgs/{id:int}/ratings/{mid:int}/decide", decide_one);
  routes.both("GET", "/rating/guidelines", list_guidelines);
  routes.both("POST", "/rating/guidelines/{gid:int}", set_guideline);
}

}  // namespace chidoan::review
