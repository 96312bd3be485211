#include "activity/routes.hpp"

#include <set>

#include "activity/dues_routes.hpp"
#include "activity/feeds.hpp"
#include "activity/rules.hpp"
#include "activity/store.hpp"
#include "activity/views.hpp"
#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/text/text.hpp"

namespace chidoan::activity {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;

using org::scope_of;

Result<int> year_of(Ctx& ctx) {
  int current = static_cast<int>(ctx.today().year());
  CHIDOAN_TRY(y, web::int_param(ctx.req, "year", current, 2000, 2100));
  return static_cast<int>(y);
}

Result<org::Org> load_org(Ctx& ctx, org::Store& orgs, Action action) {
  CHIDOAN_TRY(o, orgs.org(ctx.req.param_int("id")));
  CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  return o;
}

// An activity with its organiser and the orgs taking part, as the user may see it.
struct Loaded {
  Activity a;
  org::Org organiser;
  std::vector<org::Org> parts;
  bool manage = false;               // edit the activity (the organiser's level)
  std::set<int64_t> keep_register;   // branches whose sign-ups and register the user keeps
};

Result<Loaded> load_activity(Ctx& ctx, Store& store, org::Store& orgs, int64_t id) {
  CHIDOAN_TRY(a, store.get(id));
  CHIDOAN_TRY(organiser, orgs.org(a.org_id));
  Loaded l{a, organiser, {}, ctx.allows(Action::manage_activities, scope_of(organiser)), {}};
  bool view = ctx.allows(Action::view_activities, scope_of(organiser));
  CHIDOAN_TRY(part_ids, store.taking_part(a.id));
  for (int64_t pid : part_ids) {
    CHIDOAN_TRY(p, orgs.org(pid));
    view = view || ctx.allows(Action::view_activities, scope_of(p));
    // Branches below a taking-part org whose committee the user is part of.
    CHIDOAN_TRY(below, orgs.orgs(p.id));
    for (const auto& b : below)
      if (b.holds_members && ctx.allows(Action::manage_activities, scope_of(b))) l.keep_register.insert(b.id);
    l.parts.push_back(std::move(p));
  }
  if (!view && ctx.user && ctx.user->member_id) {
    // A member whose branch takes part sees it too.
    CHIDOAN_TRY(m, orgs.member(*ctx.user->member_id));
    CHIDOAN_TRY(b, orgs.org(m.branch_id));
    CHIDOAN_TRY(part, store.takes_part(a.id, b.path));
    view = part;
  }
  if (!view) return fail(ErrorKind::forbidden, "Bạn không có quyền xem hoạt động này");
  return l;
}

Result<Loaded> load_activity(Ctx& ctx, Store& store, org::Store& orgs) { return load_activity(ctx, store, orgs, ctx.req.param_int("id")); }

// The member a sign-up or an hour entry is for: the user's own (no member_id given) or, for the
// committee, a member of a branch whose register they keep.
Result<int64_t> target_member(Ctx& ctx, org::Store& orgs, const Loaded& l, std::optional<int64_t> member_id) {
  bool own = !member_id || (ctx.user->member_id && *member_id == *ctx.user->member_id);
  if (own) {
    if (!ctx.user->member_id) return fail(ErrorKind::invalid, "Tài khoản không gắn với đoàn viên nào: chọn đoàn viên", "member_id");
    return *ctx.user->member_id;
  }
  CHIDOAN_TRY(m, orgs.member(*member_id));
  if (!l.keep_register.contains(m.branch_id)) return fail(ErrorKind::forbidden, "Bạn không quản lý chi đoàn của đoàn viên này");
  return m.id;
}

Response list_activities(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, orgs, Action::view_activities));
  CHIDOAN_CHECK(year, year_of(ctx));
  CHIDOAN_CHECK(list, store.for_org(o, year));
  Json items = Json::array();
  for (const auto& s : list)
    items.push_back({{"id", s.activity.id}, {"type", s.activity.type_code}, {"title", s.activity.title},
                     {"organiser", s.activity.org_name}, {"starts_at", s.activity.starts_at}, {"attended", s.attended},
                     {"signed_up", s.signed_up}});
  Json v{{"items", items}};
  if (!ctx.req.wants_json()) {
    // Grouped by month for the calendar.
    Json months = Json::array();
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& a = list[i].activity;
      std::string month = a.starts_at.substr(5, 2) + "/" + a.starts_at.substr(0, 4);
      if (months.empty() || months.back()["month"] != month) months.push_back({{"month", month}, {"items", Json::array()}});
      Json j = items[i];
      j["type_name"] = a.type_name;
      j["day"] = text::format_date(a.date());
      j["time"] = a.starts_at.substr(11, 5);
      j["place"] = a.place;
      months.back()["items"].push_back(j);
    }
    v["months"] = months;
    v["org"] = org::to_json(o);
    v["year"] = year;
    v["prev_year"] = year - 1;
    v["next_year"] = year + 1;
    v["can_manage"] = ctx.allows(Action::manage_activities, scope_of(o)) && o.active();
    if (v["can_manage"] == true) {
      CHIDOAN_CHECK(joinable, store.joinable(o, year));
      Json j = Json::array();
      for (const auto& a : joinable) {
        Json x = to_json(a);
        x["starts_vn"] = text::format_date(a.date()) + " " + a.starts_at.substr(11, 5);
        j.push_back(x);
      }
      v["joinable"] = j;
    }
  }
  return web::respond(ctx, "activity/list", v, 200, ctx.t("activity.title"));
}

