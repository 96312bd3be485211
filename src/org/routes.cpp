#include "org/routes.hpp"

#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "org/import.hpp"
#include "org/rules.hpp"
#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/text/text.hpp"
#include "platform/web/cache.hpp"

namespace chidoan::org {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;

auth::Scope org_scope(const Org& o) { return auth::Scope{Store::path_ids(o.path), std::nullopt}; }

// The store's moves of members also release what the other modules hold for them
// (web::Services::member_moved: the help desk's future shifts).
void release_on_move(Ctx& ctx, Store& store) {
  if (!ctx.services.member_moved) return;
  store.on_member_moved([&ctx](int64_t member, std::optional<int64_t> to_branch) {
    return ctx.services.member_moved(ctx.db(), *ctx.services.clock, member, to_branch);
  });
}

// The org named by the {id} path parameter, if the user may `action` on it.
Result<Org> load_org(Ctx& ctx, Store& store, Action action) {
  CHIDOAN_TRY(o, store.org(ctx.req.param_int("id")));
  CHIDOAN_TRY_VOID(ctx.authorize(action, org_scope(o)));
  return o;
}

Result<std::pair<Member, Org>> load_member(Ctx& ctx, Store& store, Action action) {
  CHIDOAN_TRY(m, store.member(ctx.req.param_int("id")));
  CHIDOAN_TRY(branch, store.org(m.branch_id));
  auth::Scope scope = org_scope(branch);
  scope.member_id = m.id;
  bool own = ctx.user && ctx.user->member_id == m.id;
  Action effective = action;
  if (own && action == Action::view_members) effective = Action::view_own_profile;
  CHIDOAN_TRY_VOID(ctx.authorize(effective, scope));
  return std::pair{m, branch};
}


// Raw member fields from a form or a JSON body. JSON: unknown fields and non-string values
// (other than unit_id as an integer, and null) are errors.
Result<RawFields> member_fields(const http::Request& req) {
  RawFields raw;
  if (req.wants_json()) {
    CHIDOAN_TRY(body, web::json_body(req));
    for (auto it = body.begin(); it != body.end(); ++it) {
      if (!rules::is_member_field(it.key()))
        return fail(ErrorKind::invalid, "Trường \"" + it.key() + "\" không được hỗ trợ", it.key());
      if (it->is_null()) continue;
      if (it.key() == "unit_id" && it->is_number_integer()) raw[it.key()] = std::to_string(it->get<int64_t>());
      else if (it->is_string()) raw[it.key()] = it->get<std::string>();
      else return fail(ErrorKind::invalid, "Trường \"" + it.key() + "\" phải là chuỗi", it.key());
    }
    return raw;
  }
  CHIDOAN_TRY(form, req.form());
  for (const auto& [k, v] : form.fields)
    if (rules::is_member_field(k)) raw[k] = v;
  return raw;
}

Json breadcrumbs(Store& store, const Org& o) {
  Json crumbs = Json::array();
  for (int64_t id : Store::path_ids(o.path)) {
    if (id == o.id) break;
    auto a = store.org(id);
    if (a) crumbs.push_back({{"id", a->id}, {"name", a->name}});
  }
  return crumbs;
}

Json units_json(const std::vector<Unit>& units, std::optional<int64_t> selected) {
  Json arr = Json::array();
  for (const auto& u : units) {
    Json j = to_json(u);
    j["selected"] = selected && *selected == u.id;
    arr.push_back(j);
  }
  return arr;
}

Result<MemberQuery> member_query(const http::Request& req) {
  MemberQuery q;
  q.q = req.query_param("q");
  if (q.q.size() > 200) return fail(ErrorKind::invalid, "Từ khóa tìm kiếm quá dài", "q");
  CHIDOAN_TRY(limit, web::int_param(req, "limit", 50, 1, 500));
  CHIDOAN_TRY(offset, web::int_param(req, "offset", 0, 0, 1'000'000'000));
  CHIDOAN_TRY(unit, web::int_param(req, "unit_id", 0, 0, INT64_MAX));
  q.limit = limit;
  q.offset = offset;
  if (unit) q.unit_id = unit;
  std::string status = req.query_param("status");
  if (!status.empty()) {
    if (status != "all" && status != "active" && status != "transferred_out" && status != "matured" && status != "removed")
      return fail(ErrorKind::invalid, "Trạng thái không hợp lệ", "status");
    q.status = status;
  }
  q.due_for_maturity = req.query_param("due") == "1";
  q.as_of = req.query_param("as_of");
  if (!q.as_of.empty() && !parse_date(q.as_of)) return fail(ErrorKind::invalid, "Ngày tra cứu phải có dạng YYYY-MM-DD", "as_of");
  return q;
}

// The member list view: the API's shape plus what the page needs to page and filter.
Result<Json> members_view(Ctx& ctx, Store& store, const Org& o, const MemberQuery& q) {
  CHIDOAN_TRY(page, store.members(o, q, ctx.today()));
  Json items = Json::array();
  for (const auto& m : page.items) items.push_back(to_json(m, false));
  Json v = Json::object();
  v["items"] = std::move(items);
  v["total"] = page.total;
  v["total_is_lower_bound"] = page.total_is_lower_bound;
  v["limit"] = q.limit;
  v["offset"] = q.offset;
  if (!ctx.req.wants_json()) {
    for (auto& item : v["items"]) {
      item["birth_date_vn"] = text::format_date(item["birth_date"].get<std::string>());
      item["status_label"] = ctx.t("member.status." + item["status"].get<std::string>());
      std::string role = item["committee_role"].get<std::string>();
      if (!role.empty()) item["role_label"] = ctx.t("member.role." + role);
    }
    v["org_id"] = o.id;
    v["q"] = q.q;
    // The filters as a query string, so the pager keeps them.
    std::string qs = "q=" + http::url_encode(q.q) + "&status=" + q.status;
    if (q.unit_id) qs += "&unit_id=" + std::to_string(*q.unit_id);
    if (q.due_for_maturity) qs += "&due=1";
    if (!q.as_of.empty()) qs += "&as_of=" + q.as_of;
    v["qs"] = qs;
    // A total that is a lower bound reads "ít nhất 10.000" (at least 10,000).
    v["total_vn"] = page.total_is_lower_bound ? ctx.t("members.at_least") + " " + text::format_int(page.total)
                                              : text::format_int(page.total);
    if (q.offset > 0) v["prev_offset"] = std::max<int64_t>(0, q.offset - q.limit);
    // A lower-bound total ("ít nhất 1.000") is as deep as a list pages: past it, narrow it down.
    if (q.offset + q.limit < page.total) v["next_offset"] = q.offset + q.limit;
    v["from"] = page.total == 0 ? 0 : q.offset + 1;
    v["to"] = q.offset + static_cast<int64_t>(page.items.size());
    v["status_" + q.status] = true;
    v["due"] = q.due_for_maturity;
    v["as_of"] = q.as_of;
  }
  return v;
}

// The tree page's nodes, nested. `orgs` in path order (a parent before its children); `counts`:
// active members in each org's subtree; `hidden`: how many children of an org are left out.
// Every node has every key, so that a node never reads its parent's through the template's
// context (has_children, more_children).
Json tree_of(const std::vector<Org>& orgs, const std::map<int64_t, int64_t>& counts, const std::map<int64_t, size_t>& hidden) {
  std::unordered_map<int64_t, size_t> index;
  std::vector<std::vector<size_t>> children(orgs.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < orgs.size(); ++i) {
    index[orgs[i].id] = i;
    auto parent = orgs[i].parent_id ? index.find(*orgs[i].parent_id) : index.end();
    if (parent != index.end()) children[parent->second].push_back(i);
    else roots.push_back(i);
  }
  std::function<Json(size_t)> node = [&](size_t i) {
    const Org& o = orgs[i];
    Json n = to_json(o);
    auto c = counts.find(o.id);
    n["member_count"] = c == counts.end() ? 0 : c->second;
    n["member_count_vn"] = text::format_int(c == counts.end() ? 0 : c->second);
    n["active"] = o.active();
    Json kids = Json::array();
    for (size_t k : children[i]) kids.push_back(node(k));
    n["has_children"] = !kids.empty();
    n["children"] = std::move(kids);
    auto h = hidden.find(o.id);
    n["more_children"] = h == hidden.end() ? 0 : h->second;
    return n;
  };
  Json out = Json::array();
  for (size_t r : roots) out.push_back(node(r));
  return out;
}

// ---- handlers ----

// The tree page lists at most this many orgs (rules::tree_depth_shown).
constexpr size_t kTreePageOrgs = 2000;

Response list_orgs(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  std::optional<int64_t> root;
  if (ctx.user->role != auth::Role::system_admin) root = ctx.user->org_id;
  CHIDOAN_CHECK(orgs, store.orgs(root));
  if (ctx.req.wants_json()) {
    JsonWriter w(128 + 160 * orgs.size());
    w.begin_object().key("items").begin_array();
    for (const auto& o : orgs) {
      w.begin_object()
          .field("id", o.id)
          .field("code", o.code)
          .field("name", o.name)
          .field("level", o.level_name)
          .field("parent_id", o.parent_id)
          .field("status", o.status)
          .field("is_branch", o.holds_members)
          .end_object();
    }
    w.end_array().end_object();
    return Response::json(200, w.take());
  }
  // The levels from the top while they fit; the members of the whole list's subtree.
  const std::string top = orgs.empty() ? std::string("/") : orgs.front().path;
  auto depth_of = [&](const Org& o) { return Store::path_ids(o.path).size() - Store::path_ids(top).size(); };
  std::vector<size_t> at_depth;
  for (const auto& o : orgs) {
    size_t d = depth_of(o);
    if (at_depth.size() <= d) at_depth.resize(d + 1);
    ++at_depth[d];
  }
  const size_t shown_depth = rules::tree_depth_shown(at_depth, kTreePageOrgs);
  std::map<int64_t, int64_t> totals;  // the members of each org's subtree
  for (const auto& o : orgs)
    if (o.active_members != 0)
      for (int64_t a : Store::path_ids(o.path)) totals[a] += o.active_members;
  std::vector<Org> shown;
  std::map<int64_t, size_t> hidden;
  for (const auto& o : orgs) {
    const size_t d = depth_of(o);
    if (d <= shown_depth) shown.push_back(o);
    else if (d == shown_depth + 1 && o.parent_id) ++hidden[*o.parent_id];
  }
  Json v{{"tree", tree_of(shown, totals, hidden)}, {"orgs", orgs.size()}, {"shown", shown.size()},
         {"cut", shown.size() < orgs.size()}};
  return web::respond(ctx, "org/tree", std::move(v), 200, ctx.t("org.tree_title"));
}

Response show_org(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, store, Action::view_org));
  Json v = to_json(o);
  CHIDOAN_CHECK(units, store.units(o.id));
  v["units"] = units_json(units, std::nullopt);
  v["has_units"] = !units.empty();
  CHIDOAN_CHECK(events, store.org_events(o.id));
  Json history = Json::array();
  for (const auto& e : events) {
    Json j = to_json(e);
    j["effective_on_vn"] = text::format_date(e.effective_on);
    j["kind_label"] = ctx.t("org.event." + e.kind);
    // The other party of the event: the related org, or the org that recorded it.
    std::optional<int64_t> other = e.org_id == o.id ? e.related_org_id : std::optional<int64_t>(e.org_id);
    if (other) {
      auto rel = store.org_name_on(*other, e.effective_on);
      if (rel) j["related_name"] = *rel;
    }
    history.push_back(j);
  }
  v["history"] = history;
  CHIDOAN_CHECK(count, store.member_count(o, to_iso(ctx.today())));
  v["member_count"] = count;
  CHIDOAN_CHECK(children, store.children(o.id));
  Json kids = Json::array();
  for (const auto& c : children) kids.push_back(to_json(c));
  v["children"] = kids;
  if (!ctx.req.wants_json()) {
    v["org"] = to_json(o);
    v["breadcrumbs"] = breadcrumbs(store, o);
    v["can_edit"] = ctx.allows(Action::edit_member, org_scope(o)) && o.holds_members && o.active();
    v["can_import"] = ctx.allows(Action::import_members, org_scope(o)) && o.holds_members && o.active();
    v["can_export"] = ctx.allows(Action::export_members, org_scope(o));
    bool manage_parent = false;
    if (o.parent_id) {
      auto parent = store.org(*o.parent_id);
      manage_parent = parent && ctx.allows(Action::manage_org, org_scope(*parent)) && o.active();
    }
    v["can_manage"] = manage_parent;
    v["can_add_child"] = ctx.allows(Action::manage_org, org_scope(o)) && !o.holds_members && o.active();
    v["member_count_vn"] = text::format_int(count);
    v["active"] = o.active();
    if (o.holds_members) {
      MemberQuery q;
      CHIDOAN_CHECK(list, members_view(ctx, store, o, q));
      v["list"] = list;
    }
    CHIDOAN_CHECK(levels, store.levels());
    Json lv = Json::array();
    for (const auto& l : levels)
      if (l.rank > o.level_rank) lv.push_back(to_json(l));
    v["child_levels"] = lv;
    v["today"] = to_iso(ctx.today());
  }
  return web::respond(ctx, "org/org", v, 200, o.name);
}

// The API's member list, streamed: {"items":[…],"total":N,"total_is_lower_bound":B,"limit":L,"offset":O}.
Response members_json(Ctx& ctx, Store& store, const Org& o, const MemberQuery& q) {
  CHIDOAN_CHECK(page, store.members(o, q, ctx.today()));
  JsonWriter w(256 + 320 * page.items.size());
  w.begin_object().key("items").begin_array();
  for (const auto& m : page.items) write_json(w, m, false);
  w.end_array()
      .field("total", page.total)
      .field("total_is_lower_bound", page.total_is_lower_bound)
      .field("limit", q.limit)
      .field("offset", q.offset)
      .end_object();
  return Response::json(200, w.take());
}

Response list_members_now(Ctx& ctx, Store& store, const Org& o, const MemberQuery& q) {
  if (ctx.req.wants_json()) return members_json(ctx, store, o, q);
  CHIDOAN_CHECK(v, members_view(ctx, store, o, q));
  if (ctx.req.is_htmx()) return web::respond(ctx, "org/member_rows", std::move(v));
  CHIDOAN_CHECK(units, store.units(o.id));
  Json page = Json::object();
  page["org"] = to_json(o);
  page["list"] = std::move(v);
  page["units"] = units_json(units, q.unit_id);
  page["has_units"] = !units.empty();
  return web::respond(ctx, "org/members", std::move(page), 200, o.name);
}

// A branch's member lists are kept rendered (platform/web/cache.hpp) while its roll_version
// stands: migration 0020's triggers move it with every change to the branch's members and units,
// in the change's own transaction. The version is read with the org, before the members, so a
// list is never kept under a version newer than what it shows. Kept for 10 minutes at most,
// 64 MiB of them.
//   The API's answer is the same for everyone the policy lets see the list: one per query.
//   A page also shows who is looking (the top bar: name, role, menu, CSRF token), the language
//   and the branch's name: one per viewer, language and query, and a renamed branch is a miss.
// Not kept: lists over more than one branch (they change with every branch below) and lists
// as of a past day (from the stays' history, which the version does not follow).
constexpr int64_t kListMaxAge = 600;
constexpr size_t kListMaxBytes = 64 * 1024 * 1024;

std::string list_cache_key(const Ctx& ctx, const Org& o, const MemberQuery& q) {
  std::string key = std::to_string(o.id);
  for (const std::string& part : {q.q, q.status, q.unit_id ? std::to_string(*q.unit_id) : std::string(),
                                  q.due_for_maturity ? to_iso(ctx.today()) : std::string(), std::to_string(q.limit),
                                  std::to_string(q.offset)})
    key.append(1, '\n').append(part);
  if (ctx.req.wants_json()) return key + "\nj";
  const auth::Principal& me = *ctx.user;
  for (const std::string& part :
       {std::string("h"), ctx.lang, std::to_string(me.user_id), me.username, me.display_name,
        std::string(auth::role_name(me.role)), std::to_string(me.org_id), me.csrf_token,
        std::string(ctx.req.is_htmx() ? "x" : "-"), ctx.req.header("hx-target"), ctx.req.header("hx-boosted")})
    key.append(1, '\n').append(part);
  return key;
}

Response list_members(Ctx& ctx, web::ResponseCache& cache) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, store, Action::view_members));
  CHIDOAN_CHECK(q, member_query(ctx.req));
  if (!o.holds_members || !q.as_of.empty()) return list_members_now(ctx, store, o, q);
  std::string tag = std::to_string(o.roll_version);
  if (!ctx.req.wants_json()) tag.append(1, '\n').append(o.name);
  return cache.serve(ctx.req, list_cache_key(ctx, o, q), tag, ctx.services.clock->unix_seconds(), "private, no-cache",
                     [&] { return list_members_now(ctx, store, o, q); });
}

