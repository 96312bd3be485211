#include "desk/assist_routes.hpp"

#include "desk/assist_rules.hpp"
#include "desk/assist_store.hpp"
#include "desk/assist_views.hpp"
#include "desk/store.hpp"
#include "desk/support.hpp"
#include "org/views.hpp"
#include "platform/core/date.hpp"
#include "platform/tabular/tabular.hpp"
#include "platform/text/text.hpp"

namespace chidoan::desk {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;

constexpr size_t kPageSize = 200;

std::string center_path(int64_t id, const std::string& rest = "") { return "/desk/centers/" + std::to_string(id) + rest; }

// Named fields from a form, or from a JSON object whose values may be strings, integers,
// booleans (as "1"/"0") or arrays of strings ("documents" joined by line breaks, others by
// commas, as repeated form fields are). Unknown JSON fields are errors.
Result<RawFields> read_fields(const http::Request& req, std::initializer_list<const char*> names) {
  if (!req.wants_json()) {
    return web::fields(req, names);
  }
  CHIDOAN_TRY(body, web::json_body(req));
  RawFields out;
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& key = it.key();
    bool known = false;
    for (const char* n : names) known = known || key == n;
    if (!known) return fail(ErrorKind::invalid, "Trường \"" + key + "\" không được hỗ trợ", key);
    const Json& v = *it;
    if (v.is_string()) out[key] = v.get<std::string>();
    else if (v.is_number_integer()) out[key] = std::to_string(v.get<int64_t>());
    else if (v.is_boolean()) out[key] = v.get<bool>() ? "1" : "0";
    else if (v.is_array()) {
      std::string joined;
      const char* sep = key == "documents" ? "\n" : ",";
      for (const auto& e : v) {
        if (!e.is_string()) return fail(ErrorKind::invalid, "Trường \"" + key + "\" phải là danh sách chuỗi", key);
        joined += (joined.empty() ? "" : sep) + e.get<std::string>();
      }
      out[key] = joined;
    } else if (!v.is_null()) {
      return fail(ErrorKind::invalid, "Trường \"" + key + "\" sai kiểu dữ liệu", key);
    }
  }
  return out;
}

using web::done;

std::string now_local(const Ctx& ctx) { return local_time(ctx.services.clock->unix_seconds()); }

// Is the signed-in user a volunteer of the center (their member is active in its subtree)?
Result<bool> is_volunteer(Ctx& ctx, const Center& c) {
  if (!ctx.user || !ctx.user->member_id) return false;
  return Store(ctx.db(), *ctx.services.clock).is_volunteer(c, *ctx.user->member_id);
}

Json levels_json(const std::string& selected = "") {
  Json out = Json::array();
  for (auto l : assist_rules::kLevels)
    out.push_back({{"value", l}, {"label", assist_rules::level_label(l)}, {"selected", l == selected}});
  return out;
}

// ---- The catalogue ------------------------------------------------------------------------

constexpr std::initializer_list<const char*> kProcedureFields = {"code", "name", "field", "level", "documents"};

Json catalogue_view(Ctx& ctx, const CenterCtx& l) {
  AssistStore store(ctx.db(), *ctx.services.clock);
  auto list = store.procedures(l.center.id, !l.coordinator);
  Json items = Json::array();
  if (list)
    for (const auto& p : *list) items.push_back(procedure_json(p));
  Json v{{"center", center_json(l.center)}, {"coordinator", l.coordinator}, {"items", items}};
  if (!ctx.req.wants_json()) {
    v["org"] = org::to_json(l.org);
    v["levels"] = levels_json();
    for (auto& p : v["items"]) {
      std::string docs;
      for (const auto& d : p["documents"]) docs += (docs.empty() ? "" : "\n") + d.get<std::string>();
      p["documents_text"] = docs;
      p["levels"] = levels_json(p["level"].get<std::string>());
      p["document_count"] = p["documents"].size();
    }
  }
  return v;
}

Response list_procedures(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::view_desk));
  return web::respond(ctx, "desk/procedures", catalogue_view(ctx, l), 200, ctx.t("desk_assist.catalogue"));
}

Response add_procedure(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(raw, read_fields(ctx.req, kProcedureFields));
  CHIDOAN_CHECK(in, assist_rules::validate_procedure(raw));
  AssistStore store(ctx.db(), *ctx.services.clock);
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.add_procedure(l.center.id, in));
    id = new_id;
    return ctx.audit("create", "desk_procedure", id, {{"center_id", l.center.id}, {"code", in.code}});
  }));
  return done(ctx, center_path(l.center.id, "/procedures"), Json{{"id", id}}, 201);
}

