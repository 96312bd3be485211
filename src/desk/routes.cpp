#include "desk/routes.hpp"

#include <map>
#include <set>

#include "activity/feeds.hpp"
#include "desk/store.hpp"
#include "desk/support.hpp"
#include "desk/views.hpp"
#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"

namespace chidoan::desk {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;

using org::scope_of;

using web::done;

// The signed-in user's member profile, needed for their own shifts.
Result<int64_t> own_member(const Ctx& ctx) {
  if (!ctx.user || !ctx.user->member_id) return fail(ErrorKind::forbidden, "Tài khoản chưa gắn với hồ sơ đoàn viên nào");
  return *ctx.user->member_id;
}

// A shift with its period and center, after the policy allowed `action`.
struct ShiftCtx {
  Shift shift;
  Period period;
  CenterCtx center;
};
Result<ShiftCtx> load_shift(Ctx& ctx, Store& store, int64_t shift_id, Action action) {
  CHIDOAN_TRY(s, store.shift(shift_id));
  CHIDOAN_TRY(p, store.period(s.period_id));
  CHIDOAN_TRY(c, load_center(ctx, p.center_id, action));
  return ShiftCtx{s, p, c};
}

std::string period_url(int64_t id) { return "/desk/periods/" + std::to_string(id); }
std::string center_url(int64_t id) { return "/desk/centers/" + std::to_string(id); }

// An instant from a form ("YYYY-MM-DDTHH:MM", Vietnam time), or now when empty.
Result<int64_t> instant_field(const RawFields& f, const std::string& name, int64_t now) {
  auto it = f.find(name);
  if (it == f.end() || it->second.empty()) return now;
  const std::string& v = it->second;
  if (v.size() != 16 || v[10] != 'T' || !parse_date(v.substr(0, 10)) || !rules::clock_minutes(v.substr(11), name))
    return fail(ErrorKind::invalid, "Thời điểm phải viết dạng YYYY-MM-DDTHH:MM", name);
  return unix_of_local(v);
}

// ---- centers ------------------------------------------------------------------------------

Response list_centers(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, orgs.org(ctx.req.param_int("id")));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::view_desk, scope_of(o)));
  Json items = Json::array();
  for (int64_t org_id : org::Store::path_ids(o.path)) {
    CHIDOAN_CHECK(list, store.centers(org_id));
    for (const auto& c : list) items.push_back(center_json(c));
  }
  Json v{{"items", items}};
  if (!ctx.req.wants_json()) {
    v["org"] = org::to_json(o);
    v["can_create"] = ctx.allows(Action::manage_desk, scope_of(o)) && o.active();
    v["is_member"] = ctx.user->member_id.has_value();
  }
  return web::respond(ctx, "desk/centers", v, 200, ctx.t("desk.title"));
}

Result<CenterInput> center_input(RawFields f) {
  CenterInput in;
  CHIDOAN_TRY(name, text::normalize(f["name"]));
  CHIDOAN_TRY(address, text::normalize(f["address"]));
  in.name = name;
  in.address = address;
  CHIDOAN_TRY(week, int_field(f, "max_shifts_per_week", 1, 14, 3));
  CHIDOAN_TRY(rest, int_field(f, "min_rest_minutes", 0, 1440, 0));
  CHIDOAN_TRY(limit, int_field(f, "no_show_limit", 1, 100, 3));
  in.max_shifts_per_week = static_cast<int>(week);
  in.min_rest_minutes = static_cast<int>(rest);
  in.no_show_limit = static_cast<int>(limit);
  return in;
}

Response create_center(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::manage_desk, scope_of(o)));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"name", "address", "max_shifts_per_week", "min_rest_minutes", "no_show_limit"}));
  CHIDOAN_CHECK(in, center_input(f));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_center(o.id, in));
    id = new_id;
    return ctx.audit("create", "desk_center", id, {{"org_id", o.id}, {"name", in.name}});
  }));
  return done(ctx, center_url(id), Json{{"id", id}}, 201);
}

Response update_center(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"name", "address", "max_shifts_per_week", "min_rest_minutes", "no_show_limit"}));
  CHIDOAN_CHECK(in, center_input(f));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.update_center(l.center.id, in));
    return ctx.audit("update", "desk_center", l.center.id, {{"name", in.name}});
  }));
  return done(ctx, center_url(l.center.id), Json{{"id", l.center.id}});
}