Json member_form_view(Ctx& ctx, Store& store, const Org& o, const RawFields& raw, const Error* err,
                      std::optional<int64_t> member_id) {
  Json values = Json::object();
  for (const auto& [k, val] : raw) values[k] = val;
  Json v{{"org", to_json(o)}, {"values", values}, {"today", to_iso(ctx.today())}};
  v["is_new"] = !member_id.has_value();
  if (member_id) v["member_id"] = *member_id;
  std::optional<int64_t> unit;
  if (auto it = raw.find("unit_id"); it != raw.end() && !it->second.empty()) {
    try {
      unit = std::stoll(it->second);
    } catch (...) {
    }
  }
  auto units = store.units(o.id);
  v["units"] = units ? units_json(*units, unit) : Json::array();
  auto sex = raw.find("sex");
  v["sex_female"] = sex != raw.end() && sex->second == "female";
  auto role = raw.find("committee_role");
  if (role != raw.end() && !role->second.empty()) v["role_" + role->second] = true;
  if (err) {
    v["error"] = {{"message", err->message}, {"field", err->field}};
    v["errors"] = {{err->field.empty() ? "form" : err->field, err->message}};
  }
  return v;
}

Response new_member_form(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, store, Action::edit_member));
  return web::respond(ctx, "org/member_form", member_form_view(ctx, store, o, {}, nullptr, std::nullopt), 200,
                      ctx.t("member.add"));
}