Result<std::pair<Procedure, CenterCtx>> load_procedure(Ctx& ctx, Action action) {
  AssistStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(p, store.procedure(ctx.req.param_int("pid")));
  CHIDOAN_TRY(l, load_center(ctx, p.center_id, action));
  return std::pair{p, l};
}

Response update_procedure(Ctx& ctx) {
  CHIDOAN_CHECK(pl, load_procedure(ctx, Action::manage_desk));
  auto& [p, l] = pl;
  CHIDOAN_CHECK(raw, read_fields(ctx.req, kProcedureFields));
  CHIDOAN_CHECK(in, assist_rules::validate_procedure(raw));
  AssistStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.update_procedure(p.id, in));
    return ctx.audit("update", "desk_procedure", p.id, {{"center_id", l.center.id}, {"code", in.code}});
  }));
  return done(ctx, center_path(l.center.id, "/procedures"), Json{{"id", p.id}});
}

Response set_active(Ctx& ctx, bool active) {
  CHIDOAN_CHECK(pl, load_procedure(ctx, Action::manage_desk));
  auto& [p, l] = pl;
  AssistStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_procedure_active(p.id, active));
    return ctx.audit(active ? "activate" : "deactivate", "desk_procedure", p.id, {{"center_id", l.center.id}, {"code", p.code}});
  }));
  return done(ctx, center_path(l.center.id, "/procedures"), Json{{"id", p.id}, {"active", active}});
}
Response deactivate_procedure(Ctx& ctx) { return set_active(ctx, false); }
Response activate_procedure(Ctx& ctx) { return set_active(ctx, true); }

// POST .../procedures/import, multipart "file" (CSV or XLSX). A file with a bad row writes
// nothing: 422 with the rows and their line numbers.
Response import_procedures(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(form, ctx.req.form());
  const http::FilePart* file = form.file("file");
  auto refuse = [&](const Error& e, const std::vector<assist_rules::RowError>& rows) {
    Json row_list = Json::array();
    for (const auto& r : rows) row_list.push_back({{"line", r.line}, {"field", r.field}, {"message", r.message}});
    if (ctx.req.wants_json())
      return Response::json(http::status_for(e.kind), Json{{"error", {{"kind", kind_name(e.kind)}, {"message", e.message}, {"field", e.field}}},
                                                           {"rows", row_list}}
                                                          .dump());
    Json v = catalogue_view(ctx, l);
    v["import_error"] = {{"message", e.message}, {"rows", row_list}, {"has_rows", !rows.empty()}};
    return web::respond(ctx, "desk/procedures", v, http::status_for(e.kind), ctx.t("desk_assist.catalogue"));
  };
  if (!file || file->data.empty()) return refuse(Error{ErrorKind::invalid, "Chưa chọn tệp CSV hoặc XLSX", "file"}, {});
  auto table = tabular::read_any(file->filename.empty() ? "danh-muc.csv" : file->filename, file->data);
  if (!table) {
    Error e = table.error();
    if (e.field.empty()) e.field = "file";
    return refuse(e, {});
  }
  auto mapped = assist_rules::map_procedure_table(*table);
  if (!mapped) return refuse(mapped.error(), {});
  if (!mapped->errors.empty()) return refuse(assist_rules::import_error(mapped->errors), mapped->errors);
  AssistStore store(ctx.db(), *ctx.services.clock);
  AssistStore::ImportOutcome outcome;
  auto written = ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(o, store.import_procedures(l.center.id, *mapped));
    outcome = o;
    return ctx.audit("import", "desk_center", l.center.id,
                     {{"procedures", mapped->rows.size()}, {"added", o.added}, {"updated", o.updated}, {"file", file->filename}});
  });
  if (!written) return refuse(written.error(), {});
  Json result{{"added", outcome.added}, {"updated", outcome.updated}, {"total", mapped->rows.size()}, {"ignored_headers", mapped->ignored_headers}};
  if (ctx.req.wants_json()) return Response::json(200, result.dump());
  Json v = catalogue_view(ctx, l);
  v["import_result"] = result;
  v["import_result"]["has_ignored"] = !mapped->ignored_headers.empty();
  return web::respond(ctx, "desk/procedures", v, 200, ctx.t("desk_assist.catalogue"));
}

// ---- The log ------------------------------------------------------------------------------