Response show_center(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::view_desk));
  CHIDOAN_CHECK(counters, store.counters(l.center.id));
  CHIDOAN_CHECK(templates, store.templates(l.center.id));
  CHIDOAN_CHECK(periods, store.periods(l.center.id));
  Json v = center_json(l.center);
  v["counters"] = Json::array();
  for (const auto& c : counters) v["counters"].push_back(to_json(c));
  v["templates"] = Json::array();
  for (const auto& t : templates) {
    Json j = to_json(t);
    if (!ctx.req.wants_json()) {
      std::string days;
      for (char d : t.weekdays) days += (days.empty() ? "" : ", ") + std::string(d == '7' ? "CN" : "T" + std::to_string(d - '0' + 1));
      j["weekdays_vn"] = days;
    }
    v["templates"].push_back(j);
  }
  v["periods"] = Json::array();
  for (const auto& p : periods) {
    Json j = to_json(p);
    j["month_vn"] = month_label(p.month);
    v["periods"].push_back(j);
  }
  if (!ctx.req.wants_json()) {
    v["org"] = org::to_json(l.org);
    v["coordinator"] = l.coordinator;
    v["next_month"] = rules::add_months(to_iso(ctx.today()).substr(0, 7), 1);
    v["has_counters"] = !counters.empty();
    v["is_member"] = ctx.user->member_id.has_value();
  }
  return web::respond(ctx, "desk/center", v, 200, l.center.name);
}

Response add_counter(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"name"}));
  CHIDOAN_CHECK(name, text::normalize(f["name"]));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.add_counter(l.center.id, name));
    id = new_id;
    return ctx.audit("create", "desk_counter", id, {{"center_id", l.center.id}, {"name", name}});
  }));
  return done(ctx, center_url(l.center.id), Json{{"id", id}}, 201);
}

Response add_template(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"name", "counter_id", "weekdays", "start_time", "end_time", "min_staff", "max_staff"}));
  Template t;
  t.center_id = l.center.id;
  CHIDOAN_CHECK(name, text::normalize(f["name"]));
  t.name = name;
  CHIDOAN_CHECK(counter, int_field(f, "counter_id", 1, INT64_MAX));
  t.counter_id = counter;
  // Weekdays: "12345", or the repeated checkboxes joined with commas ("1,2,3").
  for (char c : f["weekdays"])
    if (c != ',' && c != ' ') t.weekdays += c;
  t.start_time = f["start_time"];
  t.end_time = f["end_time"];
  CHIDOAN_CHECK(min_staff, int_field(f, "min_staff", -1000, 1000));
  CHIDOAN_CHECK(max_staff, int_field(f, "max_staff", -1000, 1000));
  t.min_staff = static_cast<int>(min_staff);
  t.max_staff = static_cast<int>(max_staff);
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.add_template(t));
    id = new_id;
    return ctx.audit("create", "desk_template", id, to_json(t));
  }));
  return done(ctx, center_url(l.center.id), Json{{"id", id}}, 201);
}

Response set_template_active(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(t, store.template_(ctx.req.param_int("tid")));
  CHIDOAN_CHECK(l, load_center(ctx, t.center_id, Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"active"}));
  if (f["active"] != "0" && f["active"] != "1") return web::fail_page(ctx, Error{ErrorKind::invalid, "Giá trị phải là 0 hoặc 1", "active"});
  bool active = f["active"] == "1";
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_template_active(t.id, active));
    return ctx.audit(active ? "activate" : "deactivate", "desk_template", t.id);
  }));
  return done(ctx, center_url(l.center.id), Json{{"id", t.id}, {"active", active}});
}

Response open_period(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"month"}));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.open_period(l.center.id, f["month"]));
    id = new_id;
    return ctx.audit("create", "desk_period", id, {{"center_id", l.center.id}, {"month", f["month"]}});
  }));
  return done(ctx, period_url(id), Json{{"id", id}}, 201);
}

// ---- the roster of a period -----------------------------------------------------------------

