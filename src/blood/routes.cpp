#include "blood/routes.hpp"

#include "blood/notices.hpp"
#include "blood/rules.hpp"
#include "blood/store.hpp"
#include "blood/views.hpp"
#include "org/routes.hpp"
#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/auth/store.hpp"
#include "platform/tabular/tabular.hpp"
#include "platform/text/text.hpp"

namespace chidoan::blood {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;

using org::scope_of;

// A club and its org, after the policy allowed `action` on that org.
struct ClubCtx {
  Club club;
  org::Org org;
};
Result<ClubCtx> load_club(Ctx& ctx, Store& store, int64_t id, Action action) {
  CHIDOAN_TRY(c, store.club(id));
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(c.org_id));
  if (action == Action::view_blood) {  // the club of a level above, which the branch's members join
    CHIDOAN_TRY(seen, org::may_view_from_within(ctx, o, action));
    if (!seen) return fail(ErrorKind::forbidden, "Bạn không có quyền xem câu lạc bộ này");
  } else {
    CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  }
  return ClubCtx{c, o};
}

// A donor as the user may see them: the club's coordinators, or the donor themself.
struct DonorCtx {
  Donor donor;
  ClubCtx club;
  bool coordinator = false;
};
Result<DonorCtx> load_donor(Ctx& ctx, Store& store, int64_t id, bool coordinators_only = false) {
  CHIDOAN_TRY(d, store.donor(id));
  CHIDOAN_TRY(c, store.club(d.club_id));
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(c.org_id));
  DonorCtx l{d, {c, o}, ctx.allows(Action::coordinate_blood, scope_of(o))};
  bool self = d.member_id && ctx.user->member_id == d.member_id;
  if (!l.coordinator && (coordinators_only || !self))
    return fail(ErrorKind::forbidden, "Chỉ điều phối viên của câu lạc bộ hoặc chính người hiến máu được xem trang này");
  return l;
}

Result<BloodRequest> load_request(Ctx& ctx, Store& store, int64_t id, ClubCtx* club = nullptr) {
  CHIDOAN_TRY(r, store.request(id));
  CHIDOAN_TRY(c, load_club(ctx, store, r.club_id, Action::coordinate_blood));
  if (club) *club = c;
  return r;
}

int64_t user_id(const Ctx& ctx) { return ctx.user->user_id; }

// Every write of this module: one transaction with its audit entry.
using web::done;

// ---- clubs ------------------------------------------------------------------------------

// The clubs an org's members can join: the org's own and those of the levels above it.
Response list_clubs(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  org::Store orgs(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, orgs.org(ctx.req.param_int("id")));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::view_blood, scope_of(o)));
  Json items = Json::array();
  for (int64_t org_id : org::Store::path_ids(o.path)) {
    CHIDOAN_CHECK(clubs, store.clubs(org_id));
    for (const auto& c : clubs) {
      CHIDOAN_CHECK(owner, orgs.org(c.org_id));
      CHIDOAN_CHECK(stats, store.stats(c.id));
      Json j = to_json(c);
      j["org_name"] = owner.name;
      j["donors"] = stats.donors;
      j["on_call"] = stats.on_call;
      items.push_back(j);
    }
  }
  Json v{{"items", items}};
  if (!ctx.req.wants_json()) {
    v["org"] = org::to_json(o);
    v["can_found"] = ctx.allows(Action::manage_blood_club, scope_of(o)) && o.active();
  }
  return web::respond(ctx, "blood/clubs", v, 200, ctx.t("blood.title"));
}

Response create_club(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::manage_blood_club, scope_of(o)));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"name"}));
  CHIDOAN_CHECK(name, text::normalize(f["name"]));
  if (name.empty()) return web::fail_page(ctx, Error{ErrorKind::invalid, "Ghi tên câu lạc bộ", "name"});
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_club(o.id, name));
    id = new_id;
    return ctx.audit("create", "blood_club", id, {{"org_id", o.id}, {"name", name}});
  }));
  return done(ctx, "/blood/clubs/" + std::to_string(id), Json{{"id", id}}, 201);
}

