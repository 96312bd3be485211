#include "news/routes.hpp"

#include <charconv>

#include "news/draft.hpp"
#include "news/photo.hpp"
#include "news/rules.hpp"
#include "news/store.hpp"
#include "news/views.hpp"
#include "org/store.hpp"
#include "org/views.hpp"

namespace chidoan::news {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::done;
using web::Json;
using org::scope_of;

std::string post_path(int64_t id) { return "/news/" + std::to_string(id); }
std::string org_news_path(int64_t id) { return "/orgs/" + std::to_string(id) + "/news"; }
Store store_of(Ctx& ctx) { return Store(ctx.db(), *ctx.services.clock); }

Result<org::Org> load_org(Ctx& ctx, Action action) {
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  return o;
}

// A post the user may see: its author and the committee always; other writers of the org once
// it is published. Anyone else gets not_found, as for a post that does not exist.
struct PostCtx {
  Post post;
  org::Org org;
  bool author = false, committee = false;
  unsigned who() const { return (author ? rules::kAuthor : 0u) | (committee ? rules::kCommittee : 0u); }
};

Result<PostCtx> load_post(Ctx& ctx, int64_t id) {
  CHIDOAN_TRY(p, store_of(ctx).post(id));
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(p.org_id));
  // Outside the org, a post is not found rather than forbidden: ids of drafts are not revealed.
  if (!ctx.authorize(Action::write_news, scope_of(o))) return fail(ErrorKind::not_found, "Không có bài viết này");
  PostCtx c{p, o};
  c.committee = ctx.allows(Action::manage_news, scope_of(o));
  c.author = p.author_id && *p.author_id == ctx.user->user_id;
  if (!c.author && !c.committee && p.state != "published") return fail(ErrorKind::not_found, "Không có bài viết này");
  return c;
}

// What the post would put on a public page that it must not: phones, identity numbers, names of
// members of its org who have not consented (in the text and the photos' alt texts).
Result<std::vector<rules::Finding>> findings_of(Store& store, const Post& p) {
  CHIDOAN_TRY(photos, store.photos(p.id));
  std::vector<std::pair<std::string, std::string>> texts{{"title", p.title}, {"summary", p.summary}, {"body", p.body}};
  for (const auto& ph : photos) texts.emplace_back("alt", ph.alt);
  CHIDOAN_TRY(names, store.unconsented_names(rules::name_candidates(texts)));
  return rules::personal_data(texts, names);
}

// A photo description added to a published post goes out at once: the same check as publishing.
Result<void> check_published_alt(Store& store, const Post& p, const std::string& alt) {
  if (p.state != "published") return {};
  CHIDOAN_TRY(names, store.unconsented_names(rules::name_candidates({{"alt", alt}})));
  return rules::check_publishable(rules::personal_data({{"alt", alt}}, names));
}

constexpr std::initializer_list<const char*> kPostFields = {"title", "summary", "body", "activity_id", "campaign_id", "forum_id",
                                                            "produce_cycle_id"};

// ---- Lists and writing ----------------------------------------------------------------------

// GET /orgs/{id}/news: the committee sees every post of the subtree; a member their own and the
// published ones.
Response list_posts(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, Action::write_news));
  bool committee = ctx.allows(Action::manage_news, scope_of(o));
  PostFilter f;
  std::string state = ctx.req.query_param("state");
  if (!state.empty()) {
    if (!rules::is_state(state))
      return web::fail_page(ctx, Error{ErrorKind::invalid, "Trạng thái phải là một trong: draft, awaiting, published, withdrawn", "state"});
    f.state = state;
  }
  if (!committee) f.author_id = ctx.user->user_id;
  Store store = store_of(ctx);
  CHIDOAN_CHECK(list, store.posts(o.id, f));
  Json items = Json::array();
  int64_t awaiting = 0;
  for (const auto& p : list) {
    items.push_back(post_json(p));
    awaiting += p.state == "awaiting";
  }
  Json v{{"org", org::to_json(o)},
         {"items", items},
         {"has_items", !items.empty()},
         {"awaiting", awaiting},
         {"can_manage", committee},
         {"public_url", public_org_path(o.id)}};
  if (!ctx.req.wants_json()) {
    CHIDOAN_CHECK(sources, store.sources(o.id));
    Json groups = Json::array();
    for (const char* g : {"activity", "campaign", "forum", "produce"}) {
      Json options = Json::array();
      for (const auto& s : sources)
        if (s.group == g) options.push_back({{"value", s.value}, {"label", s.label}});
      if (!options.empty()) groups.push_back({{"group", g}, {"label", ctx.t(std::string("news.source.") + g)}, {"options", options}});
    }
    v["source_groups"] = groups;
    v["has_sources"] = !groups.empty();
  }
  return web::respond(ctx, "news/list", v, 200, ctx.t("news.title"));
}