// The period's roster as JSON: shifts with who is on them; for pages, grouped by day with what
// the signed-in member may do.
Result<Json> period_view(Ctx& ctx, Store& store, const CenterCtx& l, const Period& p) {
  CHIDOAN_TRY(shifts, store.shifts(p.id));
  CHIDOAN_TRY(on_duty, store.assignments(p.id));
  CHIDOAN_TRY(requests, store.requests(p.id, true));
  std::optional<int64_t> me;
  if (ctx.user && ctx.user->member_id) me = *ctx.user->member_id;
  const int64_t me_id = me.value_or(0);  // 0: the user has no member profile
  std::map<int64_t, bool> my_avail;  // shift -> preferred
  if (me) {
    CHIDOAN_TRY(mine, store.availability_of(p.id, *me));
    for (const auto& a : mine) my_avail[a.shift_id] = a.preferred;
  }
  std::map<int64_t, std::vector<Assignment>> by_shift;
  for (const auto& a : on_duty) by_shift[a.shift_id].push_back(a);
  std::map<int64_t, std::vector<Request>> requests_of;
  for (const auto& r : requests) requests_of[r.shift_id].push_back(r);
  const int64_t now = ctx.services.clock->unix_seconds();
  const bool page = !ctx.req.wants_json();

  Json v = to_json(p);
  v["center"] = center_json(l.center);
  v["shifts"] = Json::array();
  Json days = Json::array();
  int64_t minutes_total = 0;
  std::map<int64_t, std::pair<std::string, int64_t>> hours;  // member -> name, checked minutes
  for (const auto& s : shifts) {
    Json j = to_json(s);
    j["staff"] = Json::array();
    bool mine = false;
    for (const auto& a : by_shift[s.id]) {
      Json aj = to_json(a);
      aj["mine"] = false;
      if (a.member_id == me_id) {
        mine = true;
        aj["mine"] = true;
        j["my_assignment_id"] = a.id;
      }
      if (page) {
        aj["check_in_vn"] = a.check_in_at ? clock_label(*a.check_in_at) : "";
        aj["check_out_vn"] = a.check_out_at ? clock_label(*a.check_out_at) : "";
        aj["started"] = now >= s.starts_at;
      }
      hours[a.member_id].first = a.member_name;
      hours[a.member_id].second += a.minutes;
      minutes_total += a.minutes;
      j["staff"].push_back(aj);
    }
    int staff = static_cast<int>(by_shift[s.id].size());
    j["staff_count"] = staff;
    j["short"] = staff < s.min_staff;
    j["requests"] = Json::array();
    for (const auto& r : requests_of[s.id]) {
      Json rj = to_json(r);
      if (page) {
        rj["is_swap"] = r.kind == "swap";
        rj["mine"] = r.from_member_id == me_id;
        rj["can_accept"] = r.kind == "swap" && me_id != 0 && r.from_member_id != me_id && !mine && r.to_member_id.value_or(me_id) == me_id;
      }
      j["requests"].push_back(rj);
    }
    if (page) {
      j["time_vn"] = clock_label(s.starts_at) + "–" + clock_label(s.ends_at);
      j["mine"] = mine;
      j["started"] = now >= s.starts_at;
      j["can_sign_up"] = me && !mine && now < s.starts_at && staff < s.max_staff;
      j["available"] = my_avail.contains(s.id);
      j["preferred"] = my_avail.contains(s.id) && my_avail[s.id];
      if (days.empty() || days.back()["date"] != s.on_date) days.push_back(Json{{"date", s.on_date}, {"label", day_label(s.on_date)}, {"shifts", Json::array()}});
      days.back()["shifts"].push_back(j);
    }
    v["shifts"].push_back(j);
  }
  v["hours"] = Json::array();
  for (const auto& [member_id, h] : hours)
    v["hours"].push_back(Json{{"member_id", member_id}, {"name", h.first}, {"minutes", h.second},
                              {"hours_vn", text::format_decimal(static_cast<double>(h.second) / 60.0, 1)}});
  v["minutes"] = minutes_total;
  if (page) {
    v["days"] = days;
    v["org"] = org::to_json(l.org);
    v["coordinator"] = l.coordinator;
    v["month_vn"] = month_label(p.month);
    v["is_member"] = me.has_value();
    if (l.coordinator) {
      CHIDOAN_TRY(people, store.volunteers(l.center));
      Json list = Json::array();
      for (const auto& person : people) list.push_back(Json{{"id", person.member_id}, {"name", person.name}});
      v["volunteers"] = list;
    }
  }
  return v;
}

Response show_period(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(p, store.period(ctx.req.param_int("pid")));
  CHIDOAN_CHECK(l, load_center(ctx, p.center_id, Action::view_desk));
  CHIDOAN_CHECK(v, period_view(ctx, store, l, p));
  return web::respond(ctx, "desk/period", v, 200, ctx.t("desk.roster") + " " + month_label(p.month));
}