Json form_view(Ctx& ctx, Store& store, const org::Org& o, const RawFields& raw, const Error* err, std::optional<int64_t> id) {
  Json values = Json::object();
  for (const auto& [k, val] : raw) values[k] = val;
  Json types = Json::array();
  auto ts = store.types();
  if (ts)
    for (const auto& t : *ts) {
      Json j = to_json(t);
      j["selected"] = raw.contains("type_id") && raw.at("type_id") == std::to_string(t.id);
      types.push_back(j);
    }
  Json v{{"org", org::to_json(o)}, {"values", values}, {"types", types}, {"is_new", !id.has_value()}};
  if (id) v["activity_id"] = *id;
  if (err) v["errors"] = {{err->field.empty() ? "form" : err->field, err->message}};
  (void)ctx;
  return v;
}

Result<RawFields> activity_fields(const http::Request& req) {
  CHIDOAN_TRY(f, web::fields(req, {"type_id", "title", "description", "place", "starts_at", "ends_at", "capacity",
                                   "signup_opens_at", "signup_closes_at", "expects_all"}));
  RawFields raw;
  for (auto& [k, v] : f) raw[k] = v;
  return raw;
}

Response new_activity(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, orgs, Action::manage_activities));
  return web::respond(ctx, "activity/form", form_view(ctx, store, o, {}, nullptr, std::nullopt), 200, ctx.t("activity.new"));
}

Response create_activity(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, orgs, Action::manage_activities));
  auto raw = activity_fields(ctx.req);
  Result<int64_t> id = raw ? Result<int64_t>(0) : std::unexpected(raw.error());
  if (raw) {
    auto in = rules::validate_activity(*raw);
    if (!in) id = std::unexpected(in.error());
    else {
      auto w = ctx.write([&]() -> Result<void> {
        CHIDOAN_TRY(new_id, store.create(o, *in));
        id = new_id;
        return ctx.audit("create", "activity", new_id, {{"org_id", o.id}});
      });
      if (!w) id = std::unexpected(w.error());
    }
  }
  if (!id) {
    if (ctx.req.wants_json()) return web::fail_page(ctx, id.error());
    return web::respond(ctx, "activity/form", form_view(ctx, store, o, raw ? *raw : RawFields{}, &id.error(), std::nullopt),
                        http::status_for(id.error().kind), ctx.t("activity.new"));
  }
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(a, store.get(*id));
    return Response::json(201, to_json(a).dump());
  }
  return Response::redirect("/activities/" + std::to_string(*id));
}

Response edit_activity(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_activity(ctx, store, orgs));
  if (!l.manage) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ cấp tổ chức hoạt động được sửa", ""});
  const Activity& a = l.a;
  RawFields raw{{"type_id", std::to_string(a.type_id)}, {"title", a.title}, {"description", a.description},
                       {"place", a.place}, {"starts_at", a.starts_at}, {"ends_at", a.ends_at},
                       {"capacity", a.capacity ? std::to_string(*a.capacity) : ""}, {"signup_opens_at", a.signup_opens_at},
                       {"signup_closes_at", a.signup_closes_at}, {"expects_all", a.expects_all ? "1" : "0"}};
  return web::respond(ctx, "activity/form", form_view(ctx, store, l.organiser, raw, nullptr, a.id), 200, a.title);
}

