#include "ideas/routes.hpp"

#include <limits>

#include "ideas/notices.hpp"
#include "ideas/rules.hpp"
#include "ideas/store.hpp"
#include "ideas/talk_routes.hpp"
#include "ideas/views.hpp"
#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/text/text.hpp"

namespace chidoan::ideas {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;

using org::scope_of;

std::string idea_path(int64_t id) { return "/ideas/" + std::to_string(id); }
std::string forum_path(int64_t id) { return "/ideas/forums/" + std::to_string(id); }

Store store_of(Ctx& ctx) { return Store(ctx.db(), *ctx.services.clock); }

using web::done;

Result<int64_t> own_member(const Ctx& ctx) {
  if (!ctx.user || !ctx.user->member_id)
    return fail(ErrorKind::forbidden, "Tài khoản của bạn chưa gắn với hồ sơ đoàn viên nên chưa gửi, ủng hộ hay cùng tham gia ý tưởng được");
  return *ctx.user->member_id;
}

// ---- Loading with the policy's verdict ------------------------------------------------------

// A forum, its org and what the signed-in user is there.
struct ForumCtx {
  Forum forum;
  org::Org org;
  bool committee = false, moderator = false, mentor = false, member_in_scope = false;
  rules::Asker asker() const { return {member_in_scope, committee}; }
};

Result<ForumCtx> load_forum(Ctx& ctx, int64_t forum_id, Action action) {
  Store store = store_of(ctx);
  CHIDOAN_TRY(f, store.forum(forum_id));
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(f.org_id));
  CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  ForumCtx l{f, o};
  l.committee = ctx.allows(Action::manage_ideas, scope_of(o));
  l.moderator = ctx.allows(Action::moderate_ideas, scope_of(o));
  CHIDOAN_TRY(mentor, store.is_mentor(f.id, ctx.user->user_id));
  l.mentor = mentor;
  if (ctx.user->member_id) {
    CHIDOAN_TRY(in, store.member_in(f.org_id, *ctx.user->member_id));
    l.member_in_scope = in;
  }
  return l;
}

// An idea the user may see: drafts only by their authors, hidden ideas only by moderators
// (anyone else gets not_found, as for an idea that does not exist).
struct IdeaCtx {
  Idea idea;
  ForumCtx l;
  bool author = false;
  unsigned movers() const {
    return (author ? rules::kAuthor : 0u) | (l.mentor ? rules::kMentor : 0u) | (l.committee ? rules::kCommittee : 0u);
  }
};

Result<IdeaCtx> load_idea(Ctx& ctx, int64_t idea_id) {
  Store store = store_of(ctx);
  CHIDOAN_TRY(i, store.idea(idea_id));
  CHIDOAN_TRY(l, load_forum(ctx, i.forum_id, Action::view_ideas));
  bool author = false;
  if (ctx.user->member_id) {
    CHIDOAN_TRY(a, store.is_author(i.id, *ctx.user->member_id));
    author = a;
  }
  if ((i.hidden && !l.moderator) || (!i.submitted_at && !author)) return fail(ErrorKind::not_found, "Không có ý tưởng này");
  return IdeaCtx{i, l, author};
}

Result<org::Org> load_org(Ctx& ctx, Action action) {
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  return o;
}

// The forum's fields as the edit form selects them.
Json form_values(const Forum& f, Date today) {
  Json v = forum_json(f, today);
  v["is_standing"] = f.kind == "standing";
  v["post_committee"] = f.post_scope == "committee";
  v["support_committee"] = f.support_scope == "committee";
  v["closes_on_value"] = f.closes_on.value_or("");
  v["held_on_value"] = f.held_on.value_or("");
  return v;
}

// ---- Forums ---------------------------------------------------------------------------------

constexpr std::initializer_list<const char*> kForumFields = {"title",         "description",   "kind",
                                                             "held_on",       "opens_on",      "closes_on",
                                                             "post_scope",    "support_scope", "support_threshold",
                                                             "self_support",  "activity_id"};