Response set_availability(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(p, store.period(ctx.req.param_int("pid")));
  CHIDOAN_CHECK(l, load_center(ctx, p.center_id, Action::view_desk));
  CHIDOAN_CHECK(me, own_member(ctx));
  CHIDOAN_CHECK(volunteer, store.is_volunteer(l.center, me));
  if (!volunteer) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bạn không thuộc chi đoàn trực tại trung tâm này", ""});
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"available", "preferred"}));
  CHIDOAN_CHECK(available, web::id_list(f["available"], "available"));
  CHIDOAN_CHECK(preferred, web::id_list(f["preferred"], "preferred"));
  std::set<int64_t> avail_set(available.begin(), available.end()), pref_set(preferred.begin(), preferred.end());
  std::vector<Availability> rows;
  for (int64_t id : avail_set) rows.push_back({id, me, pref_set.contains(id)});
  for (int64_t id : pref_set)  // a preferred shift is an available one
    if (!avail_set.contains(id)) rows.push_back({id, me, true});
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_availability(p.id, me, rows));
    return ctx.audit("set_availability", "desk_period", p.id, {{"shifts", rows.size()}});
  }));
  return done(ctx, period_url(p.id) + "#availability", Json{{"shifts", rows.size()}});
}

Response auto_roster(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(p, store.period(ctx.req.param_int("pid")));
  CHIDOAN_CHECK(l, load_center(ctx, p.center_id, Action::manage_desk));
  Store::RosterOutcome outcome;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(o, store.auto_roster(l.center, p));
    outcome = o;
    if (!o.shortfalls.empty()) return {};  // nothing was written
    return ctx.audit("auto_roster", "desk_period", p.id, {{"added", o.added.size()}});
  }));
  if (outcome.shortfalls.empty()) return done(ctx, period_url(p.id), Json{{"added", outcome.added.size()}});
  // The roster cannot be filled: say which shifts and why.
  Json shortfalls = Json::array();
  for (const auto& s : outcome.shortfalls) shortfalls.push_back(to_json(s));
  std::string message = "Không xếp được lịch: " + std::to_string(outcome.shortfalls.size()) + " ca không đủ người. Chưa ghi gì.";
  if (ctx.req.wants_json())
    return Response::json(422, Json{{"error", {{"kind", "invalid"}, {"message", message}, {"field", "shifts"}, {"shortfalls", shortfalls}}}}.dump());
  CHIDOAN_CHECK(v, period_view(ctx, store, l, p));
  CHIDOAN_CHECK(shifts, store.shifts(p.id));
  std::map<int64_t, const Shift*> by_id;
  for (const auto& s : shifts) by_id[s.id] = &s;
  for (auto& s : shortfalls) {
    auto it = by_id.find(s["shift_id"].get<int64_t>());
    if (it != by_id.end()) s["shift_vn"] = day_label(it->second->on_date) + " " + it->second->template_name + " (" + it->second->counter_name + ")";
  }
  v["shortfalls"] = shortfalls;
  v["shortfall_message"] = message;
  return web::respond(ctx, "desk/period", v, 422, ctx.t("desk.roster") + " " + month_label(p.month));
}

// ---- a member on a shift ------------------------------------------------------------------

// Puts `member` on the shift (rules::check_take inside the store) and answers with the new id.
Response put_on_shift(Ctx& ctx, Store& store, const ShiftCtx& l, int64_t member, const char* source, const char* action) {
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.take(l.center.center, l.shift, member, source));
    id = new_id;
    return ctx.audit(action, "desk_shift", l.shift.id, {{"member_id", member}});
  }));
  return done(ctx, period_url(l.period.id) + "#shift-" + std::to_string(l.shift.id), Json{{"id", id}}, 201);
}

Response sign_up(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_shift(ctx, store, ctx.req.param_int("sid"), Action::view_desk));
  CHIDOAN_CHECK(me, own_member(ctx));
  return put_on_shift(ctx, store, l, me, "signup", "sign_up");
}