Response create_member(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, store, Action::edit_member));
  auto raw = member_fields(ctx.req);
  Result<int64_t> id = fail(ErrorKind::internal, "");
  if (raw) {
    auto input = rules::validate_member(*raw, ctx.today());
    if (!input) {
      id = std::unexpected(input.error());
    } else {
      auto w = ctx.write([&]() -> Result<void> {
        CHIDOAN_TRY(new_id, store.add_member(o.id, *input));
        id = new_id;
        return ctx.audit("create", "member", new_id, {{"branch_id", o.id}});
      });
      if (!w) id = std::unexpected(w.error());
    }
  } else {
    id = std::unexpected(raw.error());
  }
  if (ctx.req.wants_json()) {
    if (!id) return web::fail_page(ctx, id.error());
    CHIDOAN_CHECK(m, store.member(*id));
    return Response::json(201, to_json(m, true).dump());
  }
  if (!id) {
    RawFields values = raw ? *raw : RawFields{};
    return web::respond(ctx, "org/member_form", member_form_view(ctx, store, o, values, &id.error(), std::nullopt),
                        http::status_for(id.error().kind), ctx.t("member.add"));
  }
  return Response::redirect("/members/" + std::to_string(*id));
}

Response show_member(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(mb, load_member(ctx, store, Action::view_members));
  auto& [m, branch] = mb;
  bool own = ctx.user->member_id == m.id;
  bool editor = ctx.allows(Action::edit_member, org_scope(branch));
  Json v = to_json(m, editor || own);
  Json periods = Json::array();
  CHIDOAN_CHECK(ps, store.periods(m.id));
  std::map<int64_t, std::string> names;
  auto name_of = [&](int64_t id) -> std::string {
    if (!names.contains(id)) {
      auto o = store.org(id);
      names[id] = o ? o->name : "";
    }
    return names[id];
  };
  for (const auto& p : ps) {
    Json j = to_json(p);
    auto then = store.org_name_on(p.branch_id, p.from_on);  // the name it had during the stay
    j["branch_name"] = then ? *then : name_of(p.branch_id);
    j["from_vn"] = text::format_date(p.from_on);
    j["to_vn"] = text::format_date(p.to_on);
    periods.push_back(j);
  }
  v["periods"] = periods;
  CHIDOAN_CHECK(es, store.member_events(m.id));
  Json events = Json::array();
  for (const auto& e : es) events.push_back(to_json(e));
  if (!ctx.req.wants_json()) {
    // A move is recorded on both branches (out, then in); people read it once, "A → B".
    Json shown = Json::array();
    std::set<std::tuple<std::string, int64_t, int64_t>> moves;
    for (const auto& e : es) {
      Json j = to_json(e);
      j["effective_on_vn"] = text::format_date(e.effective_on);
      j["kind_label"] = ctx.t("member.event." + e.kind);
      if (e.other_branch_id) {
        bool incoming = e.kind == "transfer_in";
        int64_t from = incoming ? *e.other_branch_id : e.branch_id, to = incoming ? e.branch_id : *e.other_branch_id;
        if (!moves.insert({e.effective_on, std::min(from, to), std::max(from, to)}).second) continue;
        auto from_name = store.org_name_on(from, e.effective_on);
        j["from_name"] = from_name ? *from_name : name_of(from);
        j["to_name"] = name_of(to);
      }
      shown.push_back(j);
    }
    v["events_shown"] = shown;
  }
  v["events"] = events;
  if (!ctx.req.wants_json()) {
    v["branch"] = to_json(branch);
    v["can_edit"] = editor && m.status == "active";
    v["can_lifecycle"] = ctx.allows(Action::member_lifecycle, org_scope(branch)) && m.status == "active";
    v["sex_label"] = ctx.t(m.sex == "female" ? "member.female" : "member.male");
    v["status_label"] = ctx.t("member.status." + m.status);
    if (!m.committee_role.empty()) v["role_label"] = ctx.t("member.role." + m.committee_role);
    v["joined_vn"] = text::format_date(m.joined_union_on);
    v["birth_date_vn"] = text::format_date(m.birth_date);
    v["today"] = to_iso(ctx.today());
    auto birth = parse_date(m.birth_date);
    v["due_for_maturity"] = birth && rules::due_for_maturity(*birth, ctx.today());
    // Branches the member may be transferred to: active branches in the user's scope.
    std::optional<int64_t> root;
    if (ctx.user->role != auth::Role::system_admin) root = ctx.user->org_id;
    auto all = store.orgs(root);
    Json targets = Json::array();
    if (all)
      for (const auto& o : *all)
        if (o.holds_members && o.active() && o.id != branch.id) targets.push_back({{"id", o.id}, {"name", o.name}});
    v["targets"] = targets;
  }
  return web::respond(ctx, "org/member", v, 200, m.full_name());
}