Response show_club(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_club(ctx, store, ctx.req.param_int("id"), Action::view_blood));
  CHIDOAN_CHECK(stats, store.stats(l.club.id));
  auth::AuthStore users(ctx.db(), *ctx.services.clock, ctx.services.auth);
  CHIDOAN_CHECK(holders, users.grant_holders(auth::Grant::blood_coordinator, l.org.id));
  Json coordinators = Json::array();
  for (const auto& [id, name] : holders) coordinators.push_back({{"user_id", id}, {"name", name}});
  Json v = to_json(l.club);
  v["stats"] = to_json(stats);
  v["coordinators"] = coordinators;
  if (!ctx.req.wants_json()) {
    v["org"] = org::to_json(l.org);
    v["coordinate"] = ctx.allows(Action::coordinate_blood, scope_of(l.org));
    v["manage"] = ctx.allows(Action::manage_blood_club, scope_of(l.org));
    // The member's own registration in this club, or the offer to join.
    if (ctx.user->member_id) {
      CHIDOAN_CHECK(mine, store.donor_of_member(l.club.id, *ctx.user->member_id));
      if (mine) v["my_donor_id"] = *mine;
      else v["can_join"] = true;
    }
    v["today"] = to_iso(ctx.today());
    add_labels(v["stats"]);
  }
  return web::respond(ctx, "blood/club", v, 200, l.club.name);
}

Response appoint(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_club(ctx, store, ctx.req.param_int("id"), Action::manage_blood_club));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"username"}));
  CHIDOAN_CHECK(username, text::normalize(f["username"]));
  CHIDOAN_CHECK(row, ctx.db().query_one("SELECT id FROM users WHERE username = lower(?1)", {username}));
  if (!row) return web::fail_page(ctx, Error{ErrorKind::invalid, "Không có tài khoản này", "username"});
  auth::AuthStore users(ctx.db(), *ctx.services.clock, ctx.services.auth);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    return users.add_grant(row->i64(0), auth::Grant::blood_coordinator, l.org.id, auth::Actor::of(*ctx.user, ctx.req.request_id, ctx.req.remote_addr));
  }));
  return done(ctx, "/blood/clubs/" + std::to_string(l.club.id));
}

Response dismiss(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_club(ctx, store, ctx.req.param_int("id"), Action::manage_blood_club));
  auth::AuthStore users(ctx.db(), *ctx.services.clock, ctx.services.auth);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    return users.remove_grant(ctx.req.param_int("uid"), auth::Grant::blood_coordinator, l.org.id,
                              auth::Actor::of(*ctx.user, ctx.req.request_id, ctx.req.remote_addr));
  }));
  return done(ctx, "/blood/clubs/" + std::to_string(l.club.id));
}

// ---- donors -----------------------------------------------------------------------------

constexpr std::initializer_list<const char*> kDonorFields = {
    "member_id", "name", "phone", "sex", "birth_date", "weight_class", "blood_group", "phenotype_C", "phenotype_c", "phenotype_E",
    "phenotype_e", "phenotype_K", "phenotype_Jka", "phenotype_Jkb", "phenotype_Fya", "phenotype_Fyb", "phenotype_M", "phenotype_N",
    "phenotype_S", "phenotype_s", "phenotype_Mia", "phenotype_tested_on", "phenotype_lab", "district", "commune", "on_call",
    "availability", "consent_join", "consent_health", "consent_call", "consent_location", "consented_on"};

Result<int64_t> register_donor(Ctx& ctx, Store& store, const ClubCtx& l, const DonorInput& in) {
  if (in.member_id) {
    // A member of the club's subtree.
    org::Store orgs(ctx.db(), *ctx.services.clock);
    CHIDOAN_TRY(m, orgs.member(*in.member_id));
    CHIDOAN_TRY(b, orgs.org(m.branch_id));
    if (!b.path.starts_with(l.org.path)) return fail(ErrorKind::invalid, "Đoàn viên không thuộc " + l.org.name, "member_id");
  }
  int64_t id = 0;
  CHIDOAN_TRY_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.register_donor(l.club.id, in));
    id = new_id;
    return ctx.audit("register", "blood_donor", id, {{"club_id", l.club.id}, {"member_id", in.member_id ? Json(*in.member_id) : Json()}});
  }));
  return id;
}

Response add_donor(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_club(ctx, store, ctx.req.param_int("id"), Action::coordinate_blood));
  CHIDOAN_CHECK(f, web::fields(ctx.req, kDonorFields));
  CHIDOAN_CHECK(in, rules::validate_donor(f, ctx.today()));
  CHIDOAN_CHECK(id, register_donor(ctx, store, l, in));
  return done(ctx, "/blood/donors/" + std::to_string(id), Json{{"id", id}}, 201);
}