Response create_post(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, Action::write_news));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, kPostFields));
  CHIDOAN_CHECK(in, rules::validate_post(raw));
  CHIDOAN_CHECK_VOID(check_links(ctx.db(), o.id, in.links));
  Store store = store_of(ctx);
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_post(o.id, ctx.user->user_id, ctx.user->member_id, in));
    id = new_id;
    return ctx.audit("create", "news_post", id, {{"org_id", o.id}, {"title", in.title}});
  }));
  return done(ctx, post_path(id), Json{{"id", id}, {"state", "draft"}}, 201);
}

// POST /orgs/{id}/news/draft (source=activity:12 | campaign:3 | forum:1 | produce:4): a draft
// whose title, summary and first paragraph chidoan writes from the data.
Response create_draft(Ctx& ctx) {
  CHIDOAN_CHECK(o, load_org(ctx, Action::write_news));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, {"source"}));
  CHIDOAN_CHECK(src, rules::parse_source(raw["source"]));
  CHIDOAN_CHECK(d, draft_from(ctx.db(), *ctx.services.clock, o.id, Source{src.first, src.second}));
  rules::PostInput in{d.title, d.summary, d.body, d.links};
  Store store = store_of(ctx);
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.create_post(o.id, ctx.user->user_id, ctx.user->member_id, in));
    id = new_id;
    return ctx.audit("create", "news_post", id, {{"org_id", o.id}, {"title", in.title}, {"source", raw["source"]}});
  }));
  return done(ctx, post_path(id), Json{{"id", id}, {"state", "draft"}, {"title", d.title}, {"summary", d.summary}, {"body", d.body}}, 201);
}