RawFields fields_of(const Member& m) {
  return {{"family_name", m.family_name}, {"middle_name", m.middle_name}, {"given_name", m.given_name},
          {"sex", m.sex}, {"birth_date", m.birth_date}, {"cccd", m.cccd}, {"phone", m.phone},
          {"email", m.email}, {"joined_union_on", m.joined_union_on}, {"card_number", m.card_number},
          {"unit_id", m.unit_id ? std::to_string(*m.unit_id) : ""}, {"committee_role", m.committee_role}};
}

Response edit_member_form(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(mb, load_member(ctx, store, Action::edit_member));
  auto& [m, branch] = mb;
  return web::respond(ctx, "org/member_form", member_form_view(ctx, store, branch, fields_of(m), nullptr, m.id), 200,
                      m.full_name());
}

Response update_member(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(mb, load_member(ctx, store, Action::edit_member));
  auto& [m, branch] = mb;
  if (m.status != "active") return web::fail_page(ctx, Error{ErrorKind::conflict, "Đoàn viên không còn sinh hoạt tại chi đoàn", "status"});
  auto raw = member_fields(ctx.req);
  Result<void> done = raw ? Result<void>() : std::unexpected(raw.error());
  if (done) {
    auto input = rules::validate_member(*raw, ctx.today());
    if (!input) done = std::unexpected(input.error());
    else
      done = ctx.write([&]() -> Result<void> {
        CHIDOAN_TRY_VOID(store.update_member(m.id, *input));
        return ctx.audit("update", "member", m.id);
      });
  }
  if (ctx.req.wants_json()) {
    if (!done) return web::fail_page(ctx, done.error());
    CHIDOAN_CHECK(updated, store.member(m.id));
    return Response::json(200, to_json(updated, true).dump());
  }
  if (!done)
    return web::respond(ctx, "org/member_form", member_form_view(ctx, store, branch, raw ? *raw : fields_of(m), &done.error(), m.id),
                        http::status_for(done.error().kind), m.full_name());
  return Response::redirect("/members/" + std::to_string(m.id));
}