Response update_activity(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_activity(ctx, store, orgs));
  if (!l.manage) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ cấp tổ chức hoạt động được sửa", ""});
  auto raw = activity_fields(ctx.req);
  Result<void> done = raw ? Result<void>() : std::unexpected(raw.error());
  if (done) {
    auto in = rules::validate_activity(*raw);
    if (!in) done = std::unexpected(in.error());
    else done = ctx.write([&]() -> Result<void> {
      CHIDOAN_TRY_VOID(store.update(l.a.id, *in));
      return ctx.audit("update", "activity", l.a.id);
    });
  }
  if (!done) {
    if (ctx.req.wants_json()) return web::fail_page(ctx, done.error());
    return web::respond(ctx, "activity/form", form_view(ctx, store, l.organiser, raw ? *raw : RawFields{}, &done.error(), l.a.id),
                        http::status_for(done.error().kind), l.a.title);
  }
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(a, store.get(l.a.id));
    return Response::json(200, to_json(a).dump());
  }
  return Response::redirect("/activities/" + std::to_string(l.a.id));
}

Response show_activity(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_activity(ctx, store, orgs));
  Json v = to_json(l.a);
  Json parts = Json::array();
  for (const auto& p : l.parts) parts.push_back({{"id", p.id}, {"name", p.name}});
  v["taking_part"] = parts;
  CHIDOAN_CHECK(signups, store.signups(l.a.id));
  Json s = Json::array();
  for (const auto& x : signups) s.push_back(to_json(x));
  v["signups"] = s;
  CHIDOAN_CHECK(register_rows, store.attendance(l.a.id));
  Json att = Json::array();
  for (const auto& x : register_rows) att.push_back(to_json(x));
  v["attendance"] = att;
  if (l.a.type_code == "study") {
    CHIDOAN_CHECK(done, store.completions(l.a.id));
    Json c = Json::array();
    for (const auto& x : done)
      c.push_back({{"member_id", x.member_id}, {"completed_on", x.completed_on}, {"mode", x.mode}, {"certificate_no", x.certificate_no}});
    v["completions"] = c;
  }
  if (!ctx.req.wants_json()) {
    v["organiser_org"] = org::to_json(l.organiser);
    v["can_manage"] = l.manage;
    v["keeps_register"] = !l.keep_register.empty();
    v["starts_vn"] = text::format_date(l.a.date()) + " " + l.a.starts_at.substr(11, 5);
    v["ends_vn"] = text::format_date(l.a.ends_at.substr(0, 10)) + " " + l.a.ends_at.substr(11, 5);
    v["is_study"] = l.a.type_code == "study";
    v["today"] = to_iso(ctx.today());
    // The user's own sign-up.
    if (ctx.user->member_id) {
      std::string mine;
      for (const auto& x : signups)
        if (x.member_id == *ctx.user->member_id) mine = x.status;
      v["my_status"] = mine;
      v["my_status_label"] = mine.empty() ? "" : ctx.t("activity.signup_status." + mine);
      // Offered while the window is open now (not as if it were the start time, which hid it
      // whenever sign-up closed before the start and showed it after the end).
      v["can_signup"] = (mine.empty() || mine == "cancelled") &&
                        rules::check_signup_window(l.a, local_time(ctx.services.clock->unix_seconds())).has_value();
      v["can_cancel"] = mine == "confirmed" || mine == "waitlisted";
    }
    for (auto& x : v["signups"]) x["status_label"] = ctx.t("activity.signup_status." + x["status"].get<std::string>());
    // The register form: the expected members of the branches whose register the user keeps.
    if (!l.keep_register.empty()) {
      CHIDOAN_CHECK(expected, store.expected(l.a));
      std::map<int64_t, Attendance> by_member;
      for (const auto& x : register_rows) by_member[x.member_id] = x;
      std::set<int64_t> done_members;
      if (l.a.type_code == "study") {
        for (const auto& c : v["completions"]) done_members.insert(c["member_id"].get<int64_t>());
      }
      Json rows = Json::array();
      for (const auto& e : expected) {
        if (!l.keep_register.contains(e.branch_id)) continue;
        auto it = by_member.find(e.member_id);
        std::string status = it == by_member.end() ? "" : it->second.status;
        Json r{{"member_id", e.member_id}, {"name", e.name}, {"present", status == "present"}, {"excused", status == "excused"},
               {"absent", status == "absent"}, {"minutes", it == by_member.end() ? 0 : it->second.minutes},
               {"hours", it == by_member.end() ? "" : text::format_decimal(static_cast<double>(it->second.minutes) / 60.0, 1)},
               {"hours_state", it == by_member.end() ? "none" : it->second.hours_state},
               {"claimed", it != by_member.end() && it->second.hours_state == "claimed"},
               {"completed", done_members.contains(e.member_id)}};
        rows.push_back(r);
      }
      v["register"] = rows;
    }
  }
  return web::respond(ctx, "activity/show", v, 200, l.a.title);
}

