#include "ideas/talk_routes.hpp"

#include <algorithm>
#include <cstdint>
#include <iostream>

#include "ideas/notices.hpp"
#include "ideas/rules.hpp"
#include "ideas/store.hpp"
#include "ideas/talk_rules.hpp"
#include "ideas/talk_store.hpp"
#include "ideas/talk_views.hpp"
#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/text/text.hpp"

namespace chidoan::ideas {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;

constexpr int kNoticesShown = 100;

std::string talk_path(int64_t id, const std::string& rest = "") { return "/ideas/" + std::to_string(id) + rest; }

using org::scope_of;

Result<RawFields> read_talk_fields(const http::Request& req, std::initializer_list<const char*> names) {
  CHIDOAN_TRY(f, web::fields(req, names));
  return RawFields(f.begin(), f.end());
}

using web::done;

// An idea with its forum's org and what the signed-in user is to it.
struct TalkCtx {
  TalkIdea idea;
  org::Org org;
  TalkRights rights;
};

// Who the signed-in user is to an idea (they may see it): a mentor of its forum, an author.
Result<talk_rules::Writer> who_is(Ctx& ctx, int64_t forum_id, int64_t idea_id) {
  Store ideas(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(mentor, ideas.is_mentor(forum_id, ctx.user->user_id));
  bool author = false;
  if (ctx.user->member_id) {
    CHIDOAN_TRY(a, ideas.is_author(idea_id, *ctx.user->member_id));
    author = a;
  }
  return talk_rules::Writer{true, mentor, author};
}

// Loads the idea and decides who the user is to it, as the idea page does (routes.cpp): the
// policy's view_ideas on the forum's org; drafts only for their authors, hidden ideas only for
// moderators (anyone else: not_found, as for an idea that does not exist).
Result<TalkCtx> load(Ctx& ctx, int64_t idea_id) {
  TalkStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(idea, store.idea(idea_id));
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(idea.org_id));
  CHIDOAN_TRY_VOID(ctx.authorize(Action::view_ideas, scope_of(o)));
  TalkCtx l{idea, o, {}};
  const auto& u = *ctx.user;
  auto& r = l.rights;
  r.signed_in = true;
  r.user_id = u.user_id;
  r.moderator = auth::allowed(u, Action::moderate_ideas, scope_of(o));
  CHIDOAN_TRY(who, who_is(ctx, idea.forum_id, idea.id));
  r.writer = who;
  if ((!idea.sent && !who.author) || (idea.hidden && !r.moderator)) return fail(ErrorKind::not_found, "Không có ý tưởng này");
  return l;
}

Result<Json> talk_of(Ctx& ctx, const TalkCtx& l) {
  TalkStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(comments, store.comments(l.idea.id));
  CHIDOAN_TRY(reported, store.reported_comments(l.idea.id, l.rights.user_id));
  CHIDOAN_TRY(idea_reported, store.reported_by("idea", l.idea.id, l.rights.user_id));
  return talk_json(l.idea, comments, l.rights, reported, idea_reported);
}

// GET /ideas/{id}/talk: the discussion alone (the API's view of it, or the fragment).
Response show_talk(Ctx& ctx) {
  CHIDOAN_CHECK(l, load(ctx, ctx.req.param_int("iid")));
  CHIDOAN_CHECK(talk, talk_of(ctx, l));
  Json v{{"talk", talk}, {"idea", {{"id", l.idea.id}, {"title", l.idea.title}}}};
  return web::respond(ctx, "ideas/talk_page", v, 200, ctx.t("ideas_talk.title"));
}

// POST /ideas/{id}/comments and /ideas/{id}/mentoring: body, parent_id (a reply).
Response post(Ctx& ctx, const std::string& thread) {
  CHIDOAN_CHECK(l, load(ctx, ctx.req.param_int("iid")));
  CHIDOAN_CHECK(raw, read_talk_fields(ctx.req, {"body", "parent_id"}));
  CHIDOAN_CHECK(in, talk_rules::validate_comment(raw));
  TalkStore store(ctx.db(), *ctx.services.clock);
  std::optional<talk_rules::Comment> parent;
  if (in.parent_id) {
    auto p = store.comment(*in.parent_id);
    if (!p) {
      if (p.error().kind == ErrorKind::not_found)
        return web::fail_page(ctx, Error{ErrorKind::invalid, "Không tìm thấy bình luận được trả lời", "parent_id"});
      return web::fail_page(ctx, p.error());
    }
    parent = *p;
  }
  CHIDOAN_CHECK_VOID(talk_rules::may_post(thread, l.idea.state, l.idea.hidden, l.rights.writer, l.idea.id, parent));
  const auto& u = *ctx.user;
  const int64_t now = ctx.services.clock->unix_seconds();
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.add_comment(l.idea.id, thread, in, u.user_id, u.member_id, u.display_name));
    id = new_id;
    const std::string ref = "comment:" + std::to_string(id);
    const std::string quoted = "“" + l.idea.title + "”";
    if (thread == "mentor") {
      std::string text = l.rights.writer.mentor ? "Người hướng dẫn " + u.display_name + " đã góp ý cho ý tưởng " + quoted + "."
                                                : u.display_name + " đã trả lời góp ý của người hướng dẫn về ý tưởng " + quoted + ".";
      CHIDOAN_TRY_VOID(notices::tell_authors(ctx.db(), l.idea.id, "mentor", text, now, u.member_id, ref));
      if (parent && parent->user_id != u.user_id)
        CHIDOAN_TRY_VOID(notices::tell_user(ctx.db(), parent->user_id, l.idea.id, "mentor",
                                            u.display_name + " đã trả lời góp ý của bạn về ý tưởng " + quoted + ".", now, ref));
    } else {
      CHIDOAN_TRY_VOID(notices::tell_authors(ctx.db(), l.idea.id, "comment",
                                             u.display_name + " đã bình luận về ý tưởng " + quoted + ".", now, u.member_id, ref));
      if (parent && parent->user_id != u.user_id)
        CHIDOAN_TRY_VOID(notices::tell_user(ctx.db(), parent->user_id, l.idea.id, "comment",
                                            u.display_name + " đã trả lời bình luận của bạn về ý tưởng " + quoted + ".", now, ref));
    }
    return ctx.audit("create", "idea_comment", id,
                     {{"idea_id", l.idea.id}, {"thread", thread}, {"parent_id", in.parent_id ? Json(*in.parent_id) : Json(nullptr)}});
  }));
  return done(ctx, talk_path(l.idea.id, "#comment-" + std::to_string(id)), Json{{"id", id}, {"thread", thread}}, 201);
}
Response post_comment(Ctx& ctx) { return post(ctx, "comment"); }
Response post_mentoring(Ctx& ctx) { return post(ctx, "mentor"); }