// Reads named string fields from a form or a JSON body.
std::string effective_or_today(Ctx& ctx, const RawFields& f) {
  auto it = f.find("effective_on");
  return it == f.end() || it->second.empty() ? to_iso(ctx.today()) : it->second;
}

Response member_lifecycle(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  release_on_move(ctx, store);
  CHIDOAN_CHECK(mb, load_member(ctx, store, Action::member_lifecycle));
  auto& [m, branch] = mb;
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"action", "effective_on", "reason", "target_branch_id"}));
  auto action = rules::parse_lifecycle(f["action"]);
  if (!action) return web::fail_page(ctx, Error{ErrorKind::invalid, "Thao tác không hợp lệ", "action"});
  CHIDOAN_CHECK(target, web::optional_id(f, "target_branch_id"));
  if (target) {
    CHIDOAN_CHECK(t, store.org(*target));
    CHIDOAN_CHECK_VOID(ctx.authorize(Action::member_lifecycle, org_scope(t)));
  }
  std::string on = effective_or_today(ctx, f);
  CHIDOAN_CHECK(reason, text::normalize(f["reason"]));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.apply_lifecycle(m.id, *action, on, reason, target, ctx.today()));
    return ctx.audit(f["action"], "member", m.id, {{"effective_on", on}, {"target_branch_id", target ? Json(*target) : Json(nullptr)}});
  }));
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(updated, store.member(m.id));
    return Response::json(200, to_json(updated, true).dump());
  }
  return Response::redirect("/members/" + std::to_string(m.id));
}