// GET /orgs/{id}/ideas (page), GET /api/v1/orgs/{id}/ideas/forums
Response list_forums(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, Action::view_ideas));
  CHIDOAN_CHECK(list, store_of(ctx).forums(o.id));
  Json items = Json::array();
  for (const auto& f : list) items.push_back(forum_json(f, ctx.today()));
  Json v{{"org", org::to_json(o)},
         {"items", items},
         {"can_create", ctx.allows(Action::manage_ideas, scope_of(o))},
         {"can_moderate", ctx.allows(Action::moderate_ideas, scope_of(o))},
         {"has_member", ctx.user && ctx.user->member_id.has_value()}};
  if (!ctx.req.wants_json())
    v["defaults"] = {{"title", ""},          {"description", ""},        {"opens_on", to_iso(ctx.today())}, {"held_on_value", to_iso(ctx.today())},
                     {"closes_on_value", ""}, {"support_threshold", 0},  {"is_standing", false},            {"post_committee", false},
                     {"support_committee", false}, {"self_support", false}};
  return web::respond(ctx, "ideas/forums", v, 200, ctx.t("ideas.title"));
}

// GET /api/v1/orgs/{id}/ideas?forum=ID&state=S: the public list, {"items": [{id, title, state,
// supports, authors}]}: ideas of the org's subtree the caller may see.
Response list_ideas(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, Action::view_ideas));
  CHIDOAN_CHECK(forum, web::int_param(ctx.req, "forum", 0, 1, std::numeric_limits<int64_t>::max()));
  IdeaFilter f;
  if (forum > 0) f.forum_id = forum;
  std::string state = ctx.req.query_param("state");
  if (!state.empty()) {
    if (!rules::is_state(state))
      return web::fail_page(ctx, Error{ErrorKind::invalid, "Trạng thái phải là một trong: draft, submitted, mentoring, accepted, "
                                                           "rejected, implemented, withdrawn, archived",
                                       "state"});
    f.state = state;
  }
  f.with_hidden = ctx.allows(Action::moderate_ideas, scope_of(o));
  f.drafts_of_member = ctx.user->member_id;
  CHIDOAN_CHECK(list, store_of(ctx).ideas(f, o.id));
  Json items = Json::array();
  for (const auto& i : list) items.push_back(idea_item_json(i));
  return Response::json(200, Json{{"items", items}}.dump());
}

Response create_forum(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, Action::manage_ideas));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, kForumFields));
  CHIDOAN_CHECK(in, rules::validate_forum(raw));
  Store store = store_of(ctx);
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_forum(o.id, in));
    id = new_id;
    return ctx.audit("create", "idea_forum", id, {{"org_id", o.id}, {"title", in.title}});
  }));
  return done(ctx, forum_path(id), Json{{"id", id}}, 201);
}

Response show_forum(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_forum(ctx, ctx.req.param_int("fid"), Action::view_ideas));
  Store store = store_of(ctx);
  IdeaFilter filter;
  filter.forum_id = l.forum.id;
  filter.with_hidden = l.moderator;
  filter.drafts_of_member = ctx.user->member_id;
  CHIDOAN_CHECK(list, store.ideas(filter));
  CHIDOAN_CHECK(mentors, store.mentors(l.forum.id));
  Json groups = Json::array();
  for (const char* s : kStates) {
    Json items = Json::array();
    for (const auto& i : list)
      if (i.state == s) items.push_back(idea_json(i, l.forum));
    if (!items.empty()) groups.push_back({{"state", s}, {"label", rules::state_label(s)}, {"count", items.size()}, {"items", items}});
  }
  Json mentor_list = Json::array();
  for (const auto& m : mentors) mentor_list.push_back(mentor_json(m));
  auto post = rules::may_post(l.forum, l.asker(), ctx.today());
  bool can_post = post.has_value() && ctx.user->member_id.has_value();
  Json v{{"forum", forum_json(l.forum, ctx.today())},
         {"org", org::to_json(l.org)},
         {"mentors", mentor_list},
         {"groups", groups},
         {"total", list.size()},
         {"can_post", can_post},
         {"can_manage", l.committee}};
  if (!ctx.req.wants_json()) {
    if (!can_post) v["post_note"] = post ? ctx.t("ideas.no_member_profile") : post.error().message;
    v["blank"] = {{"title", ""},   {"problem", ""}, {"proposal", ""}, {"benefit", ""},
                  {"similar_url", forum_path(l.forum.id) + "/similar"}};
    if (l.committee) v["edit"] = form_values(l.forum, ctx.today());
  }
  return web::respond(ctx, "ideas/forum", v, 200, l.forum.title);
}