Response show_post(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_post(ctx, ctx.req.param_int("pid")));
  Store store = store_of(ctx);
  CHIDOAN_CHECK(photos, store.photos(c.post.id));
  Json photo_list = Json::array();
  for (const auto& ph : photos) photo_list.push_back(photo_json(ph));
  Json moves = Json::array();
  for (const auto& to : rules::moves_from(c.post.state, c.who())) {
    bool needs_note = false;
    for (const auto& t : rules::kTransitions)
      if (t.from == c.post.state && t.to == to) needs_note = t.needs_note;
    moves.push_back({{"to", to}, {"label", rules::move_label(to)}, {"needs_note", needs_note}, {"danger", to == "withdrawn"}});
  }
  bool editable = rules::may_edit(c.post.state, c.who());
  Json findings = Json::array();
  if (c.post.state != "published" && c.post.state != "withdrawn" && (c.author || c.committee)) {
    CHIDOAN_CHECK(found, findings_of(store, c.post));
    for (const auto& f : found) findings.push_back({{"field", f.field}, {"what", f.what}});
  }
  CHIDOAN_CHECK(titles, link_titles(ctx.db(), c.post.links));
  Json v{{"post", post_json(c.post)},
         {"org", org::to_json(c.org)},
         {"photos", photo_list},
         {"moves", moves},
         {"has_moves", !moves.empty()},
         {"editable", editable},
         {"can_delete", c.post.state == "draft" && !c.post.published_at && (c.author || c.committee)},
         {"can_add_photo", editable && photos.size() < rules::kMaxPhotos},
         {"findings", findings},
         {"has_findings", !findings.empty()},
         {"links", {{"activity", titles.activity}, {"campaign", titles.campaign}, {"forum", titles.forum},
                    {"produce_cycle", titles.produce_cycle}}},
         {"max_photo_mb", photo::kMaxBytes / (1024 * 1024)}};
  if (!ctx.req.wants_json()) {
    CHIDOAN_CHECK(sources, store.sources(c.org.id));
    Json opts = {{"activity", Json::array()}, {"campaign", Json::array()}, {"forum", Json::array()}, {"produce", Json::array()}};
    const Links& l = c.post.links;
    for (const auto& s : sources) {
      int64_t id = std::stoll(s.value.substr(s.value.find(':') + 1));
      std::optional<int64_t> cur = s.group == "activity" ? l.activity_id : s.group == "campaign" ? l.campaign_id
                                   : s.group == "forum"  ? l.forum_id    : l.produce_cycle_id;
      opts[s.group].push_back({{"id", id}, {"label", s.label}, {"selected", cur && *cur == id}});
    }
    // The current link is always an option, also when it is older than the list or an activity of
    // a level above that the branch took part in: saving the form never drops it.
    auto keep = [&](const char* group, const std::optional<int64_t>& cur, const std::string& title) {
      if (!cur) return;
      for (const auto& o : opts[group])
        if (o["id"] == *cur) return;
      opts[group].push_back({{"id", *cur}, {"label", title}, {"selected", true}});
    };
    keep("activity", l.activity_id, titles.activity);
    keep("campaign", l.campaign_id, titles.campaign);
    keep("forum", l.forum_id, titles.forum);
    keep("produce", l.produce_cycle_id, titles.produce_cycle);
    v["link_options"] = opts;
  }
  return web::respond(ctx, "news/post", v, 200, c.post.title);
}

Response update_post(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_post(ctx, ctx.req.param_int("pid")));
  if (!rules::may_edit(c.post.state, c.who()))
    return web::fail_page(ctx, Error{ErrorKind::forbidden, c.post.state == "withdrawn" ? "Bài đã gỡ: chọn “Sửa lại” để đưa về bản nháp trước khi sửa"
                                                           : "Chỉ Ban Chấp hành được sửa bài đã đăng", "title"});
  CHIDOAN_CHECK(raw, web::fields(ctx.req, kPostFields));
  CHIDOAN_CHECK(in, rules::validate_post(raw));
  CHIDOAN_CHECK_VOID(check_links(ctx.db(), c.org.id, in.links));
  Store store = store_of(ctx);
  if (c.post.state == "published") {
    // The committee's edit of a published post is its approval of the new text: the same check.
    Post next = c.post;
    next.title = in.title, next.summary = in.summary, next.body = in.body;
    CHIDOAN_CHECK(found, findings_of(store, next));
    CHIDOAN_CHECK_VOID(rules::check_publishable(found));
  }
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.update_post(c.post.id, c.post.state, in));
    return ctx.audit("update", "news_post", c.post.id, {{"title", in.title}, {"state", c.post.state}});
  }));
  return done(ctx, post_path(c.post.id), Json{{"id", c.post.id}});
}

Response move_post(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_post(ctx, ctx.req.param_int("pid")));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, {"to_state", "note", "version"}));
  std::string to = raw["to_state"];
  CHIDOAN_CHECK_VOID(rules::check_move(c.post.state, to, c.who()));
  CHIDOAN_CHECK(note, rules::check_note(to, raw["note"]));
  // Publishing names the version the committee read (the page sends it): an edit made since is
  // never published unseen.
  std::optional<int64_t> version;
  if (to == "published") {
    int64_t v = -1;
    auto [ptr, ec] = std::from_chars(raw["version"].data(), raw["version"].data() + raw["version"].size(), v);
    if (ec != std::errc() || ptr != raw["version"].data() + raw["version"].size() || v < 0)
      return web::fail_page(ctx, Error{ErrorKind::invalid, "Cần phiên bản của bài đã đọc (trường “version”) để duyệt", "version"});
    version = v;
  }
  Store store = store_of(ctx);
  if (to == "awaiting" || to == "published") {
    CHIDOAN_CHECK(found, findings_of(store, c.post));
    CHIDOAN_CHECK_VOID(rules::check_publishable(found));
  }
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.move(c.post.id, to, ctx.user->user_id, note, version));
    return ctx.audit("move", "news_post", c.post.id, {{"from", c.post.state}, {"to", std::string(rules::landing(to))}, {"note", note}});
  }));
  return done(ctx, post_path(c.post.id), Json{{"id", c.post.id}, {"state", std::string(rules::landing(to))}});
}