// ---- org management: the directly superior level decides ----

Result<Org> load_managed(Ctx& ctx, Store& store) {
  CHIDOAN_TRY(o, store.org(ctx.req.param_int("id")));
  if (!o.parent_id) return fail(ErrorKind::forbidden, "Không thể thay đổi tổ chức gốc");
  CHIDOAN_TRY(parent, store.org(*o.parent_id));
  CHIDOAN_TRY_VOID(ctx.authorize(Action::manage_org, org_scope(parent)));
  return o;
}

Response org_done(Ctx& ctx, Store& store, int64_t id, int status = 200) {
  if (ctx.req.wants_json()) {
    CHIDOAN_CHECK(o, store.org(id));
    return Response::json(status, to_json(o).dump());
  }
  return Response::redirect("/orgs/" + std::to_string(id));
}

Response create_child(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(parent, load_org(ctx, store, Action::manage_org));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"code", "name", "level_id", "founded_on"}));
  CHIDOAN_CHECK(level, web::optional_id(f, "level_id"));
  if (!level) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chưa chọn cấp tổ chức", "level_id"});
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_org(NewOrg{f["code"], f["name"], *level, parent.id, f["founded_on"].empty() ? to_iso(ctx.today()) : f["founded_on"]}));
    id = new_id;
    return ctx.audit("create", "org", id, {{"parent_id", parent.id}});
  }));
  return org_done(ctx, store, id, 201);
}

Response rename_org(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_managed(ctx, store));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"name", "effective_on"}));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.rename_org(o.id, f["name"], effective_or_today(ctx, f)));
    return ctx.audit("rename", "org", o.id, {{"from", o.name}});
  }));
  return org_done(ctx, store, o.id);
}