Response update_forum(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_forum(ctx, ctx.req.param_int("fid"), Action::manage_ideas));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, kForumFields));
  CHIDOAN_CHECK(in, rules::validate_forum(raw));
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.update_forum(l.forum.id, in));
    return ctx.audit("update", "idea_forum", l.forum.id, {{"org_id", l.forum.org_id}, {"title", in.title}});
  }));
  return done(ctx, forum_path(l.forum.id), Json{{"id", l.forum.id}});
}

Response add_mentor(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_forum(ctx, ctx.req.param_int("fid"), Action::manage_ideas));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, {"username", "title"}));
  CHIDOAN_CHECK(username, rules::clean_text(field_of(raw, "username"), "username", "Tên đăng nhập", 100, false));
  if (username.empty()) return web::fail_page(ctx, Error{ErrorKind::invalid, "Cần tên đăng nhập của người hướng dẫn", "username"});
  CHIDOAN_CHECK(title, rules::clean_text(field_of(raw, "title"), "title", "Giới thiệu người hướng dẫn", rules::kMaxMentorTitleChars, false));
  Store store = store_of(ctx);
  CHIDOAN_CHECK(user, store.user_who_sees(username, l.forum.org_id));
  if (!user)
    return web::fail_page(ctx, Error{ErrorKind::invalid,
                                     "Không có tài khoản “" + username + "” xem được diễn đàn này (tài khoản phải thuộc " + l.org.name +
                                         " hoặc cấp trên)",
                                     "username"});
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.put_mentor(l.forum.id, *user, title));
    return ctx.audit("add_mentor", "idea_forum", l.forum.id, {{"user_id", *user}, {"title", title}});
  }));
  return done(ctx, forum_path(l.forum.id), Json{{"forum_id", l.forum.id}, {"user_id", *user}}, 201);
}

Response remove_mentor(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_forum(ctx, ctx.req.param_int("fid"), Action::manage_ideas));
  const int64_t user = ctx.req.param_int("uid");
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.remove_mentor(l.forum.id, user));
    return ctx.audit("remove_mentor", "idea_forum", l.forum.id, {{"user_id", user}});
  }));
  return done(ctx, forum_path(l.forum.id), Json{{"forum_id", l.forum.id}, {"user_id", user}, {"removed", true}});
}

Response results(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_forum(ctx, ctx.req.param_int("fid"), Action::view_ideas));
  CHIDOAN_CHECK(r, store_of(ctx).results(l.forum));
  Json v = results_json(r, l.forum);
  v["forum"] = forum_json(l.forum, ctx.today());
  v["org"] = org::to_json(l.org);
  return web::respond(ctx, "ideas/results", v, 200, ctx.t("ideas.results") + " — " + l.forum.title);
}

// ---- Ideas ----------------------------------------------------------------------------------

constexpr std::initializer_list<const char*> kIdeaFields = {"title", "problem", "proposal", "benefit"};

Response create_idea(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_forum(ctx, ctx.req.param_int("fid"), Action::view_ideas));
  CHIDOAN_CHECK(member, own_member(ctx));
  CHIDOAN_CHECK_VOID(rules::may_post(l.forum, l.asker(), ctx.today()));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, kIdeaFields));
  CHIDOAN_CHECK(in, rules::validate_idea(raw));
  Store store = store_of(ctx);
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_idea(l.forum.id, member, in, ctx.user->user_id));
    id = new_id;
    return ctx.audit("create", "idea", id, {{"forum_id", l.forum.id}, {"title", in.title}});
  }));
  return done(ctx, idea_path(id), Json{{"id", id}, {"state", "draft"}}, 201);
}