// A member leaves a shift: at once when it starts in more than 24 hours, else a drop request
// for the coordinators.
Response drop(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_shift(ctx, store, ctx.req.param_int("sid"), Action::view_desk));
  CHIDOAN_CHECK(me, own_member(ctx));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"note"}));
  CHIDOAN_CHECK(note, text::normalize(f["note"]));
  bool needs_coordinator = rules::drop_needs_coordinator(l.shift, ctx.services.clock->unix_seconds());
  int64_t request_id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    if (!needs_coordinator) {
      CHIDOAN_TRY_VOID(store.remove(l.shift.id, me));
      return ctx.audit("drop", "desk_shift", l.shift.id, {{"member_id", me}});
    }
    Request r;
    r.kind = "drop";
    r.shift_id = l.shift.id;
    r.from_member_id = me;
    r.note = note;
    CHIDOAN_TRY(id, store.create_request(r));
    request_id = id;
    return ctx.audit("request_drop", "desk_shift", l.shift.id, {{"member_id", me}, {"request_id", id}});
  }));
  Json body{{"dropped", !needs_coordinator}};
  if (needs_coordinator) body["request_id"] = request_id;
  return done(ctx, period_url(l.period.id) + "#shift-" + std::to_string(l.shift.id), body, needs_coordinator ? 202 : 200);
}

Response offer_swap(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_shift(ctx, store, ctx.req.param_int("sid"), Action::view_desk));
  CHIDOAN_CHECK(me, own_member(ctx));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"to_member_id", "note"}));
  CHIDOAN_CHECK(to, web::optional_id(f, "to_member_id"));
  CHIDOAN_CHECK(note, text::normalize(f["note"]));
  if (to) {
    CHIDOAN_CHECK(volunteer, store.is_volunteer(l.center.center, *to));
    if (!volunteer) return web::fail_page(ctx, Error{ErrorKind::invalid, "Người nhận không thuộc chi đoàn trực tại trung tâm", "to_member_id"});
  }
  Request r;
  r.kind = "swap";
  r.shift_id = l.shift.id;
  r.from_member_id = me;
  r.to_member_id = to;
  r.note = note;
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_request(r));
    id = new_id;
    return ctx.audit("offer_swap", "desk_shift", l.shift.id, {{"request_id", id}});
  }));
  return done(ctx, period_url(l.period.id) + "#shift-" + std::to_string(l.shift.id), Json{{"id", id}}, 201);
}

Response assign(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_shift(ctx, store, ctx.req.param_int("sid"), Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"member_id"}));
  CHIDOAN_CHECK(member, int_field(f, "member_id", 1, INT64_MAX));
  return put_on_shift(ctx, store, l, member, "coordinator", "assign");
}

Response unassign(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_shift(ctx, store, ctx.req.param_int("sid"), Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"member_id"}));
  CHIDOAN_CHECK(member, int_field(f, "member_id", 1, INT64_MAX));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.remove(l.shift.id, member));
    return ctx.audit("unassign", "desk_shift", l.shift.id, {{"member_id", member}});
  }));
  return done(ctx, period_url(l.period.id) + "#shift-" + std::to_string(l.shift.id), Json{{"member_id", member}});
}

// ---- requests -------------------------------------------------------------------------------

// verb: accept (a swap, by the member taking it), approve / refuse (a drop, by a coordinator),
// cancel (by the member who asked).
Response decide_request(Ctx& ctx, const std::string& verb) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(r, store.request(ctx.req.param_int("rid")));
  const bool coordinating = verb == "approve" || verb == "refuse";
  CHIDOAN_CHECK(l, load_shift(ctx, store, r.shift_id, coordinating ? Action::manage_desk : Action::view_desk));
  std::optional<int64_t> me = ctx.user->member_id;
  if (!coordinating && !me) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Tài khoản chưa gắn với hồ sơ đoàn viên nào", ""});
  if (verb == "cancel" && r.from_member_id != *me)
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ người gửi yêu cầu được huỷ", ""});
  if (coordinating && r.kind != "drop")
    return web::fail_page(ctx, Error{ErrorKind::conflict, "Yêu cầu đổi ca có hiệu lực khi có người nhận, không cần duyệt", "request_id"});
  if (verb == "accept" && r.kind != "swap") return web::fail_page(ctx, Error{ErrorKind::conflict, "Đây không phải yêu cầu đổi ca", "request_id"});
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    if (verb == "accept") {
      CHIDOAN_TRY_VOID(store.accept_swap(l.center.center, r, *me));
    } else if (verb == "approve") {
      CHIDOAN_TRY_VOID(store.decide(r.id, "approved", me));
      CHIDOAN_TRY_VOID(store.remove(r.shift_id, r.from_member_id));
    } else {
      CHIDOAN_TRY_VOID(store.decide(r.id, verb == "refuse" ? "refused" : "cancelled", me));
    }
    return ctx.audit(verb, "desk_request", r.id, {{"shift_id", r.shift_id}, {"kind", r.kind}});
  }));
  return done(ctx, period_url(l.period.id) + "#shift-" + std::to_string(l.shift.id), Json{{"id", r.id}});
}