Response done(Ctx& ctx, int64_t activity_id, int status = 200, const Json& body = Json{{"ok", true}}) {
  if (ctx.req.wants_json()) return Response::json(status, body.dump());
  return Response::redirect("/activities/" + std::to_string(activity_id));
}

Response join_activity(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  // Only a committee joins: whoever cannot manage activities at the root of their own scope
  // cannot anywhere.
  CHIDOAN_CHECK(home, orgs.org(ctx.user->org_id));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::manage_activities, scope_of(home)));
  CHIDOAN_CHECK(a, store.get(ctx.req.param_int("id")));
  CHIDOAN_CHECK(organiser, orgs.org(a.org_id));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"org_id"}));
  CHIDOAN_CHECK(org_id, web::optional_id(f, "org_id"));
  CHIDOAN_CHECK(o, orgs.org(org_id ? *org_id : ctx.user->org_id));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::manage_activities, scope_of(o)));
  if (!o.path.starts_with(organiser.path) || o.id == organiser.id)
    return web::fail_page(ctx, Error{ErrorKind::invalid, "Chỉ tổ chức trực thuộc cấp tổ chức hoạt động mới tham gia được", "org_id"});
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.join(a.id, o.id));
    return ctx.audit("join", "activity", a.id, {{"org_id", o.id}});
  }));
  return done(ctx, a.id);
}

Response signup(Ctx& ctx, bool cancel) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_activity(ctx, store, orgs));
  std::optional<int64_t> requested;
  if (ctx.req.params.contains("mid")) {
    requested = ctx.req.param_int("mid");
  } else {
    CHIDOAN_CHECK(f, web::fields(ctx.req, {"member_id"}));
    CHIDOAN_CHECK(m, web::optional_id(f, "member_id"));
    requested = m;
  }
  CHIDOAN_CHECK(member_id, target_member(ctx, orgs, l, requested));
  std::string outcome;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    if (cancel) {
      CHIDOAN_TRY_VOID(store.cancel(l.a, member_id));
      outcome = "cancelled";
    } else {
      CHIDOAN_TRY(o, store.signup(l.a, member_id));
      outcome = o == rules::SignupOutcome::confirmed ? "confirmed" : "waitlisted";
    }
    return ctx.audit(cancel ? "cancel_signup" : "signup", "activity", l.a.id, {{"member_id", member_id}, {"status", outcome}});
  }));
  return done(ctx, l.a.id, cancel ? 200 : 201, Json{{"member_id", member_id}, {"status", outcome}});
}

Response take_attendance(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_activity(ctx, store, orgs));
  if (l.keep_register.empty()) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bạn không giữ sổ điểm danh của chi đoàn nào tham gia hoạt động", ""});
  std::map<int64_t, std::string> statuses;
  auto put = [&](const std::string& key, const std::string& value) -> Result<void> {
    RawFields one{{"member_id", key}};
    CHIDOAN_TRY(id, web::optional_id(one, "member_id"));
    if (!id) return fail(ErrorKind::invalid, "Mã đoàn viên không hợp lệ", "member_id");
    statuses[*id] = value;
    return {};
  };
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(body, web::json_body(ctx.req));
    for (auto it = body.begin(); it != body.end(); ++it)
      if (it.key() != "statuses") return web::fail_page(ctx, Error{ErrorKind::invalid, "Trường \"" + it.key() + "\" không được hỗ trợ", it.key()});
    if (!body.contains("statuses") || !body["statuses"].is_object())
      return web::fail_page(ctx, Error{ErrorKind::invalid, "Cần \"statuses\": {mã đoàn viên: present|excused|absent}", "statuses"});
    for (auto it = body["statuses"].begin(); it != body["statuses"].end(); ++it) {
      if (!it->is_string()) return web::fail_page(ctx, Error{ErrorKind::invalid, "Trạng thái phải là chuỗi", "status"});
      CHIDOAN_CHECK_VOID(put(it.key(), it->get<std::string>()));
    }
  } else {
    CHIDOAN_CHECK(form, ctx.req.form());
    for (const auto& [k, val] : form.fields)
      if (k.starts_with("status_")) CHIDOAN_CHECK_VOID(put(k.substr(7), val));
  }
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.take_attendance(l.a, statuses, &l.keep_register));
    return ctx.audit("attendance", "activity", l.a.id, {{"marked", statuses.size()}});
  }));
  return done(ctx, l.a.id);
}