Response show_idea(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_idea(ctx, ctx.req.param_int("iid")));
  const Idea& i = c.idea;
  const Forum& f = c.l.forum;
  Store store = store_of(ctx);
  CHIDOAN_CHECK(events, store.events(i.id));
  CHIDOAN_CHECK(files, store.attachments(i.id));
  const std::optional<int64_t> member = ctx.user->member_id;
  bool supported = false;
  if (member) {
    CHIDOAN_CHECK(s, store.supports(i.id, *member));
    supported = s;
  }
  const Date today = ctx.today();
  auto support = rules::may_support(f, i, c.l.asker(), c.author, today);
  bool asked = false;
  Json requests = Json::array();
  for (const auto& a : i.authors) {
    if (member && a.member_id == *member && a.status == "requested") asked = true;
    if (a.status == "requested") requests.push_back(author_json(a));
  }
  Json moves = Json::array();
  for (const auto& to : rules::moves_from(i.state, c.movers()))
    moves.push_back({{"to", to},
                     {"label", rules::move_label(to)},
                     {"needs_answer", to == "accepted" || to == "rejected"},
                     {"needs_outcome", to == "implemented"},
                     {"danger", to == "rejected" || to == "withdrawn"}});
  Json event_list = Json::array();
  for (const auto& e : events) event_list.push_back(event_json(e));
  Json file_list = Json::array();
  for (const auto& a : files) file_list.push_back(attachment_json(a));

  Json v{{"idea", idea_json(i, f)},
         {"forum", forum_json(f, today)},
         {"org", org::to_json(c.l.org)},
         {"events", event_list},
         {"attachments", file_list},
         {"is_author", c.author},
         {"can_edit", c.author && rules::editable(i.state)},
         {"can_attach", (c.author || c.l.committee) && files.size() < rules::kMaxAttachments},
         {"can_remove_files", c.author || c.l.committee},
         {"supported", supported},
         {"can_support", !supported && support.has_value()},
         {"can_withdraw_support", supported && rules::is_open(f, today)},
         {"moves", moves},
         {"has_moves", !moves.empty()},
         {"asked_to_join", asked},
         {"can_request_coauthor", member && !c.author && !asked && c.l.member_in_scope && rules::supportable(i.state)},
         {"requests", c.author ? requests : Json::array()},
         {"has_requests", c.author && !requests.empty()}};
  if (!ctx.req.wants_json()) {
    if (!supported && !support) v["support_note"] = support.error().message;
    v["today"] = to_iso(today);
    v["max_files"] = rules::kMaxAttachments;
    v["max_mb"] = rules::kMaxAttachmentBytes / (1024 * 1024);
  }
  add_talk(ctx, i, f, v);
  return web::respond(ctx, "ideas/idea", v, 200, i.title);
}

Response update_idea(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_idea(ctx, ctx.req.param_int("iid")));
  if (!c.author) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ tác giả được sửa ý tưởng"});
  if (!rules::editable(c.idea.state))
    return web::fail_page(ctx, Error{ErrorKind::conflict,
                                     "Ý tưởng ở trạng thái “" + rules::state_label(c.idea.state) + "” không sửa được nữa", "state"});
  CHIDOAN_CHECK(raw, web::fields(ctx.req, kIdeaFields));
  CHIDOAN_CHECK(in, rules::validate_idea(raw));
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.update_idea(c.idea.id, in));
    return ctx.audit("update", "idea", c.idea.id, {{"title", in.title}});
  }));
  return done(ctx, idea_path(c.idea.id), Json{{"id", c.idea.id}});
}

// The sentence the authors are told when their idea changes state.
std::string state_notice(const Idea& i, const rules::StateChange& c) {
  std::string title = "Ý tưởng “" + i.title + "”";
  if (c.to == "accepted") return title + " được chấp nhận. Trả lời: " + c.answer;
  if (c.to == "rejected") return title + " không được chấp nhận. Trả lời: " + c.answer;
  if (c.to == "implemented") return title + " đã được ghi nhận thực hiện: " + c.outcome;
  return title + " chuyển sang trạng thái “" + rules::state_label(c.to) + "”";
}

Response change_state(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_idea(ctx, ctx.req.param_int("iid")));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, {"to_state", "answer", "outcome", "implemented_on"}));
  CHIDOAN_CHECK_VOID(rules::check_move(c.idea.state, field_of(raw, "to_state"), c.movers()));
  CHIDOAN_CHECK(change, rules::validate_move(raw, ctx.today()));
  if (change.to == "submitted") {
    CHIDOAN_CHECK_VOID(rules::check_complete(c.idea));
    CHIDOAN_CHECK_VOID(rules::check_open(c.l.forum, ctx.today(), "to_state"));
  }
  Store store = store_of(ctx);
  const std::string from = c.idea.state;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.move(c.idea.id, from, change, ctx.user->user_id));
    const bool answered = change.to == "accepted" || change.to == "rejected";
    CHIDOAN_TRY_VOID(notices::tell_authors(ctx.db(), c.idea.id, answered ? "answer" : "state", state_notice(c.idea, change),
                                           ctx.services.clock->unix_seconds(), ctx.user->member_id));
    return ctx.audit("state", "idea", c.idea.id, {{"from", from}, {"to", change.to}});
  }));
  return done(ctx, idea_path(c.idea.id), Json{{"id", c.idea.id}, {"state", change.to}});
}