Response accept_request(Ctx& ctx) { return decide_request(ctx, "accept"); }
Response approve_request(Ctx& ctx) { return decide_request(ctx, "approve"); }
Response refuse_request(Ctx& ctx) { return decide_request(ctx, "refuse"); }
Response cancel_request(Ctx& ctx) { return decide_request(ctx, "cancel"); }

// ---- hours ----------------------------------------------------------------------------------

// The assignment, for its member or a coordinator of its center (only they may set the time).
struct AssignmentCtx {
  Assignment assignment;
  ShiftCtx shift;
};
Result<AssignmentCtx> load_assignment(Ctx& ctx, Store& store, int64_t id, bool coordinators_only) {
  CHIDOAN_TRY(a, store.assignment(id));
  CHIDOAN_TRY(s, load_shift(ctx, store, a.shift_id, Action::view_desk));
  bool self = ctx.user->member_id == a.member_id;
  if (!s.center.coordinator && (coordinators_only || !self))
    return fail(ErrorKind::forbidden, "Chỉ chính người trực hoặc điều phối viên được làm việc này");
  return AssignmentCtx{a, s};
}

Response check(Ctx& ctx, bool in) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_assignment(ctx, store, ctx.req.param_int("aid"), false));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"at"}));
  const int64_t now = ctx.services.clock->unix_seconds();
  if (!f["at"].empty() && !l.shift.center.coordinator)
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ điều phối viên ghi được giờ khác giờ hiện tại", "at"});
  CHIDOAN_CHECK(at, instant_field(f, "at", now));
  if (at > now) return web::fail_page(ctx, Error{ErrorKind::invalid, "Không ghi giờ ở tương lai", "at"});
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    if (in) CHIDOAN_TRY_VOID(store.check_in(l.assignment.id, at));
    else CHIDOAN_TRY_VOID(store.check_out(l.assignment.id, at));
    return ctx.audit(in ? "check_in" : "check_out", "desk_assignment", l.assignment.id, {{"at", local_time(at)}});
  }));
  CHIDOAN_CHECK(after, store.assignment(l.assignment.id));
  return done(ctx, period_url(l.shift.period.id) + "#shift-" + std::to_string(l.shift.shift.id), to_json(after));
}
Response check_in(Ctx& ctx) { return check(ctx, true); }
Response check_out(Ctx& ctx) { return check(ctx, false); }

Response no_show(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_assignment(ctx, store, ctx.req.param_int("aid"), true));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"no_show"}));
  if (f["no_show"] != "0" && f["no_show"] != "1") return web::fail_page(ctx, Error{ErrorKind::invalid, "Giá trị phải là 0 hoặc 1", "no_show"});
  bool value = f["no_show"] == "1";
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_no_show(l.assignment.id, value));
    return ctx.audit(value ? "no_show" : "excuse_no_show", "desk_assignment", l.assignment.id, {{"member_id", l.assignment.member_id}});
  }));
  return done(ctx, period_url(l.shift.period.id) + "#shift-" + std::to_string(l.shift.shift.id), Json{{"id", l.assignment.id}, {"no_show", value}});
}

// ---- a member's own shifts and calendar ----------------------------------------------------

Result<std::vector<activity::CalendarEvent>> shift_events(Store& store, int64_t member_id, int64_t from, int64_t to) {
  CHIDOAN_TRY(shifts, store.member_shifts(member_id, from, to));
  std::vector<activity::CalendarEvent> out;
  for (const auto& m : shifts) {
    const Shift& s = m.shift;
    out.push_back({"desk-shift-" + std::to_string(s.id), s.starts_at, s.ends_at, "Ca trực: " + s.template_name + " — " + s.counter_name,
                   m.center_name + (m.center_address.empty() ? "" : ", " + m.center_address),
                   "Trực hướng dẫn dịch vụ công trực tuyến tại " + m.center_name});
  }
  return out;
}