// Hours as "2.5" / "2,5" hours, or "minutes" as a whole number.
Result<int64_t> minutes_field(const RawFields& f) {
  auto m = f.find("minutes");
  if (m != f.end() && !m->second.empty()) {
    const std::string& s = m->second;
    bool negative = s[0] == '-';
    std::string digits = negative ? s.substr(1) : s;
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
      return fail(ErrorKind::invalid, "Số phút phải là số nguyên", "minutes");
    return (negative ? -1 : 1) * std::stoll(digits);
  }
  auto h = f.find("hours");
  if (h == f.end() || h->second.empty()) return fail(ErrorKind::invalid, "Chưa nhập số giờ", "hours");
  std::string s = h->second;
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  if (s.starts_with("-")) return fail(ErrorKind::invalid, "Số giờ không được âm", "hours");
  // Digits, then a decimal comma (or point) and one to three digits: not "nan", "inf", "1e3", "0x2".
  const size_t mark = s.find_first_of(",.");
  const std::string whole = s.substr(0, mark), frac = mark == std::string::npos ? "" : s.substr(mark + 1);
  auto digits = [](const std::string& x) { return x.find_first_not_of("0123456789") == std::string::npos; };
  if (whole.empty() || whole.size() > 4 || !digits(whole) ||
      (mark != std::string::npos && (frac.empty() || frac.size() > 3 || !digits(frac))))
    return fail(ErrorKind::invalid, "Số giờ không hợp lệ (ví dụ 2,5)", "hours");
  std::string thousandths = frac;
  thousandths.resize(3, '0');
  // Whole minutes, rounded half up: "2,5" is 150, "0,333" is 20.
  return std::stoll(whole) * 60 + (std::stoll(thousandths) * 60 + 500) / 1000;
}

Response enter_hours(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_activity(ctx, store, orgs));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"member_id", "hours", "minutes"}));
  CHIDOAN_CHECK(requested, web::optional_id(f, "member_id"));
  CHIDOAN_CHECK(member_id, target_member(ctx, orgs, l, requested));
  CHIDOAN_CHECK(minutes, minutes_field(f));
  // Out of range is named by the field the user typed.
  if (auto ok = rules::check_minutes(l.a, minutes); !ok) {
    Error e = ok.error();
    e.field = f.contains("minutes") && !f["minutes"].empty() ? "minutes" : "hours";
    return web::fail_page(ctx, e);
  }
  bool committee = ctx.user->member_id != member_id || !l.keep_register.empty();
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_minutes(l.a, member_id, minutes, committee));
    return ctx.audit(committee ? "hours_approved" : "hours_claimed", "activity", l.a.id, {{"member_id", member_id}, {"minutes", minutes}});
  }));
  return done(ctx, l.a.id);
}

Response approve_hours(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_activity(ctx, store, orgs));
  CHIDOAN_CHECK(m, orgs.member(ctx.req.param_int("mid")));
  if (!l.keep_register.contains(m.branch_id)) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bạn không quản lý chi đoàn của đoàn viên này", ""});
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"approve"}));
  bool approve = f["approve"] != "0" && f["approve"] != "false";
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.approve_minutes(l.a, m.id, approve));
    return ctx.audit(approve ? "hours_approved" : "hours_rejected", "activity", l.a.id, {{"member_id", m.id}});
  }));
  return done(ctx, l.a.id);
}

Response checkin_page(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(a, store.get(ctx.req.param_int("id")));
  std::string k = ctx.req.query_param("k");
  auto valid = rules::check_qr(a, k, local_time(ctx.services.clock->unix_seconds()));
  // Without the code from the QR, nothing of the activity is shown.
  if (!valid) return web::fail_page(ctx, valid.error());
  Json v{{"activity", to_json(a)}, {"k", k}, {"valid", true}, {"done", ctx.req.query_param("done")}};
  v["has_member"] = ctx.user->member_id.has_value();
  return web::respond(ctx, "activity/checkin", v, 200, a.title);
}