Response delete_post(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_post(ctx, ctx.req.param_int("pid")));
  if (!c.author && !c.committee)
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Chỉ người viết hoặc Ban Chấp hành được xoá bản nháp", "id"});
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.delete_draft(c.post.id));
    return ctx.audit("delete", "news_post", c.post.id, {{"title", c.post.title}});
  }));
  return done(ctx, org_news_path(c.org.id), Json{{"id", c.post.id}, {"deleted", true}});
}

// ---- Photos ---------------------------------------------------------------------------------

Response upload_photo(Ctx& ctx) {
  CHIDOAN_CHECK(c, load_post(ctx, ctx.req.param_int("pid")));
  if (!rules::may_edit(c.post.state, c.who()))
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bài ở trạng thái này không thêm ảnh được", "photo"});
  auto form = ctx.req.form();
  if (!form) return web::fail_page(ctx, Error{ErrorKind::invalid, "Gửi ảnh bằng biểu mẫu multipart/form-data, trường “photo”", "photo"});
  CHIDOAN_CHECK(alt, rules::validate_alt(form->get("alt")));
  const http::FilePart* file = form->file("photo");
  if (!file || file->data.empty()) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chọn một ảnh JPEG, PNG hoặc WebP", "photo"});
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(check_published_alt(store, c.post, alt));
  CHIDOAN_CHECK(prepared, photo::prepare(file->data));
  int64_t id = 0;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY(new_id, store.add_photo(c.post.id, c.post.state, alt, prepared));
    id = new_id;
    return ctx.audit("add_photo", "news_post", c.post.id,
                     {{"photo_id", id}, {"type", prepared.source_type}, {"bytes", file->data.size()},
                      {"size", std::to_string(prepared.source_width) + "x" + std::to_string(prepared.source_height)}});
  }));
  return done(ctx, post_path(c.post.id),
              Json{{"id", id}, {"width", prepared.large.width}, {"height", prepared.large.height}, {"alt", alt}}, 201);
}

Result<std::pair<PhotoInfo, PostCtx>> load_photo(Ctx& ctx) {
  CHIDOAN_TRY(info, store_of(ctx).photo_info(ctx.req.param_int("phid")));
  CHIDOAN_TRY(c, load_post(ctx, info.post_id));
  return std::pair{info, c};
}

Response update_photo(Ctx& ctx) {
  CHIDOAN_CHECK(pc, load_photo(ctx));
  auto& [info, c] = pc;
  if (!rules::may_edit(c.post.state, c.who()))
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bài ở trạng thái này không sửa ảnh được", "alt"});
  CHIDOAN_CHECK(raw, web::fields(ctx.req, {"alt"}));
  CHIDOAN_CHECK(alt, rules::validate_alt(raw["alt"]));
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(check_published_alt(store, c.post, alt));
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_alt(info.id, c.post.state, alt));
    return ctx.audit("photo_alt", "news_post", c.post.id, {{"photo_id", info.id}, {"alt", alt}});
  }));
  return done(ctx, post_path(c.post.id), Json{{"id", info.id}, {"alt", alt}});
}

Response remove_photo(Ctx& ctx) {
  CHIDOAN_CHECK(pc, load_photo(ctx));
  auto& [info, c] = pc;
  if (!rules::may_edit(c.post.state, c.who()))
    return web::fail_page(ctx, Error{ErrorKind::forbidden, "Bài ở trạng thái này không gỡ ảnh được", "photo"});
  Store store = store_of(ctx);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.remove_photo(info.id, c.post.state));
    return ctx.audit("remove_photo", "news_post", c.post.id, {{"photo_id", info.id}});
  }));
  return done(ctx, post_path(c.post.id), Json{{"id", info.id}, {"deleted", true}});
}