// A member registers themself: their own member id, whatever the form says.
Response join_club(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_club(ctx, store, ctx.req.param_int("id"), Action::view_blood));
  if (!ctx.user->member_id)
    return web::fail_page(ctx, Error{ErrorKind::invalid, "Tài khoản này không gắn với hồ sơ đoàn viên nào", "member_id"});
  CHIDOAN_CHECK(f, web::fields(ctx.req, kDonorFields));
  f["member_id"] = std::to_string(*ctx.user->member_id);
  CHIDOAN_CHECK(in, rules::validate_donor(f, ctx.today()));
  CHIDOAN_CHECK(id, register_donor(ctx, store, l, in));
  return done(ctx, "/blood/donors/" + std::to_string(id), Json{{"id", id}}, 201);
}

// Roster filters: group ("O-" … or "rh_neg"), eligible=1 (today), district.
Response roster(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_club(ctx, store, ctx.req.param_int("id"), Action::coordinate_blood));
  std::string group = ctx.req.query_param("group"), district = ctx.req.query_param("district");
  bool eligible_now = ctx.req.query_param("eligible") == "1";
  if (!group.empty() && group != "rh_neg") {
    CHIDOAN_CHECK(g, rules::parse_group(group, "group"));
    group = rules::to_string(g);
  }
  CHIDOAN_CHECK(all, store.donors(l.club.id));
  const std::string today = to_iso(ctx.today());
  Json items = Json::array();
  for (const auto& d : all) {
    if (group == "rh_neg" ? !d.group.ends_with("-") : !group.empty() && d.group != group) continue;
    if (!district.empty() && text::search_fold(d.district) != text::search_fold(district)) continue;
    // From the standing the store keeps on the row (store.hpp: eligible on day d exactly when
    // next_eligible_on <= d < eligible_until), not a query per donor; the reasons are on the
    // donor's page.
    bool ever = !d.next_eligible_on.empty() && d.next_eligible_on < d.eligible_until;
    bool eligible = ever && d.next_eligible_on <= today && today < d.eligible_until;
    if (eligible_now && !eligible) continue;
    Json j = to_json(d);
    j["eligibility"] = {{"eligible", eligible}, {"eligible_from", ever ? Json(std::max(today, d.next_eligible_on)) : Json()}};
    items.push_back(j);
  }
  Json v{{"items", items}, {"club", to_json(l.club)}};
  if (!ctx.req.wants_json()) {
    add_labels(v);
    v["org"] = org::to_json(l.org);
    v["filter"] = {{"group", group}, {"district", district}, {"eligible", eligible_now}};
    Json groups = Json::array();
    for (Group g : kAllGroups) groups.push_back({{"value", rules::to_string(g)}, {"label", rules::group_label(g)}, {"selected", rules::to_string(g) == group}});
    v["groups"] = groups;
    v["rh_neg"] = group == "rh_neg";
    v["today"] = today;
  }
  return web::respond(ctx, "blood/roster", v, 200, ctx.t("blood.roster"));
}

// The roster without phones, for the club's own records; every export is audited.
Response export_roster(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_club(ctx, store, ctx.req.param_int("id"), Action::coordinate_blood));
  CHIDOAN_CHECK(all, store.donors(l.club.id));
  tabular::Table t;
  t.header = {"Mã", "Họ và tên", "Giới tính", "Năm sinh", "Nhóm máu", "Quận/huyện", "Sẵn sàng", "Lần hiến gần nhất", "Có thể hiến từ"};
  for (const auto& d : all)
    t.rows.push_back({std::to_string(d.id), d.name, d.sex == "female" ? "Nữ" : "Nam", d.birth_date.substr(0, 4), d.group, d.district,
                      d.on_call ? "có" : "", text::format_date(d.last_donation_on), text::format_date(d.next_eligible_on)});
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    return ctx.audit("export", "blood_club", l.club.id, {{"donors", all.size()}, {"phones", false}});
  }));
  Response r;
  r.body = tabular::write_csv(t);
  r.header("Content-Type", "text/csv; charset=utf-8");
  r.header("Content-Disposition", "attachment; filename=\"clb-hien-mau-" + std::to_string(l.club.id) + ".csv\"");
  return r;
}