Response checkin(Ctx& ctx, bool out) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(a, store.get(ctx.req.param_int("id")));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"k"}));
  CHIDOAN_CHECK_VOID(rules::check_qr(a, f["k"], local_time(ctx.services.clock->unix_seconds())));
  if (!ctx.user->member_id) return web::fail_page(ctx, Error{ErrorKind::invalid, "Tài khoản không gắn với đoàn viên nào", "member_id"});
  int64_t member_id = *ctx.user->member_id;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(out ? store.check_out(a, member_id) : store.check_in(a, member_id));
    return ctx.audit(out ? "check_out" : "check_in", "activity", a.id, {{"member_id", member_id}});
  }));
  if (ctx.req.wants_json()) return Response::json(200, Json{{"member_id", member_id}, {"checked", out ? "out" : "in"}}.dump());
  return Response::redirect("/activities/" + std::to_string(a.id) + "/checkin?k=" + http::url_encode(f["k"]) + "&done=" + (out ? "out" : "in"));
}

Response qr(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_activity(ctx, store, orgs));
  if (l.keep_register.empty() && !l.manage) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ BCH xem được mã QR điểm danh", ""});
  std::string scheme = ctx.req.is_secure() ? "https://" : "http://";
  std::string host = ctx.req.header("host");
  std::string url = scheme + (host.empty() ? "127.0.0.1" : host) + "/activities/" + std::to_string(l.a.id) + "/checkin?k=" + l.a.qr_secret;
  Response r = Response::text(200, qr_svg(url), "image/svg+xml");
  r.header("Cache-Control", "no-store");
  return r;
}

Response record_study(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_activity(ctx, store, orgs));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"member_id", "completed_on", "mode", "certificate_no"}));
  CHIDOAN_CHECK(requested, web::optional_id(f, "member_id"));
  if (!requested) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chưa chọn đoàn viên", "member_id"});
  CHIDOAN_CHECK(member_id, target_member(ctx, orgs, l, requested));
  if (ctx.user->member_id == member_id && l.keep_register.empty())
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "BCH chi đoàn ghi nhận kết quả học tập", ""});
  CHIDOAN_CHECK(cert, text::normalize(f["certificate_no"]));
  StudyCompletion c{l.a.id, member_id, f["completed_on"].empty() ? to_iso(ctx.today()) : f["completed_on"],
                    f["mode"].empty() ? "in_person" : f["mode"], cert};
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.record_completion(l.a, c));
    return ctx.audit("study_completed", "activity", l.a.id, {{"member_id", member_id}});
  }));
  return done(ctx, l.a.id);
}

Json study_json(const std::vector<CampaignProgress>& progress, bool with_units) {
  Json campaigns = Json::array();
  for (const auto& p : progress) {
    std::optional<double> rate;
    if (p.expected > 0) rate = static_cast<double>(p.completed) / static_cast<double>(p.expected);
    Json c{{"id", p.campaign.id}, {"title", p.campaign.title}, {"completed", p.completed}, {"expected", p.expected},
           {"rate", rate_json(rate)}};
    if (with_units) {
      c["rate_vn"] = rate ? text::format_percent(*rate, 1) : "—";
      c["starts_vn"] = text::format_date(p.campaign.date());
      Json units = Json::array();
      for (const auto& [name, counts] : p.units) {
        std::optional<double> r;
        if (counts.second > 0) r = static_cast<double>(counts.first) / static_cast<double>(counts.second);
        units.push_back({{"unit", name}, {"completed", counts.first}, {"expected", counts.second}, {"rate", rate_json(r)},
                         {"rate_vn", r ? text::format_percent(*r, 1) : "—"}});
      }
      c["units"] = units;
    }
    campaigns.push_back(c);
  }
  return {{"campaigns", campaigns}};
}