// GET .../assists?month=YYYY-MM&page=N&day=YYYY-MM-DD
Response list_assists(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::view_desk));
  const std::string now = now_local(ctx);
  std::string month = ctx.req.query_param("month");
  if (month.empty()) month = now.substr(0, 7);
  if (month.size() != 7) return web::fail_page(ctx, Error{ErrorKind::invalid, "Tháng phải viết dạng YYYY-MM, ví dụ 2021-11", "month"});
  CHIDOAN_CHECK_VOID(assist_rules::period_range(month, "month"));
  std::string day = ctx.req.query_param("day");
  if (day.empty()) day = now.substr(0, 10);
  if (!parse_date(day)) return web::fail_page(ctx, Error{ErrorKind::invalid, "Ngày phải viết dạng YYYY-MM-DD", "day"});
  CHIDOAN_CHECK(page, web::int_param(ctx.req, "page", 1, 1, 100000));
  CHIDOAN_CHECK(volunteer, is_volunteer(ctx, l.center));

  AssistStore store(ctx.db(), *ctx.services.clock);
  Json items = Json::array();
  bool more = false;
  if (l.coordinator || volunteer) {
    std::optional<int64_t> only = l.coordinator ? std::nullopt : ctx.user->member_id;
    CHIDOAN_CHECK(list, store.assists(l.center.id, month, only, kPageSize + 1, static_cast<size_t>(page - 1) * kPageSize));
    more = list.size() > kPageSize;
    if (more) list.pop_back();
    for (const auto& a : list) items.push_back(assist_json(a, l.coordinator));
  }
  CHIDOAN_CHECK(counts, store.stats(l.center.id, month));
  CHIDOAN_CHECK(shifts, store.shifts_on(l.center.id, day));
  Json shift_list = Json::array();
  for (const auto& s : shifts) shift_list.push_back(assist_shift_json(s));

  Json v{{"center", center_json(l.center)},
         {"month", month},
         {"coordinator", l.coordinator},
         {"volunteer", volunteer},
         {"can_log", l.coordinator || volunteer},
         {"items", items},
         {"page", page},
         {"next_page", more ? Json(page + 1) : Json(nullptr)},
         {"counts", assist_stats_json(counts)},
         {"day", day},
         {"shifts", shift_list}};
  if (ctx.req.wants_json()) return web::respond(ctx, "desk/assists", v);

  v["org"] = org::to_json(l.org);
  v["month_label"] = month_label(month);
  v["prev_month"] = assist_rules::month_after(month, -1);
  v["next_month"] = assist_rules::month_after(month, 1);
  v["year"] = month.substr(0, 4);
  add_assist_labels(v["counts"]);
  for (auto& a : v["items"]) {
    std::string at = a["at_local"].get<std::string>();
    a["at_vn"] = text::format_date(at.substr(0, 10)) + " " + at.substr(11, 5);
    Json steps = Json::array();
    for (const auto& s : a["steps"]) steps.push_back(assist_rules::step_label(s.get<std::string>()));
    a["step_labels"] = steps;
    a["submitted"] = a["outcome"] == "submitted";
  }
  v["day_vn"] = text::format_date(day);
  v["at_default"] = day == now.substr(0, 10) ? now : day + "T08:00";
  v["at_max"] = now;
  if (v["can_log"] == true) {
    AssistStore catalogue(ctx.db(), *ctx.services.clock);
    CHIDOAN_CHECK(procedures, catalogue.procedures(l.center.id, true));
    Json plist = Json::array();
    for (const auto& p : procedures)
      plist.push_back({{"id", p.id}, {"code", p.code}, {"name", p.name}, {"level_label", assist_rules::level_label(p.level)}});
    v["procedures"] = plist;
    v["levels"] = levels_json();
    Json steps = Json::array();
    for (auto s : assist_rules::kSteps) steps.push_back({{"value", s}, {"label", assist_rules::step_label(s)}});
    v["steps"] = steps;
    Json outcomes = Json::array();
    for (auto o : assist_rules::kOutcomes) outcomes.push_back({{"value", o}, {"label", assist_rules::outcome_label(o)}});
    v["outcomes"] = outcomes;
    if (l.coordinator) {
      CHIDOAN_CHECK(people, Store(ctx.db(), *ctx.services.clock).volunteers(l.center));
      Json vols = Json::array();
      for (const auto& p : people)
        vols.push_back({{"id", p.member_id}, {"name", p.name}, {"selected", ctx.user->member_id && *ctx.user->member_id == p.member_id}});
      v["volunteers"] = vols;
    }
  }
  return web::respond(ctx, "desk/assists", v, 200, ctx.t("desk_assist.log"));
}

constexpr std::initializer_list<const char*> kAssistFields = {"member_id", "shift_id", "procedure_id", "at", "level",
                                                              "steps",     "outcome",  "phone",        "phone_consent", "note"};