Response show_donor(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_donor(ctx, store, ctx.req.param_int("id")));
  CHIDOAN_CHECK(e, store.eligibility(l.donor.id, ctx.today()));
  CHIDOAN_CHECK(donations, store.donations_of(l.donor.id));
  CHIDOAN_CHECK(deferrals, store.deferrals_of(l.donor.id));
  Json v = to_json(l.donor);
  v["eligibility"] = to_json(e);
  v["donations"] = Json::array();
  for (const auto& d : donations) v["donations"].push_back(to_json(d));
  v["deferrals"] = Json::array();
  for (const auto& d : deferrals) v["deferrals"].push_back(to_json(d));
  if (!ctx.req.wants_json()) {
    add_labels(v);
    for (auto& d : v["donations"]) d["kind_path"] = "donations";
    for (auto& d : v["deferrals"]) d["kind_path"] = "deferrals";
    v["club"] = to_json(l.club.club);
    v["org"] = org::to_json(l.club.org);
    v["coordinator"] = l.coordinator;
    v["today"] = to_iso(ctx.today());
    Json consents = Json::array();
    for (Consent c : {Consent::join, Consent::health, Consent::call, Consent::location}) {
      std::string on = v["consents"][std::string(rules::to_string(c))].get<std::string>();
      consents.push_back({{"kind", rules::to_string(c)},
                          {"label", ctx.t("blood.consent_" + std::string(rules::to_string(c)))},
                          {"given", !on.empty()},
                          {"on_vn", on.empty() ? "" : text::format_date(on)}});
    }
    v["consent_list"] = consents;
    Json phen = Json::array();
    for (size_t i = 0; i < kAntigenCount; ++i)
      if (l.donor.phenotype[i] != '?') phen.push_back({{"antigen", kAntigenNames[i]}, {"state", std::string(1, l.donor.phenotype[i])}});
    v["has_phenotype"] = !phen.empty();
    v["phenotype_known"] = phen;
  }
  return web::respond(ctx, "blood/donor", v, 200, l.donor.name);
}

Response update_donor(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_donor(ctx, store, ctx.req.param_int("id")));
  CHIDOAN_CHECK(f, web::fields(ctx.req, kDonorFields));
  // A field not sent keeps its value (a blood group learned at the first donation is sent alone).
  const Donor& d = l.donor;
  for (auto [field, value] : {std::pair{"name", &d.name}, {"phone", &d.phone}, {"sex", &d.sex}, {"birth_date", &d.birth_date},
                              {"weight_class", &d.weight_class}, {"blood_group", &d.group}, {"phenotype_tested_on", &d.phenotype_tested_on},
                              {"phenotype_lab", &d.phenotype_lab}, {"district", &d.district}, {"commune", &d.commune},
                              {"availability", &d.availability}})
    if (!f.contains(field)) f[field] = *value;
  for (size_t i = 0; i < kAntigenCount; ++i)
    if (std::string k = "phenotype_" + std::string(kAntigenNames[i]); !f.contains(k)) f[k] = std::string(1, d.phenotype[i]);
  if (!f.contains("on_call")) f["on_call"] = d.on_call ? "1" : "0";
  // The consents change through their own route, and are checked as they are; the member stays.
  f["consent_join"] = "1";
  f["consent_health"] = d.consent_health_on.empty() ? "0" : "1";
  f["consent_call"] = d.consent_call_on.empty() ? "0" : "1";
  f["consent_location"] = d.consent_location_on.empty() ? "0" : "1";
  f.erase("consented_on");
  if (d.member_id) f["member_id"] = std::to_string(*d.member_id);
  CHIDOAN_CHECK(in, rules::validate_donor(f, ctx.today()));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.update_donor(l.donor.id, in));
    return ctx.audit("update", "blood_donor", l.donor.id);
  }));
  return done(ctx, "/blood/donors/" + std::to_string(l.donor.id));
}