Response participation(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, orgs, Action::view_activities));
  CHIDOAN_CHECK(year, year_of(ctx));
  CHIDOAN_CHECK(p, store.participation(o, year));
  Json members = Json::array();
  for (const auto& m : p.members) {
    Json j = to_json(m.tally);
    j["member_id"] = m.member_id;
    j["name"] = m.name;
    j["unit"] = m.unit_name;
    j["hours_vn"] = text::format_decimal(static_cast<double>(m.tally.minutes) / 60.0, 1);
    members.push_back(j);
  }
  Json units = Json::array();
  for (const auto& [name, t] : p.units) {
    Json j = to_json(t);
    j["unit"] = name;
    units.push_back(j);
  }
  CHIDOAN_CHECK(study, store.study_progress(o, year));
  Json v{{"year", year}, {"org_id", o.id}, {"members", members}, {"units", units}, {"total", to_json(p.total)},
         {"study", study_json(study, !ctx.req.wants_json())}};
  if (!ctx.req.wants_json()) {
    v["org"] = org::to_json(o);
    v["prev_year"] = year - 1;
    v["next_year"] = year + 1;
    v["total"]["hours_vn"] = text::format_decimal(static_cast<double>(p.total.minutes) / 60.0, 1);
  }
  return web::respond(ctx, "activity/participation", v, 200, ctx.t("activity.participation"));
}

Response meetings(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, orgs, Action::view_activities));
  CHIDOAN_CHECK(year, year_of(ctx));
  CHIDOAN_CHECK(list, store.for_org(o, year));
  Json ms = Json::array();
  for (const auto& s : list) {
    if (s.activity.type_code != "meeting") continue;
    CHIDOAN_CHECK(rows, store.attendance(s.activity.id));
    Tally t;
    for (const auto& r : rows) (r.status == "present" ? t.present : r.status == "excused" ? t.excused : t.absent) += 1;
    Json j = to_json(s.activity);
    j["tally"] = to_json(t);
    j["day"] = text::format_date(s.activity.date());
    ms.push_back(j);
  }
  CHIDOAN_CHECK(absences, store.meeting_absences(o, year));
  Json candidates = Json::array();
  for (const auto& [member_id, months] : absences) {
    if (!rules::removal_candidate(months)) continue;
    CHIDOAN_CHECK(m, orgs.member(member_id));
    std::set<std::string> distinct(months.begin(), months.end());
    Json mm = Json::array();
    for (const auto& x : distinct) mm.push_back(x.substr(5, 2) + "/" + x.substr(0, 4));
    candidates.push_back({{"member_id", m.id}, {"name", m.full_name()}, {"months", mm}, {"count", distinct.size()}});
  }
  Json v{{"year", year}, {"meetings", ms}, {"removal_candidates", candidates}};
  if (!ctx.req.wants_json()) {
    v["org"] = org::to_json(o);
    v["prev_year"] = year - 1;
    v["next_year"] = year + 1;
  }
  return web::respond(ctx, "activity/meetings", v, 200, ctx.t("activity.meetings"));
}

Response study_page(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, orgs, Action::view_activities));
  CHIDOAN_CHECK(year, year_of(ctx));
  CHIDOAN_CHECK(study, store.study_progress(o, year));
  Json v = study_json(study, true);
  v["year"] = year;
  v["org"] = org::to_json(o);
  v["prev_year"] = year - 1;
  v["next_year"] = year + 1;
  return web::respond(ctx, "activity/study", v, 200, ctx.t("activity.study"));
}

Result<org::Member> load_member_for(Ctx& ctx, org::Store& orgs) {
  CHIDOAN_TRY(m, orgs.member(ctx.req.param_int("id")));
  CHIDOAN_TRY(branch, orgs.org(m.branch_id));
  auth::Scope scope = scope_of(branch);
  scope.member_id = m.id;
  bool own = ctx.user->member_id == m.id;
  CHIDOAN_TRY_VOID(ctx.authorize(own ? Action::view_own_profile : Action::view_activities, scope));
  return m;
}