// ---- Supports -------------------------------------------------------------------------------

Response support_reply(Ctx& ctx, const IdeaCtx& c, bool supported) {
  CHIDOAN_CHECK(count, store_of(ctx).support_count(c.idea.id));
  return done(ctx, idea_path(c.idea.id),
              Json{{"id", c.idea.id},
                   {"supports", count},
                   {"supported", supported},
                   {"threshold", c.l.forum.support_threshold},
                   {"progress", rules::progress_percent(count, c.l.forum.support_threshold)}});
}

Response support(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_idea(ctx, ctx.req.param_int("iid")));
  CHIDOAN_CHECK(member, own_member(ctx));
  CHIDOAN_CHECK_VOID(rules::may_support(c.l.forum, c.idea, c.l.asker(), c.author, ctx.today()));
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.support(c.idea.id, member));
    return ctx.audit("support", "idea", c.idea.id, {{"member_id", member}});
  }));
  return support_reply(ctx, c, true);
}

Response withdraw_support(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_idea(ctx, ctx.req.param_int("iid")));
  CHIDOAN_CHECK(member, own_member(ctx));
  CHIDOAN_CHECK_VOID(rules::may_withdraw_support(c.l.forum, ctx.today()));
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.withdraw_support(c.idea.id, member));
    return ctx.audit("withdraw_support", "idea", c.idea.id, {{"member_id", member}});
  }));
  return support_reply(ctx, c, false);
}

// ---- Co-authors -----------------------------------------------------------------------------

Response request_coauthor(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_idea(ctx, ctx.req.param_int("iid")));
  CHIDOAN_CHECK(member, own_member(ctx));
  if (c.author) return web::fail_page(ctx, Error{ErrorKind::conflict, "Bạn đã là tác giả của ý tưởng này", "coauthor"});
  if (!c.l.member_in_scope)
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ đoàn viên thuộc tổ chức của diễn đàn được cùng tham gia ý tưởng", "coauthor"});
  if (!rules::supportable(c.idea.state))
    return web::fail_page(ctx, Error{ErrorKind::conflict,
                                     "Ý tưởng ở trạng thái “" + rules::state_label(c.idea.state) + "” không nhận thêm đồng tác giả", "coauthor"});
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.request_coauthor(c.idea.id, member));
    CHIDOAN_TRY_VOID(notices::tell_authors(ctx.db(), c.idea.id, "coauthor",
                                           ctx.user->display_name + " xin cùng tham gia ý tưởng “" + c.idea.title + "”",
                                           ctx.services.clock->unix_seconds(), member, "request:" + std::to_string(member)));
    return ctx.audit("request_coauthor", "idea", c.idea.id, {{"member_id", member}});
  }));
  return done(ctx, idea_path(c.idea.id), Json{{"id", c.idea.id}, {"member_id", member}, {"status", "requested"}}, 201);
}

Response accept_coauthor(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_idea(ctx, ctx.req.param_int("iid")));
  if (!c.author) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ tác giả của ý tưởng được nhận đồng tác giả"});
  const int64_t who = ctx.req.param_int("mid");
  std::string name;
  for (const auto& a : c.idea.authors)
    if (a.member_id == who) name = a.name;
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.accept_coauthor(c.idea.id, who));
    CHIDOAN_TRY_VOID(notices::tell_authors(ctx.db(), c.idea.id, "coauthor", name + " trở thành đồng tác giả của ý tưởng “" + c.idea.title + "”",
                                           ctx.services.clock->unix_seconds(), ctx.user->member_id, "accepted:" + std::to_string(who)));
    return ctx.audit("accept_coauthor", "idea", c.idea.id, {{"member_id", who}});
  }));
  return done(ctx, idea_path(c.idea.id), Json{{"id", c.idea.id}, {"member_id", who}, {"status", "accepted"}});
}

// ---- Attachments ----------------------------------------------------------------------------