Response change_consent(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_donor(ctx, store, ctx.req.param_int("id")));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"consent", "action"}));
  CHIDOAN_CHECK(c, rules::parse_consent(f["consent"]));
  if (f["action"] != "give" && f["action"] != "withdraw")
    return web::fail_page(ctx, Error{ErrorKind::invalid, "Chọn đồng ý hoặc rút lại", "action"});
  bool give = f["action"] == "give";
  std::string today = to_iso(ctx.today());
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    if (give) CHIDOAN_TRY_VOID(store.give_consent(l.donor.id, c, today));
    else CHIDOAN_TRY_VOID(store.withdraw_consent(l.donor.id, c, today));
    return ctx.audit(give ? "give_consent" : "withdraw_consent", "blood_donor", l.donor.id, {{"consent", rules::to_string(c)}});
  }));
  // Withdrawing "join" deletes the registration.
  if (!give && c == Consent::join) return done(ctx, "/blood/clubs/" + std::to_string(l.club.club.id), Json{{"deleted", true}});
  return done(ctx, "/blood/donors/" + std::to_string(l.donor.id));
}

Response delete_donor(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_donor(ctx, store, ctx.req.param_int("id")));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"confirm"}));
  if (f["confirm"] != "1") return web::fail_page(ctx, Error{ErrorKind::invalid, "Đánh dấu ô xác nhận xoá hồ sơ", "confirm"});
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.delete_donor(l.donor.id));
    return ctx.audit("delete", "blood_donor", l.donor.id, {{"club_id", l.club.club.id}});
  }));
  return done(ctx, "/blood/clubs/" + std::to_string(l.club.club.id), Json{{"deleted", true}});
}

Response add_donation(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_donor(ctx, store, ctx.req.param_int("id"), true));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"on_date", "type", "volume_ml", "place", "override_reason"}));
  CHIDOAN_CHECK(in, rules::validate_donation(f, ctx.today()));
  Store::Recorded rec;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(r, store.record_donation(l.donor.id, in));
    rec = r;
    Json detail{{"donation_id", r.id}, {"on_date", in.on_date}, {"type", in.type}};
    if (!r.override_reason.empty()) detail["interval_override"] = r.override_reason;
    return ctx.audit("donation", "blood_donor", l.donor.id, detail);
  }));
  return done(ctx, "/blood/donors/" + std::to_string(l.donor.id), Json{{"id", rec.id}}, 201);
}

Response add_deferral(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_donor(ctx, store, ctx.req.param_int("id"), true));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"class", "starts_on", "ends_on"}));
  CHIDOAN_CHECK(in, rules::validate_deferral(f, ctx.today()));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.record_deferral(l.donor.id, in));
    id = new_id;
    return ctx.audit("deferral", "blood_donor", l.donor.id, {{"deferral_id", id}, {"class", in.cls}});
  }));
  return done(ctx, "/blood/donors/" + std::to_string(l.donor.id), Json{{"id", id}}, 201);
}

// A coordinator looks up a donor's phone outside a request (to update the roster): audited.
Response donor_phone(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_donor(ctx, store, ctx.req.param_int("id"), true));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> { return ctx.audit("reveal_phone", "blood_donor", l.donor.id); }));
  return Response::json(200, Json{{"donor_id", l.donor.id}, {"phone", l.donor.phone}}.dump());
}

// ---- requests ---------------------------------------------------------------------------

Json matches_json(const std::vector<Match>& ms) {
  Json out = Json::array();
  for (const auto& m : ms) out.push_back(to_json(m));
  return out;
}

Response list_requests(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_club(ctx, store, ctx.req.param_int("id"), Action::coordinate_blood));
  CHIDOAN_CHECK(list, store.requests(l.club.id));
  Json items = Json::array();
  for (const auto& r : list) items.push_back(to_json(r));
  Json v{{"items", items}};
  if (!ctx.req.wants_json()) {
    add_labels(v);
    v["club"] = to_json(l.club);
    v["org"] = org::to_json(l.org);
    v["today"] = to_iso(ctx.today());
    Json groups = Json::array();
    for (Group g : kAllGroups) groups.push_back({{"value", rules::to_string(g)}, {"label", rules::group_label(g)}});
    v["groups"] = groups;
  }
  return web::respond(ctx, "blood/requests", v, 200, ctx.t("blood.requests"));
}

Result<Response> create_request_in(Ctx& ctx, Store& store, const ClubCtx& l, RawFields f) {
  CHIDOAN_TRY(in, rules::validate_request(f, ctx.today()));
  int64_t id = 0;
  CHIDOAN_TRY_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_request(l.club.id, in, user_id(ctx)));
    id = new_id;
    return ctx.audit("create", "blood_request", id, {{"club_id", l.club.id}, {"recipient_group", in.recipient_group}, {"units", in.units}});
  }));
  CHIDOAN_TRY(matches, store.match(id));
  if (ctx.req.wants_json()) return Response::json(201, Json{{"id", id}, {"matches", matches_json(matches)}}.dump());
  return Response::redirect("/blood/requests/" + std::to_string(id));
}