Response member_history(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(m, load_member_for(ctx, orgs));
  CHIDOAN_CHECK(history, store.member_history(m.id));
  Json items = Json::array();
  int64_t minutes = 0;
  for (const auto& [a, att] : history) {
    Json j = to_json(a);
    j["status"] = att ? Json(att->status) : Json(nullptr);
    j["minutes"] = att ? att->minutes : 0;
    j["hours_state"] = att ? att->hours_state : "none";
    if (att && (att->hours_state == "approved" || att->hours_state == "checked")) minutes += att->minutes;
    if (!ctx.req.wants_json()) {
      j["day"] = text::format_date(a.date());
      j["status_label"] = att ? ctx.t("activity.attendance." + att->status) : ctx.t("activity.signed_up");
      j["hours_vn"] = att && att->minutes ? text::format_decimal(static_cast<double>(att->minutes) / 60.0, 1) : "";
    }
    items.push_back(j);
  }
  Json v{{"member_id", m.id}, {"name", m.full_name()}, {"items", items}, {"minutes", minutes}};
  if (!ctx.req.wants_json()) {
    v["hours_vn"] = text::format_decimal(static_cast<double>(minutes) / 60.0, 1);
    v["own"] = ctx.user->member_id == m.id;
    v["feed_url"] = ctx.req.query_param("feed");
  }
  return web::respond(ctx, "activity/member", v, 200, m.full_name());
}

Response rotate_feed(Ctx& ctx) {
  org::Store orgs(ctx.db(), *ctx.services.clock);
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(m, orgs.member(ctx.req.param_int("id")));
  if (ctx.user->member_id != m.id) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ chính đoàn viên tạo được lịch cá nhân", ""});
  std::string token;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(t, store.rotate_feed(m.id));
    token = t;
    return ctx.audit("rotate_feed", "member", m.id);
  }));
  std::string path = "/calendar/" + token + ".ics";
  if (ctx.req.wants_json()) return Response::json(201, Json{{"url", path}}.dump());
  return Response::redirect("/members/" + std::to_string(m.id) + "/activities?feed=" + http::url_encode(path));
}

// The calendar feed: public, the secret token is the credential.
Response calendar(http::Request& req, const web::Services& s) {
  std::string token = req.params["token"];
  if (token.ends_with(".ics")) token.resize(token.size() - 4);
  auto lease = s.pool->acquire();
  Store store(*lease, *s.clock);
  auto member = store.feed_member(token);
  if (!member || !*member) return http::error_response(req, Error{ErrorKind::not_found, "Không tìm thấy lịch", ""});
  auto list = store.signed_up_activities(**member);
  if (!list) return http::error_response(req, list.error());
  Response r = Response::text(200, ical_feed(*list, "Chi đoàn — lịch hoạt động", s.clock->unix_seconds()), "text/calendar; charset=utf-8");
  r.header("Cache-Control", "private, max-age=300");
  return r;
}

}  // namespace

void add_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/activities", list_activities);
  routes.both("POST", "/orgs/{id:int}/activities", create_activity);
  routes.page("GET", "/orgs/{id:int}/activities/new", new_activity);
  routes.slow("/orgs/{id:int}/participation", participation);
  routes.both("GET", "/orgs/{id:int}/meetings", meetings);
  routes.slow("/orgs/{id:int}/study", study_page);
  routes.both("GET", "/activities/{id:int}", show_activity);
  routes.page("GET", "/activities/{id:int}/edit", edit_activity);
  routes.page("POST", "/activities/{id:int}", update_activity);
  routes.api("PUT", "/activities/{id:int}", update_activity);
  routes.both("POST", "/activities/{id:int}/join", join_activity);
  routes.both("POST", "/activities/{id:int}/signups", [](Ctx& c) { return signup(c, false); });
  routes.both("POST", "/activities/{id:int}/signups/{mid:int}/cancel", [](Ctx& c) { return signup(c, true); });
  routes.both("POST", "/activities/{id:int}/cancel", [](Ctx& c) { return signup(c, true); });
  routes.both("POST", "/activities/{id:int}/attendance", take_attendance);
  routes.both("POST", "/activities/{id:int}/hours", enter_hours);
  routes.both("POST", "/activities/{id:int}/hours/{mid:int}/approve", approve_hours);
  routes.both("POST", "/activities/{id:int}/study", record_study);
  routes.page("GET", "/activities/{id:int}/qr.svg", qr);
  routes.page("GET", "/activities/{id:int}/checkin", checkin_page);
  routes.both("POST", "/activities/{id:int}/checkin", [](Ctx& c) { return checkin(c, false); });
  routes.both("POST", "/activities/{id:int}/checkout", [](Ctx& c) { return checkin(c, true); });
  routes.both("GET", "/members/{id:int}/activities", member_history);
  routes.both("POST", "/members/{id:int}/calendar", rotate_feed);
  r.add("GET", "/calendar/{token}", [&s](http::Request& req) { return calendar(req, s); });
  add_dues_routes(r, s);
}

}  // namespace chidoan::activity