Response move_org(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  release_on_move(ctx, store);
  CHIDOAN_CHECK(o, load_managed(ctx, store));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"parent_id", "effective_on"}));
  CHIDOAN_CHECK(parent_id, web::optional_id(f, "parent_id"));
  if (!parent_id) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chưa chọn tổ chức cấp trên mới", "parent_id"});
  CHIDOAN_CHECK(parent, store.org(*parent_id));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::manage_org, org_scope(parent)));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.move_org(o.id, *parent_id, effective_or_today(ctx, f)));
    return ctx.audit("move", "org", o.id, {{"parent_id", *parent_id}});
  }));
  return org_done(ctx, store, o.id);
}

Response split_org(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  release_on_move(ctx, store);
  CHIDOAN_CHECK(o, load_managed(ctx, store));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"code", "name", "effective_on", "member_ids"}));
  CHIDOAN_CHECK(ids, web::id_list(f["member_ids"], "member_ids"));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.split_branch(o.id, NewOrg{f["code"], f["name"], 0, std::nullopt, ""}, ids, effective_or_today(ctx, f)));
    id = new_id;
    return ctx.audit("split", "org", o.id, {{"new_org_id", id}, {"members", ids.size()}});
  }));
  return org_done(ctx, store, id, 201);
}

Response merge_org(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  release_on_move(ctx, store);
  CHIDOAN_CHECK(o, load_managed(ctx, store));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"into_id", "effective_on"}));
  CHIDOAN_CHECK(into, web::optional_id(f, "into_id"));
  if (!into) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chưa chọn chi đoàn hợp nhất vào", "into_id"});
  CHIDOAN_CHECK(target, store.org(*into));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::manage_org, org_scope(target)));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.merge_branch(o.id, *into, effective_or_today(ctx, f)));
    return ctx.audit("merge", "org", o.id, {{"into_id", *into}});
  }));
  return org_done(ctx, store, *into);
}

Response dissolve_org(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_managed(ctx, store));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"effective_on", "reason"}));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.dissolve_org(o.id, effective_or_today(ctx, f), f["reason"]));
    return ctx.audit("dissolve", "org", o.id);
  }));
  return org_done(ctx, store, o.id);
}

Response add_unit(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, store, Action::edit_member));
  if (!o.holds_members) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chỉ chi đoàn có đơn vị công tác", "name"});
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"name"}));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.add_unit(o.id, f["name"]));
    id = new_id;
    return ctx.audit("create", "unit", id, {{"org_id", o.id}});
  }));
  if (ctx.req.wants_json()) return Response::json(201, Json{{"id", id}, {"org_id", o.id}, {"name", f["name"]}}.dump());
  return Response::redirect("/orgs/" + std::to_string(o.id));
}

// ---- import / export ----

Json plan_view(const ImportPlan& plan, bool committed, size_t inserted) {
  Json rows = Json::array();
  for (const auto& r : plan.rows) {
    Json j{{"line", r.line}, {"ok", !r.error}};
    std::string name = r.raw.contains("family_name") ? r.raw.at("family_name") : "";
    for (const char* k : {"middle_name", "given_name"})
      if (r.raw.contains(k) && !r.raw.at(k).empty()) name += (name.empty() ? "" : " ") + r.raw.at(k);
    j["name"] = name;
    j["birth_date"] = r.raw.contains("birth_date") ? r.raw.at("birth_date") : "";
    if (r.error) j["error"] = {{"field", r.error->field}, {"message", r.error->message}};
    rows.push_back(j);
  }
  return {{"rows", rows}, {"total", plan.rows.size()}, {"bad", plan.bad}, {"valid", plan.ok()},
          {"ignored_headers", plan.ignored_headers}, {"committed", committed}, {"inserted", inserted}};
}

Response import_form(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, store, Action::import_members));
  return web::respond(ctx, "org/import", Json{{"org", to_json(o)}}, 200, ctx.t("import.title"));
}