constexpr std::initializer_list<const char*> kRequestFields = {"hospital",  "recipient_group",   "component",    "units",
                                                               "needed_by", "district",          "antigen_negatives",
                                                               "contact_name", "contact_phone"};

Response create_request(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_club(ctx, store, ctx.req.param_int("id"), Action::coordinate_blood));
  CHIDOAN_CHECK(f, web::fields(ctx.req, kRequestFields));
  CHIDOAN_CHECK(r, create_request_in(ctx, store, l, f));
  return r;
}

// POST /api/v1/blood/requests: the club is club_id, or the one club the user coordinates.
// "recipient" and "antigen_negative" are accepted for recipient_group and antigen_negatives.
Response api_create_request(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"club_id", "hospital", "recipient_group", "recipient", "component", "units", "needed_by",
                                         "district", "antigen_negatives", "antigen_negative", "contact_name", "contact_phone"}));
  if (f["recipient_group"].empty()) f["recipient_group"] = f["recipient"];
  if (f["antigen_negatives"].empty()) f["antigen_negatives"] = f["antigen_negative"];
  f.erase("recipient");
  f.erase("antigen_negative");
  CHIDOAN_CHECK(given, web::optional_id(f, "club_id"));
  f.erase("club_id");
  int64_t club_id = 0;
  if (given) {
    club_id = *given;
  } else {
    std::vector<int64_t> mine;
    for (const auto& g : ctx.user->grants) {
      if (g.grant != auth::Grant::blood_coordinator) continue;
      CHIDOAN_CHECK(clubs, store.clubs(g.org_id));
      for (const auto& c : clubs) mine.push_back(c.id);
    }
    if (mine.size() != 1)
      return web::fail_page(ctx, Error{mine.empty() ? ErrorKind::forbidden : ErrorKind::invalid,
                                       mine.empty() ? "Bạn không điều phối câu lạc bộ hiến máu nào" : "Ghi câu lạc bộ (club_id)", "club_id"});
    club_id = mine.front();
  }
  CHIDOAN_CHECK(l, load_club(ctx, store, club_id, Action::coordinate_blood));
  CHIDOAN_CHECK(r, create_request_in(ctx, store, l, f));
  return r;
}

Response show_request(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  ClubCtx l;
  CHIDOAN_CHECK(r, load_request(ctx, store, ctx.req.param_int("id"), &l));
  // A served or cancelled request keeps its call log; nobody is to be called for it any more.
  std::vector<Match> matches;
  if (r.status == "open") {
    CHIDOAN_CHECK(found, store.match(r));
    matches = std::move(found);
  }
  CHIDOAN_CHECK(calls, store.calls(r.id));
  // The latest outcome per donor, and who may be shown (accepted or donated).
  std::map<int64_t, std::string> latest;
  for (const auto& c : calls) latest[c.donor_id] = c.outcome;
  Json v = to_json(r);
  v["matches"] = matches_json(matches);
  v["calls"] = Json::array();
  for (const auto& c : calls) v["calls"].push_back(to_json(c));
  if (!ctx.req.wants_json()) {
    // Names for the coordinator's call list (a coordinator sees the roster anyway), each donor
    // read once.
    std::map<int64_t, std::string> names;
    auto name_of = [&](int64_t donor_id) -> std::string {
      auto [it, fresh] = names.try_emplace(donor_id);
      if (fresh)
        if (auto d = store.donor(donor_id)) it->second = d->name;
      return it->second;
    };
    for (auto& m : v["matches"]) {
      int64_t id = m["donor_id"].get<int64_t>();
      m["name"] = name_of(id);
      if (latest.contains(id)) m["latest"] = latest[id];
      m["revealable"] = latest.contains(id) && (latest[id] == "accepted" || latest[id] == "donated");
    }
    for (auto& c : v["calls"]) {
      c["name"] = name_of(c["donor_id"].get<int64_t>());
      std::string at = local_time(c["at"].get<int64_t>());  // Vietnam time, as it was logged
      c["at_vn"] = text::format_date(at.substr(0, 10)) + " " + at.substr(11);
    }
    add_labels(v);
    for (auto& m : v["matches"])
      if (m.contains("latest")) m["latest_vn"] = rules::outcome_label(*rules::parse_outcome(m["latest"].get<std::string>()));
    v["club"] = to_json(l.club);
    v["org"] = org::to_json(l.org);
    v["open"] = r.status == "open";
    v["antigens"] = r.antigen_negatives.empty() ? "" : [&] {
      std::string s;
      for (const auto& a : r.antigen_negatives) s += (s.empty() ? "" : ", ") + a + "−";
      return s;
    }();
  }
  return web::respond(ctx, "blood/request", v, 200, ctx.t("blood.request"));
}