// The item a report or a moderator's decision is about.
struct Target {
  std::string target;  // idea | comment
  int64_t id = 0;
  bool hidden = false;
  int64_t pending = 0;
  int64_t author_user = 0;  // of a comment
};

Result<std::pair<Target, TalkCtx>> load_target(Ctx& ctx, const std::string& target) {
  TalkStore store(ctx.db(), *ctx.services.clock);
  if (target == "idea") {
    CHIDOAN_TRY(l, load(ctx, ctx.req.param_int("iid")));
    CHIDOAN_TRY(row, ctx.db().query_one("SELECT COUNT(*) FROM idea_reports WHERE target = 'idea' AND target_id = ?1 AND resolved_at IS NULL",
                                        {l.idea.id}));
    return std::pair{Target{"idea", l.idea.id, l.idea.hidden, row ? row->i64(0) : 0, 0}, l};
  }
  CHIDOAN_TRY(c, store.comment(ctx.req.param_int("cid")));
  CHIDOAN_TRY(l, load(ctx, c.idea_id));
  if (c.hidden && !l.rights.moderator) return fail(ErrorKind::not_found, "Không tìm thấy bình luận");
  return std::pair{Target{"comment", c.id, c.hidden, c.pending_reports, c.user_id}, l};
}

std::string entity_of(const Target& t) { return t.target == "idea" ? "idea" : "idea_comment"; }