Response upload(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_idea(ctx, ctx.req.param_int("iid")));
  if (!c.author && !c.l.committee)
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ tác giả hoặc Ban Chấp hành được đính kèm tệp", "file"});
  auto form = ctx.req.form();
  if (!form) return web::fail_page(ctx, Error{ErrorKind::invalid, "Gửi tệp bằng biểu mẫu multipart/form-data, trường “file”", "file"});
  const http::FilePart* file = form->file("file");
  Store store = store_of(ctx);
  CHIDOAN_CHECK(files, store.attachments(c.idea.id));
  CHIDOAN_CHECK(in, rules::check_attachment(file ? file->filename : "", file ? std::string_view(file->data) : std::string_view(), files.size()));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.add_attachment(c.idea.id, ctx.user->member_id, in, file->data));
    id = new_id;
    return ctx.audit("attach", "idea", c.idea.id, {{"attachment_id", id}, {"file_name", in.file_name}, {"mime", in.mime}, {"size", file->data.size()}});
  }));
  return done(ctx, idea_path(c.idea.id), Json{{"id", id}, {"mime", in.mime}, {"file_name", in.file_name}}, 201);
}

// An ASCII name for the filename= of old clients; the exact name goes in filename*.
std::string ascii_name(const std::string& name) {
  std::string out;
  for (char ch : text::search_fold(name)) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
    out += ok ? ch : '-';
  }
  return out.empty() ? "tep" : out;
}

Response download(Ctx& ctx) {
  Store store = store_of(ctx);
  CHIDOAN_CHECK(a, store.attachment(ctx.req.param_int("aid")));
  CHIDOAN_CHECK_VOID(load_idea(ctx, a.idea_id));
  CHIDOAN_CHECK(bytes, store.attachment_bytes(a.id));
  Response r;
  r.status = 200;
  r.body = std::move(bytes);
  // Images open in the browser; PDFs are saved (no viewer runs them in our origin).
  const char* disposition = a.mime.starts_with("image/") ? "inline" : "attachment";
  r.header("Content-Type", a.mime);
  r.header("Content-Disposition", std::string(disposition) + "; filename=\"" + ascii_name(a.file_name) + "\"; filename*=UTF-8''" +
                                      http::url_encode(a.file_name));
  r.header("X-Content-Type-Options", "nosniff");
  r.header("Cache-Control", "private, max-age=0");
  return r;
}

Response remove_attachment(Ctx& ctx) {
  Store store = store_of(ctx);
  CHIDOAN_CHECK(a, store.attachment(ctx.req.param_int("aid")));
  CHIDOAN_CHECK(c, load_idea(ctx, a.idea_id));
  if (!c.author && !c.l.committee)
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ tác giả hoặc Ban Chấp hành được gỡ tệp đính kèm", "file"});
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.remove_attachment(a.id));
    return ctx.audit("detach", "idea", c.idea.id, {{"attachment_id", a.id}, {"file_name", a.file_name}});
  }));
  return done(ctx, idea_path(c.idea.id), Json{{"id", a.id}, {"deleted", true}});
}

}  // namespace

void add_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.page("GET", "/orgs/{id:int}/ideas", list_forums);
  routes.api("GET", "/orgs/{id:int}/ideas", list_ideas);
  routes.api("GET", "/orgs/{id:int}/ideas/forums", list_forums);
  routes.both("POST", "/orgs/{id:int}/ideas/forums", create_forum);
  routes.both("GET", "/ideas/forums/{fid:int}", show_forum);
  routes.both("POST", "/ideas/forums/{fid:int}", update_forum);
  routes.both("POST", "/ideas/forums/{fid:int}/mentors", add_mentor);
  routes.both("POST", "/ideas/forums/{fid:int}/mentors/{uid:int}/remove", remove_mentor);
  routes.both("POST", "/ideas/forums/{fid:int}/ideas", create_idea);
  routes.both("GET", "/ideas/forums/{fid:int}/results", results);
  routes.both("GET", "/ideas/{iid:int}", show_idea);
  routes.both("POST", "/ideas/{iid:int}", update_idea);
  routes.both("POST", "/ideas/{iid:int}/state", change_state);
  routes.both("POST", "/ideas/{iid:int}/support", support);
  routes.both("POST", "/ideas/{iid:int}/support/withdraw", withdraw_support);
  routes.both("POST", "/ideas/{iid:int}/coauthors", request_coauthor);
  routes.both("POST", "/ideas/{iid:int}/coauthors/{mid:int}/accept", accept_coauthor);
  routes.both("POST", "/ideas/{iid:int}/attachments", upload);
  routes.both("GET", "/ideas/attachments/{aid:int}", download);
  routes.both("POST", "/ideas/attachments/{aid:int}/delete", remove_attachment);
}

}  // namespace chidoan::ideas