Response log_call(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(r, load_request(ctx, store, ctx.req.param_int("id")));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"donor_id", "outcome", "volume_ml", "override_reason"}));
  CHIDOAN_CHECK(donor, web::optional_id(f, "donor_id"));
  if (!donor) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chọn người hiến máu", "donor_id"});
  f.erase("donor_id");
  CHIDOAN_CHECK(in, rules::validate_call(f));
  Store::CallLogged logged;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(c, store.log_call(r.id, *donor, in, user_id(ctx)));
    logged = c;
    Json detail{{"donor_id", *donor}, {"outcome", in.outcome}};
    if (c.donation_id) detail["donation_id"] = *c.donation_id;
    if (!c.override_reason.empty()) detail["interval_override"] = c.override_reason;
    if (in.outcome == "accepted") CHIDOAN_TRY_VOID(enqueue_accepted(ctx.db(), *ctx.services.clock, *ctx.services.renderer, r, *donor));
    return ctx.audit("call", "blood_request", r.id, detail);
  }));
  Json body{{"id", logged.call_id}};
  if (logged.donation_id) body["donation_id"] = *logged.donation_id;
  return done(ctx, "/blood/requests/" + std::to_string(r.id), body, 201);
}

// The phone of a donor who accepted, for the requester: every reveal is audited.
Response reveal_phone(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(r, load_request(ctx, store, ctx.req.param_int("id")));
  int64_t donor = ctx.req.param_int("did");
  CHIDOAN_CHECK(d, store.donor(donor));
  if (d.club_id != r.club_id) return web::fail_page(ctx, Error{ErrorKind::not_found, "Không tìm thấy người hiến máu", "donor_id"});
  CHIDOAN_CHECK(phone, store.reveal_phone(r.id, donor));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> { return ctx.audit("reveal_phone", "blood_request", r.id, {{"donor_id", donor}}); }));
  Json v{{"request_id", r.id}, {"donor_id", donor}, {"phone", phone}};
  if (ctx.req.wants_json()) return Response::json(200, v.dump());
  v["name"] = d.name;
  return web::respond(ctx, "blood/phone", v, 200, ctx.t("blood.phone"));
}

Response set_status(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(r, load_request(ctx, store, ctx.req.param_int("id")));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"status"}));
  CHIDOAN_CHECK(s, rules::parse_status(f["status"]));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_request_status(r.id, s));
    return ctx.audit("status", "blood_request", r.id, {{"status", rules::to_string(s)}});
  }));
  return done(ctx, "/blood/requests/" + std::to_string(r.id));
}

// GET /api/v1/blood/compatibility?recipient=A-&component=red_cells
Response compatibility(Ctx& ctx) {
  CHIDOAN_CHECK(g, rules::parse_group(ctx.req.query_param("recipient"), "recipient"));
  CHIDOAN_CHECK(c, rules::parse_component(ctx.req.query_param("component"), "component"));
  Json groups = Json::array();
  for (Group d : rules::donor_groups(g, c)) groups.push_back(rules::to_string(d));
  return Response::json(200, Json{{"recipient", rules::to_string(g)}, {"component", rules::to_string(c)}, {"donor_groups", groups}}.dump());
}