std::string back_of(const Target& t, const TalkCtx& l) {
  return t.target == "idea" ? talk_path(l.idea.id) : talk_path(l.idea.id, "#comment-" + std::to_string(t.id));
}

// POST /ideas/{id}/report, /ideas/comments/{cid}/report: reason. Once per user and item; the
// third pending report hides the item until a moderator decides.
Response report(Ctx& ctx, const std::string& target) {
  CHIDOAN_CHECK(tl, load_target(ctx, target));
  auto& [t, l] = tl;
  CHIDOAN_CHECK(raw, read_talk_fields(ctx.req, {"reason"}));
  CHIDOAN_CHECK(reason, talk_rules::validate_reason(raw));
  TalkStore store(ctx.db(), *ctx.services.clock);
  const auto& u = *ctx.user;
  bool hidden = t.hidden;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(pending, store.report(t.target, t.id, l.idea.id, u.user_id, u.member_id, reason));
    CHIDOAN_TRY_VOID(ctx.audit("report", entity_of(t), t.id, {{"idea_id", l.idea.id}, {"reason", reason}, {"pending", pending}}));
    if (t.hidden || !talk_rules::hides(pending)) return {};
    hidden = true;
    CHIDOAN_TRY_VOID(store.set_hidden(t.target, t.id, true));
    return ctx.audit("hide", entity_of(t), t.id,
                     {{"idea_id", l.idea.id}, {"automatic", true}, {"pending", pending},
                      {"reason", std::to_string(pending) + " báo cáo chờ kiểm duyệt"}});
  }));
  return done(ctx, t.target == "idea" && hidden && !l.rights.moderator ? "/ideas/forums/" + std::to_string(l.idea.forum_id)
                                                                        : back_of(t, l),
              Json{{"reported", true}, {"hidden", hidden}}, 201);
}
Response report_idea(Ctx& ctx) { return report(ctx, "idea"); }
Response report_comment(Ctx& ctx) { return report(ctx, "comment"); }

// POST /ideas/{id}/hide|restore, /ideas/comments/{cid}/hide|restore: reason (required, kept in
// the audit log). Closes the item's pending reports.
Response decide(Ctx& ctx, const std::string& target, bool hide) {
  CHIDOAN_CHECK(tl, load_target(ctx, target));
  auto& [t, l] = tl;
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::moderate_ideas, scope_of(l.org)));
  CHIDOAN_CHECK(raw, read_talk_fields(ctx.req, {"reason"}));
  CHIDOAN_CHECK(reason, talk_rules::validate_reason(raw));
  if (hide && t.hidden && t.pending == 0)
    return web::fail_page(ctx, Error{ErrorKind::conflict, "Nội dung này đã bị ẩn"});
  if (!hide && !t.hidden && t.pending == 0)
    return web::fail_page(ctx, Error{ErrorKind::conflict, "Nội dung này đang hiển thị và không có báo cáo chờ xử lý"});
  TalkStore store(ctx.db(), *ctx.services.clock);
  const int64_t now = ctx.services.clock->unix_seconds();
  int64_t closed = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_hidden(t.target, t.id, hide));
    CHIDOAN_TRY(n, store.resolve(t.target, t.id, hide ? "hidden" : "restored", ctx.user->user_id));
    closed = n;
    if (t.target == "idea" && hide != t.hidden) {
      const std::string quoted = "“" + l.idea.title + "”";
      std::string text = hide ? "Ý tưởng " + quoted + " đã bị người kiểm duyệt ẩn. Lý do: " + reason
                              : "Ý tưởng " + quoted + " đã được người kiểm duyệt hiển thị lại. Lý do: " + reason;
      CHIDOAN_TRY_VOID(notices::tell_authors(ctx.db(), l.idea.id, "state", text, now, std::nullopt));
    }
    return ctx.audit(hide ? "hide" : "restore", entity_of(t), t.id,
                     {{"idea_id", l.idea.id}, {"reason", reason}, {"reports_closed", n}});
  }));
  return done(ctx, ctx.req.header("referer").find("/moderation") != std::string::npos
                       ? "/orgs/" + std::to_string(l.org.id) + "/ideas/moderation"
                       : back_of(t, l),
              Json{{"hidden", hide}, {"reports_closed", closed}});
}
Response hide_idea(Ctx& ctx) { return decide(ctx, "idea", true); }
Response restore_idea(Ctx& ctx) { return decide(ctx, "idea", false); }
Response hide_comment(Ctx& ctx) { return decide(ctx, "comment", true); }
Response restore_comment(Ctx& ctx) { return decide(ctx, "comment", false); }