Response log_assist(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::view_desk));
  CHIDOAN_CHECK(volunteer, is_volunteer(ctx, l.center));
  if (!l.coordinator && !volunteer)
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ tình nguyện viên và điều phối viên của trung tâm được ghi sổ hướng dẫn"});
  CHIDOAN_CHECK(raw, read_fields(ctx.req, kAssistFields));
  RawFields ids{{"member_id", raw["member_id"]}};
  CHIDOAN_CHECK(named, web::optional_id(ids, "member_id"));
  const std::optional<int64_t> own = ctx.user->member_id;
  if (!l.coordinator && named && named != own)
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Tình nguyện viên chỉ ghi những người dân mình đã hướng dẫn", "member_id"});
  CHIDOAN_CHECK(in, assist_rules::validate_assist(raw, ctx.services.clock->unix_seconds()));
  std::optional<int64_t> member = in.member_id ? in.member_id : own;
  if (!member) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chọn người hướng dẫn", "member_id"});
  AssistStore store(ctx.db(), *ctx.services.clock);
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.log(l.center, *member, in));
    id = new_id;
    // Never the phone itself in the audit log.
    return ctx.audit("create", "desk_assist", id,
                     {{"center_id", l.center.id}, {"member_id", *member}, {"procedure_id", in.procedure_id}, {"outcome", in.outcome},
                      {"phone", in.phone.has_value()}});
  }));
  return done(ctx, center_path(l.center.id, "/assists?month=" + local_time(in.at).substr(0, 7)), Json{{"id", id}}, 201);
}

// A correction: the entry is deleted, and the audit log keeps what it was (without a phone).
Response delete_assist(Ctx& ctx) {
  AssistStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(a, store.assist(ctx.req.param_int("aid")));
  CHIDOAN_CHECK(l, load_center(ctx, a.center_id, Action::manage_desk));
  CHIDOAN_CHECK(raw, read_fields(ctx.req, {"reason"}));
  CHIDOAN_CHECK(reason, assist_rules::clean_text(raw["reason"], "reason", 200, false));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.remove(a.id));
    return ctx.audit("delete", "desk_assist", a.id,
                     {{"center_id", a.center_id}, {"member_id", a.member_id}, {"at", a.at}, {"procedure_id", a.procedure_id}, {"level", a.level},
                      {"outcome", a.outcome}, {"reason", reason}});
  }));
  return done(ctx, center_path(l.center.id, "/assists?month=" + local_time(a.at).substr(0, 7)), Json{{"id", a.id}, {"deleted", true}});
}

// GET .../assists/stats?year=YYYY (or month=YYYY-MM)
Response assist_stats(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::view_desk));
  const std::string now = now_local(ctx);
  CHIDOAN_CHECK(year, web::int_param(ctx.req, "year", std::stoll(now.substr(0, 4)), 1900, 9999));
  std::string period = ctx.req.query_param("month");
  if (!period.empty() && period.size() != 7)
    return web::fail_page(ctx, Error{ErrorKind::invalid, "Tháng phải viết dạng YYYY-MM, ví dụ 2021-11", "month"});
  if (period.empty()) period = std::to_string(year);
  AssistStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(s, store.stats(l.center.id, period));
  Json v = assist_stats_json(s);
  v["center"] = center_json(l.center);
  if (ctx.req.wants_json()) return web::respond(ctx, "desk/assist_stats", v);
  add_assist_labels(v);
  v["org"] = org::to_json(l.org);
  v["coordinator"] = l.coordinator;
  v["is_month"] = period.size() == 7;
  v["period_vn"] = period.size() == 7 ? month_label(period) : period;
  int64_t shown_year = std::stoll(period.substr(0, 4));
  v["prev_year"] = shown_year - 1;
  v["next_year"] = shown_year + 1;
  return web::respond(ctx, "desk/assist_stats", v, 200, ctx.t("desk_assist.stats"));
}

}  // namespace

void add_assist_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/desk/centers/{cid:int}/procedures", list_procedures);
  routes.both("POST", "/desk/centers/{cid:int}/procedures", add_procedure);
  routes.both("POST", "/desk/centers/{cid:int}/procedures/import", import_procedures);
  routes.both("POST", "/desk/procedures/{pid:int}", update_procedure);
  routes.both("POST", "/desk/procedures/{pid:int}/deactivate", deactivate_procedure);
  routes.both("POST", "/desk/procedures/{pid:int}/activate", activate_procedure);
  routes.both("GET", "/desk/centers/{cid:int}/assists", list_assists);
  routes.both("POST", "/desk/centers/{cid:int}/assists", log_assist);
  routes.both("GET", "/desk/centers/{cid:int}/assists/stats", assist_stats);
  routes.both("POST", "/desk/assists/{aid:int}/delete", delete_assist);
}

}  // namespace chidoan::desk