// GET /me/donor: the member's own registration, or the clubs they can join.
// A donation or deferral entered by mistake (a wrong date keeps the donor out of matching for
// weeks): the coordinators delete it with a reason, which the audit keeps with what was deleted.
Response delete_entry(Ctx& ctx, bool donation) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(l, load_donor(ctx, store, ctx.req.param_int("id"), true));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"reason"}));
  CHIDOAN_CHECK(reason, text::normalize(f["reason"]));
  if (reason.empty()) return web::fail_page(ctx, Error{ErrorKind::invalid, "Ghi lý do xoá (ví dụ: ghi nhầm ngày)", "reason"});
  const int64_t entry = ctx.req.param_int("did");
  Json detail{{"reason", reason}};
  if (donation) {
    CHIDOAN_CHECK(list, store.donations_of(l.donor.id));
    auto it = std::ranges::find(list, entry, &Donation::id);
    if (it == list.end()) return web::fail_page(ctx, Error{ErrorKind::not_found, "Không tìm thấy lần hiến", "donation_id"});
    detail.update({{"donation_id", entry}, {"on_date", it->on_date}, {"type", it->type}});
  } else {
    CHIDOAN_CHECK(list, store.deferrals_of(l.donor.id));
    auto it = std::ranges::find(list, entry, &Deferral::id);
    if (it == list.end()) return web::fail_page(ctx, Error{ErrorKind::not_found, "Không tìm thấy lần hoãn hiến", "deferral_id"});
    detail.update({{"deferral_id", entry}, {"starts_on", it->starts_on}, {"class", it->cls}});
  }
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(donation ? store.delete_donation(entry) : store.delete_deferral(entry));
    return ctx.audit(donation ? "delete_donation" : "delete_deferral", "blood_donor", l.donor.id, detail);
  }));
  return done(ctx, "/blood/donors/" + std::to_string(l.donor.id));
}

Response my_donor(Ctx& ctx) {
  if (!ctx.user->member_id) return Response::redirect("/orgs/" + std::to_string(ctx.user->org_id) + "/blood");
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(ids, store.donors_of_member(*ctx.user->member_id));
  if (!ids.empty()) return Response::redirect("/blood/donors/" + std::to_string(ids.front()));
  CHIDOAN_CHECK(m, org::Store(ctx.db(), *ctx.services.clock).member(*ctx.user->member_id));
  return Response::redirect("/orgs/" + std::to_string(m.branch_id) + "/blood");
}

}  // namespace

void add_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/blood", list_clubs);
  routes.both("POST", "/orgs/{id:int}/blood", create_club);
  routes.both("GET", "/blood/clubs/{id:int}", show_club);
  routes.both("POST", "/blood/clubs/{id:int}/coordinators", appoint);
  routes.both("POST", "/blood/clubs/{id:int}/coordinators/{uid:int}/remove", dismiss);
  routes.both("POST", "/blood/clubs/{id:int}/join", join_club);
  routes.both("GET", "/blood/clubs/{id:int}/donors", roster);
  routes.both("POST", "/blood/clubs/{id:int}/donors", add_donor);
  routes.both("GET", "/blood/clubs/{id:int}/donors.csv", export_roster);
  routes.both("GET", "/blood/clubs/{id:int}/requests", list_requests);
  routes.both("POST", "/blood/clubs/{id:int}/requests", create_request);
  routes.api("POST", "/blood/requests", api_create_request);
  routes.api("GET", "/blood/compatibility", compatibility);
  routes.both("GET", "/blood/donors/{id:int}", show_donor);
  routes.both("POST", "/blood/donors/{id:int}", update_donor);
  routes.both("POST", "/blood/donors/{id:int}/consents", change_consent);
  routes.both("POST", "/blood/donors/{id:int}/delete", delete_donor);
  routes.both("POST", "/blood/donors/{id:int}/donations", add_donation);
  routes.both("POST", "/blood/donors/{id:int}/deferrals", add_deferral);
  routes.both("POST", "/blood/donors/{id:int}/donations/{did:int}/delete", [](Ctx& c) { return delete_entry(c, true); });
  routes.both("POST", "/blood/donors/{id:int}/deferrals/{did:int}/delete", [](Ctx& c) { return delete_entry(c, false); });
  routes.api("POST", "/blood/donors/{id:int}/phone", donor_phone);
  routes.both("GET", "/blood/requests/{id:int}", show_request);
  routes.both("POST", "/blood/requests/{id:int}/calls", log_call);
  routes.both("POST", "/blood/requests/{id:int}/donors/{did:int}/phone", reveal_phone);
  routes.both("POST", "/blood/requests/{id:int}/status", set_status);
  routes.page("GET", "/me/donor", my_donor);
}

}  // namespace chidoan::blood