Response my_shifts(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(me, own_member(ctx));
  const int64_t now = ctx.services.clock->unix_seconds();
  CHIDOAN_CHECK(shifts, store.member_shifts(me, now - 31 * 86400, now + 92 * 86400));
  Json items = Json::array();
  for (const auto& m : shifts) {
    const Shift& s = m.shift;
    Json j = to_json(s);
    j["center_name"] = m.center_name;
    j["assignment"] = to_json(m.assignment);
    if (!ctx.req.wants_json()) {
      j["day_vn"] = day_label(s.on_date);
      j["time_vn"] = clock_label(s.starts_at) + "–" + clock_label(s.ends_at);
      j["past"] = s.ends_at < now;
    }
    items.push_back(j);
  }
  Json v{{"items", items}};
  if (!ctx.req.wants_json()) v["feed_url"] = ctx.req.query_param("feed");
  return web::respond(ctx, "desk/me", v, 200, ctx.t("desk.my_shifts"));
}

Response rotate_feed(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(me, own_member(ctx));
  std::string token;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(t, store.rotate_feed(me));
    token = t;
    return ctx.audit("rotate_feed", "desk_feed", me);
  }));
  std::string path = "/desk/calendar/" + token + ".ics";
  if (ctx.req.wants_json()) return Response::json(201, Json{{"url", path}}.dump());
  return Response::redirect("/desk/me?feed=" + http::url_encode(path));
}

// The calendar feed: public, the secret token is the credential.
Response calendar(http::Request& req, const web::Services& s) {
  std::string token = req.params["token"];
  if (token.ends_with(".ics")) token.resize(token.size() - 4);
  auto lease = s.pool->acquire();
  Store store(*lease, *s.clock);
  auto member = store.feed_member(token);
  if (!member) return http::error_response(req, member.error());
  if (!*member) return http::error_response(req, Error{ErrorKind::not_found, "Không tìm thấy lịch", ""});
  const int64_t now = s.clock->unix_seconds();
  auto events = shift_events(store, **member, now - 92 * 86400, now + 366 * 86400);
  if (!events) return http::error_response(req, events.error());
  Response r = Response::text(200, activity::ical_calendar(*events, "Chi đoàn — lịch ca trực", now), "text/calendar; charset=utf-8");
  r.header("Cache-Control", "private, max-age=300");
  return r;
}

}  // namespace

void add_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/desk", list_centers);
  routes.both("POST", "/orgs/{id:int}/desk", create_center);
  routes.both("GET", "/desk/centers/{cid:int}", show_center);
  routes.both("POST", "/desk/centers/{cid:int}", update_center);
  routes.both("POST", "/desk/centers/{cid:int}/counters", add_counter);
  routes.both("POST", "/desk/centers/{cid:int}/templates", add_template);
  routes.both("POST", "/desk/templates/{tid:int}/active", set_template_active);
  routes.both("POST", "/desk/centers/{cid:int}/periods", open_period);
  routes.both("GET", "/desk/periods/{pid:int}", show_period);
  routes.both("POST", "/desk/periods/{pid:int}/availability", set_availability);
  routes.both("POST", "/desk/periods/{pid:int}/roster", auto_roster);
  routes.both("POST", "/desk/shifts/{sid:int}/signup", sign_up);
  routes.both("POST", "/desk/shifts/{sid:int}/drop", drop);
  routes.both("POST", "/desk/shifts/{sid:int}/swap", offer_swap);
  routes.both("POST", "/desk/shifts/{sid:int}/assign", assign);
  routes.both("POST", "/desk/shifts/{sid:int}/unassign", unassign);
  routes.both("POST", "/desk/requests/{rid:int}/accept", accept_request);
  routes.both("POST", "/desk/requests/{rid:int}/approve", approve_request);
  routes.both("POST", "/desk/requests/{rid:int}/refuse", refuse_request);
  routes.both("POST", "/desk/requests/{rid:int}/cancel", cancel_request);
  routes.both("POST", "/desk/assignments/{aid:int}/check-in", check_in);
  routes.both("POST", "/desk/assignments/{aid:int}/check-out", check_out);
  routes.both("POST", "/desk/assignments/{aid:int}/no-show", no_show);
  routes.both("GET", "/desk/me", my_shifts);
  routes.both("POST", "/desk/me/calendar", rotate_feed);
  r.add("GET", "/desk/calendar/{token}", [&s](http::Request& req) { return calendar(req, s); });
}

}  // namespace chidoan::desk