// GET /orgs/{id}/ideas/moderation: hidden and reported ideas and comments of the org's forums.
Response moderation(Ctx& ctx) {
  CHIDOAN_CHECK(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::moderate_ideas, scope_of(o)));
  CHIDOAN_CHECK(items, TalkStore(ctx.db(), *ctx.services.clock).queue(o.id));
  Json list = Json::array();
  int64_t pending = 0;
  for (const auto& q : items) {
    list.push_back(queue_item_json(q));
    pending += static_cast<int64_t>(q.pending.size());
  }
  Json v{{"org", org::to_json(o)}, {"items", list}, {"pending", pending}, {"empty", list.empty()},
         {"max_reason", talk_rules::kMaxReasonChars}};
  return web::respond(ctx, "ideas/moderation", v, 200, ctx.t("ideas_talk.moderation"));
}

notices::Recipient recipient(const Ctx& ctx) { return notices::Recipient{ctx.user->user_id, ctx.user->member_id}; }

// GET /ideas/notices: the signed-in user's notices, newest first, with the unread count.
Response list_notices(Ctx& ctx) {
  CHIDOAN_CHECK(list, notices::list(ctx.db(), recipient(ctx), kNoticesShown));
  CHIDOAN_CHECK(unread, notices::unread_count(ctx.db(), recipient(ctx)));
  Json items = Json::array();
  for (const auto& n : list) items.push_back(notice_json(n));
  Json v{{"items", items}, {"unread", unread}, {"has_unread", unread > 0}, {"empty", items.empty()}};
  return web::respond(ctx, "ideas/notices", v, 200, ctx.t("ideas_talk.notices"));
}

// POST /ideas/notices/read (all) and /ideas/notices/{nid}/read (one).
Response mark_read(Ctx& ctx, std::optional<int64_t> id) {
  const int64_t now = ctx.services.clock->unix_seconds();
  int64_t changed = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(n, notices::mark_read(ctx.db(), recipient(ctx), id, now));
    changed = n;
    return {};
  }));
  return done(ctx, "/ideas/notices", Json{{"changed", changed}});
}
Response read_all(Ctx& ctx) { return mark_read(ctx, std::nullopt); }
Response read_one(Ctx& ctx) { return mark_read(ctx, ctx.req.param_int("nid")); }