// A photo of a post the user may see (drafts included), for the editing page.
Response photo_file(Ctx& ctx) {
  CHIDOAN_CHECK(pc, load_photo(ctx));
  auto it = ctx.req.params.find("size");
  std::string size = it == ctx.req.params.end() ? std::string() : it->second;
  if (size != "large" && size != "small") return web::fail_page(ctx, Error{ErrorKind::not_found, "Không có cỡ ảnh này", "size"});
  CHIDOAN_CHECK(bytes, store_of(ctx).photo_bytes(pc.first.id, size));
  Response r;
  r.body = std::move(bytes);
  r.header("Content-Type", "image/jpeg").header("X-Content-Type-Options", "nosniff").header("Cache-Control", "private, max-age=0");
  return r;
}

// ---- Consent --------------------------------------------------------------------------------

Result<int64_t> own_member(const Ctx& ctx) {
  if (!ctx.user || !ctx.user->member_id)
    return fail(ErrorKind::forbidden, "Tài khoản của bạn chưa gắn với hồ sơ đoàn viên", "given");
  return *ctx.user->member_id;
}

Response show_consent(Ctx& ctx) {
  CHIDOAN_CHECK(member, own_member(ctx));
  CHIDOAN_CHECK(given, store_of(ctx).consented(member));
  return web::respond(ctx, "news/consent", Json{{"member_id", member}, {"given", given}}, 200, ctx.t("news.consent.title"));
}

Response set_consent(Ctx& ctx) {
  CHIDOAN_CHECK(member, own_member(ctx));
  CHIDOAN_CHECK(raw, web::fields(ctx.req, {"given"}));
  if (raw["given"] != "1" && raw["given"] != "0" && raw["given"] != "true" && raw["given"] != "false")
    return web::fail_page(ctx, Error{ErrorKind::invalid, "Chọn đồng ý (1) hoặc không đồng ý (0)", "given"});
  bool given = raw["given"] == "1" || raw["given"] == "true";
  Store store = store_of(ctx);
  std::vector<int64_t> taken_down;
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_consent(member, given));
    CHIDOAN_TRY_VOID(ctx.audit(given ? "consent_given" : "consent_withdrawn", "news_consent", member));
    if (given) return {};
    // Published posts that name the member come down with the consent, in the same transaction:
    // the committee edits them and publishes again.
    CHIDOAN_TRY(naming, store.published_naming(member));
    for (int64_t id : naming) {
      CHIDOAN_TRY_VOID(store.move(id, "withdrawn", ctx.user->user_id, "Đoàn viên được nêu tên đã rút đồng ý nêu tên trong tin bài; sửa bài rồi gửi duyệt lại"));
      CHIDOAN_TRY_VOID(ctx.audit("move", "news_post", id, {{"from", "published"}, {"to", "withdrawn"}, {"reason", "consent_withdrawn"}}));
    }
    taken_down = naming;
    return {};
  }));
  return done(ctx, "/news/consent", Json{{"member_id", member}, {"given", given}, {"withdrawn_posts", taken_down}});
}

}  // namespace

void add_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/news", list_posts);
  routes.both("POST", "/orgs/{id:int}/news", create_post);
  routes.both("POST", "/orgs/{id:int}/news/draft", create_draft);
  routes.both("GET", "/news/{pid:int}", show_post);
  routes.both("POST", "/news/{pid:int}", update_post);
  routes.both("POST", "/news/{pid:int}/move", move_post);
  routes.both("POST", "/news/{pid:int}/delete", delete_post);
  routes.both("POST", "/news/{pid:int}/photos", upload_photo);
  routes.both("POST", "/news/photos/{phid:int}", update_photo);
  routes.both("POST", "/news/photos/{phid:int}/remove", remove_photo);
  routes.page("GET", "/news/photos/{phid:int}/{size}", photo_file);
  routes.both("GET", "/news/consent", show_consent);
  routes.both("POST", "/news/consent", set_consent);
}

}  // namespace chidoan::news