Response import_members(Ctx& ctx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, store, Action::import_members));
  CHIDOAN_CHECK(form, ctx.req.form());
  const http::FilePart* file = form.file("file");
  std::string filename, data;
  if (file && !file->data.empty()) {
    filename = file->filename;
    data = file->data;
  } else if (form.has("payload")) {  // the preview's hidden copy of the file, on commit
    filename = form.get("filename");
    auto decoded = web::base64_decode(form.get("payload"));
    if (!decoded) return web::fail_page(ctx, Error{ErrorKind::invalid, "Dữ liệu tệp không hợp lệ", "file"});
    data = *decoded;
  } else {
    return web::fail_page(ctx, Error{ErrorKind::invalid, "Chưa chọn tệp CSV hoặc XLSX", "file"});
  }
  bool commit = ctx.req.wants_json() ? ctx.req.query_param("dry_run") == "0" || ctx.req.query_param("dry_run") == "false"
                                     : form.get("step") == "commit";
  auto render_error = [&](const Error& e) {
    if (ctx.req.wants_json()) return web::fail_page(ctx, e);
    return web::respond(ctx, "org/import", Json{{"org", to_json(o)}, {"error", {{"message", e.message}, {"field", e.field}}}},
                        http::status_for(e.kind), ctx.t("import.title"));
  };
  auto table = tabular::read_any(filename, data);
  if (!table) {
    Error e = table.error();
    if (e.field.empty()) e.field = "file";
    return render_error(e);
  }
  auto plan = plan_import(*table, store, o.id, ctx.today());
  if (!plan) return render_error(plan.error());
  size_t inserted = 0;
  commit = commit && plan->ok();  // a plan with bad rows is shown, never written
  if (commit) {
    const std::string fingerprint = file_fingerprint(data);
    auto w = ctx.write([&]() -> Result<void> {
      CHIDOAN_TRY_VOID(check_not_imported(store, ctx.db(), o.id, fingerprint));
      CHIDOAN_TRY(n, commit_import(*plan, store, o.id));
      inserted = n;
      return ctx.audit("import", "org", o.id, {{"rows", n}, {"file", filename}, {"sha256", fingerprint}});
    });
    if (!w) return render_error(w.error());
  }
  Json v = plan_view(*plan, commit, inserted);
  if (ctx.req.wants_json()) return Response::json(plan->ok() ? 200 : 422, v.dump());
  v["org"] = to_json(o);
  v["filename"] = filename;
  for (auto& row : v["rows"])
    if (row.contains("error")) row["error"]["label"] = ctx.t("member." + row["error"]["field"].get<std::string>());
  if (!commit && plan->ok()) v["payload"] = web::base64_encode(data);
  return web::respond(ctx, "org/import", v, plan->ok() ? 200 : 422, ctx.t("import.title"));
}

Response export_members(Ctx& ctx, bool xlsx) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, load_org(ctx, store, Action::export_members));
  CHIDOAN_CHECK(table, export_table(store, o, ctx.today()));
  std::string name = "doan-vien-" + o.code + (xlsx ? ".xlsx" : ".csv");
  Response r;
  if (xlsx) {
    CHIDOAN_CHECK(bytes, tabular::write_xlsx(table, "Đoàn viên"));
    r.body = bytes;
    r.header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  } else {
    r.body = tabular::write_csv(table);
    r.header("Content-Type", "text/csv; charset=utf-8");
  }
  r.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
  CHIDOAN_CHECK_VOID(ctx.write([&] { return ctx.audit("export", "org", o.id, {{"format", xlsx ? "xlsx" : "csv"}, {"rows", table.rows.size()}}); }));
  return r;
}

}  // namespace

Result<bool> may_view_from_within(web::Ctx& ctx, const Org& o, auth::Action view) {
  if (ctx.allows(view, scope_of(o))) return true;
  if (!ctx.user) return false;
  CHIDOAN_TRY(home, Store(ctx.db(), *ctx.services.clock).org(ctx.user->org_id));
  return home.path.starts_with(o.path) && ctx.allows(view, scope_of(home));
}

void add_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.slow("/orgs", list_orgs);
  routes.both("GET", "/orgs/{id:int}", show_org);
  auto lists = std::make_shared<web::ResponseCache>(kListMaxAge, kListMaxBytes);
  routes.both("GET", "/orgs/{id:int}/members", [lists](Ctx& c) { return list_members(c, *lists); });
  routes.both("POST", "/orgs/{id:int}/members", create_member);
  routes.page("GET", "/orgs/{id:int}/members/new", new_member_form);
  routes.both("POST", "/orgs/{id:int}/children", create_child);
  routes.both("POST", "/orgs/{id:int}/rename", rename_org);
  routes.both("POST", "/orgs/{id:int}/move", move_org);
  routes.both("POST", "/orgs/{id:int}/split", split_org);
  routes.both("POST", "/orgs/{id:int}/merge", merge_org);
  routes.both("POST", "/orgs/{id:int}/dissolve", dissolve_org);
  routes.both("POST", "/orgs/{id:int}/units", add_unit);
  routes.page("GET", "/orgs/{id:int}/import", import_form);
  routes.both("POST", "/orgs/{id:int}/import", import_members);
  routes.both("GET", "/orgs/{id:int}/export.csv", [](Ctx& c) { return export_members(c, false); });
  routes.both("GET", "/orgs/{id:int}/export.xlsx", [](Ctx& c) { return export_members(c, true); });
  routes.both("GET", "/members/{id:int}", show_member);
  routes.page("GET", "/members/{id:int}/edit", edit_member_form);
  routes.page("POST", "/members/{id:int}", update_member);
  routes.api("PUT", "/members/{id:int}", update_member);
  routes.both("POST", "/members/{id:int}/lifecycle", member_lifecycle);
}

}  // namespace chidoan::org