// GET /ideas/forums/{fid}/similar?title=…[&except=ID]: ideas of the forum whose titles look
// like the one being typed (accent-insensitive), at most five, best first.
Response similar(Ctx& ctx) {
  const int64_t forum_id = ctx.req.param_int("fid");
  CHIDOAN_CHECK(row, ctx.db().query_one("SELECT org_id FROM idea_forums WHERE id = ?1", {forum_id}));
  if (!row) return web::fail_page(ctx, Error{ErrorKind::not_found, "Không tìm thấy diễn đàn"});
  CHIDOAN_CHECK(o, org::Store(ctx.db(), *ctx.services.clock).org(row->i64(0)));
  CHIDOAN_CHECK_VOID(ctx.authorize(Action::view_ideas, scope_of(o)));
  TalkStore store(ctx.db(), *ctx.services.clock);
  std::string title = ctx.req.query_param("title");
  if (title.size() > 4 * rules::kMaxTitleChars)
    return web::fail_page(ctx, Error{ErrorKind::invalid, "Tiêu đề quá dài (tối đa 200 ký tự)", "title"});
  auto clean = text::normalize(title);
  if (!clean) return web::fail_page(ctx, Error{ErrorKind::invalid, "Tiêu đề: " + clean.error().message, "title"});
  CHIDOAN_CHECK(except, web::int_param(ctx.req, "except", 0, 0, INT64_MAX));
  const std::string key = text::search_fold(*clean);
  Json items = Json::array();
  if (!talk_rules::key_words(key).empty()) {
    CHIDOAN_CHECK(rows, store.titles(forum_id));
    std::vector<std::pair<double, const TitleRow*>> found;
    for (const auto& t : rows)
      if (t.id != except && talk_rules::alike(key, t.title_key)) found.emplace_back(talk_rules::likeness(key, t.title_key), &t);
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (found.size() > talk_rules::kMaxSimilar) found.resize(talk_rules::kMaxSimilar);
    for (const auto& [score, t] : found)
      items.push_back({{"id", t->id}, {"title", t->title}, {"state", t->state}, {"state_label", rules::state_label(t->state)},
                       {"path", talk_path(t->id)}});
  }
  Json v{{"forum_id", forum_id}, {"title", *clean}, {"items", items}, {"any", !items.empty()}};
  return web::respond(ctx, "ideas/talk_similar", v, 200, ctx.t("ideas_talk.similar"));
}

}  // namespace

void add_talk(web::Ctx& ctx, const Idea& idea, const Forum& forum, web::Json& view) {
  if (!ctx.user) return;
  auto o = org::Store(ctx.db(), *ctx.services.clock).org(forum.org_id);
  auto who = who_is(ctx, forum.id, idea.id);
  if (!o || !who) {
    std::cerr << "chidoan: talk of idea " << idea.id << ": could not be read\n";
    view["talk"] = Json{{"unavailable", true}};
    return;
  }
  const auto& u = *ctx.user;
  TalkCtx l{TalkIdea{idea.id, idea.title, idea.state, idea.hidden, idea.submitted_at.has_value(), forum.id, forum.title, forum.org_id}, *o, {}};
  l.rights.signed_in = true;
  l.rights.user_id = u.user_id;
  l.rights.moderator = auth::allowed(u, Action::moderate_ideas, scope_of(*o));
  l.rights.writer = *who;
  auto talk = talk_of(ctx, l);
  if (!talk) {
    std::cerr << "chidoan: talk of idea " << idea.id << ": " << talk.error().message << "\n";
    view["talk"] = Json{{"unavailable", true}};
    return;
  }
  view["talk"] = *talk;
}

void add_talk_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/ideas/{iid:int}/talk", show_talk);
  routes.both("POST", "/ideas/{iid:int}/comments", post_comment);
  routes.both("POST", "/ideas/{iid:int}/mentoring", post_mentoring);
  routes.both("POST", "/ideas/{iid:int}/report", report_idea);
  routes.both("POST", "/ideas/comments/{cid:int}/report", report_comment);
  routes.both("POST", "/ideas/{iid:int}/hide", hide_idea);
  routes.both("POST", "/ideas/{iid:int}/restore", restore_idea);
  routes.both("POST", "/ideas/comments/{cid:int}/hide", hide_comment);
  routes.both("POST", "/ideas/comments/{cid:int}/restore", restore_comment);
  routes.both("GET", "/orgs/{id:int}/ideas/moderation", moderation);
  routes.both("GET", "/ideas/notices", list_notices);
  routes.both("POST", "/ideas/notices/read", read_all);
  routes.both("POST", "/ideas/notices/{nid:int}/read", read_one);
  routes.both("GET", "/ideas/forums/{fid:int}/similar", similar);
}

}  // namespace chidoan::ideas
