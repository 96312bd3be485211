// The public side of news: no sign-in, nothing personal (views.hpp says what is shown), every
// page rendered once per epoch and served from memory until the next change (store.hpp).
#include <algorithm>
#include <functional>
#include <vector>

#include "news/draft.hpp"
#include "news/routes.hpp"
#include "news/rules.hpp"
#include "news/store.hpp"
#include "news/views.hpp"
#include "org/store.hpp"
#include "platform/markdown/markdown.hpp"
#include "platform/web/cache.hpp"

namespace chidoan::news {
namespace {

using http::Response;
using web::Ctx;
using web::Json;

constexpr int64_t kPerPage = 10;
constexpr int64_t kFeedEntries = 20;

// Public pages are kept rendered for a minute at most (platform/web/cache.hpp), tagged with the
// news epoch: news changes show at once, and what the epoch does not track (an org renamed, a
// linked activity's title) within the minute.
constexpr int64_t kMaxAge = 60;                   // seconds
constexpr size_t kMaxBytes = 32 * 1024 * 1024;

Store public_store(Ctx& ctx) { return Store(ctx.db(), *ctx.services.clock); }

using Render = std::function<Response(Ctx&, const std::string& base)>;

// Serves `render`'s answer from the cache while the epoch stands. The epoch is read before the
// data, so a page is never kept under an epoch newer than what it shows. The key is the page
// (path and page number: other query parameters do not make new entries), the language, the
// origin and JSON or HTML.
Response cached(Ctx& ctx, web::ResponseCache& cache, const Render& render) {
  CHIDOAN_CHECK(epoch, public_store(ctx).epoch());
  CHIDOAN_CHECK(page, web::int_param(ctx.req, "page", 1, 1, 100000));
  std::string base = web::site_origin(ctx.services, ctx.req);
  std::string key = ctx.req.path + '\n' + std::to_string(page) + '\n' + ctx.lang + '\n' + base + '\n' + (ctx.req.wants_json() ? "j" : "h");
  return cache.serve(ctx.req, key, std::to_string(epoch), ctx.services.clock->unix_seconds(), "no-cache",
                     [&] { return render(ctx, base); });
}

// A whole public page: `tmpl` inside news/public_layout, with the share card's tags.
Response public_page(Ctx& ctx, std::string_view tmpl, Json v, const Json& og) {
  if (ctx.req.wants_json()) return Response::json(200, v.dump());
  const auto& r = *ctx.services.renderer;
  v["lang"] = ctx.lang;
  v["lang_" + ctx.lang] = true;
  v["og"] = og;
  v["content"] = r.render(tmpl, v, ctx.lang);
  return Response::html(200, r.render("news/public_layout", v, ctx.lang));
}

// The first photo of each post, for lists and cards.
Result<Json> with_images(Store& store, const std::vector<Post>& posts, const std::string& base) {
  Json items = Json::array();
  for (const auto& p : posts) {
    Json item = public_item_json(p, base);
    if (p.first_photo_id) {
      CHIDOAN_TRY(ph, store.photo_info(*p.first_photo_id));
      item["image"] = {{"url", base + public_photo_path(ph.id, "large")},
                       {"small_url", base + public_photo_path(ph.id, "small")},
                       {"width", ph.width},
                       {"height", ph.height},
                       {"small_width", ph.small_width},
                       {"small_height", ph.small_height},
                       {"alt", ph.alt}};
    }
    items.push_back(item);
  }
  return items;
}

Json default_image(const std::string& base) {
  return {{"url", base + "/static/share-card.png"}, {"width", 1200}, {"height", 630}, {"alt", "Đoàn TNCS Hồ Chí Minh"}};
}

// GET /public/orgs/{id}/news?page=N: the org's published posts and its subtree's.
Response org_page(Ctx& ctx, const std::string& base) {
  CHIDOAN_CHECK(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  CHIDOAN_CHECK(page, web::int_param(ctx.req, "page", 1, 1, 100000));
  Store store = public_store(ctx);
  CHIDOAN_CHECK(total, store.published_count(o.id));
  CHIDOAN_CHECK(posts, store.published(o.id, kPerPage, (page - 1) * kPerPage));
  CHIDOAN_CHECK(items, with_images(store, posts, base));
  int64_t pages = std::max<int64_t>(1, (total + kPerPage - 1) / kPerPage);
  std::string self = public_org_path(o.id);
  Json v{{"org", {{"id", o.id}, {"name", o.name}}},
         {"items", items},
         {"total", total},
         {"page", page},
         {"pages", pages},
         {"many_pages", pages > 1},
         {"prev", page > 1 ? Json(self + "?page=" + std::to_string(page - 1)) : Json(nullptr)},
         {"next", page < pages ? Json(self + "?page=" + std::to_string(page + 1)) : Json(nullptr)},
         {"feed_url", base + self + ".atom"},
         {"url", base + self}};
  std::string description = "Tin hoạt động của " + o.name + ": phong trào, tình nguyện, học tập và đóng góp của đoàn viên.";
  Json og{{"type", "website"},
          {"title", "Tin tức – " + o.name},
          {"description", description},
          {"url", base + self + (page > 1 ? "?page=" + std::to_string(page) : "")},
          {"image", items.empty() || items[0]["image"].is_null() ? default_image(base) : items[0]["image"]},
          {"feed_url", base + self + ".atom"},
          {"site_name", o.name}};
  return public_page(ctx, "news/public_org", v, og);
}

Result<std::pair<Post, org::Org>> published_post(Ctx& ctx, int64_t id) {
  CHIDOAN_TRY(p, public_store(ctx).post(id));
  if (p.state != "published") return fail(ErrorKind::not_found, "Không có bài viết này");
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(p.org_id));
  return std::pair{p, o};
}

// GET /public/news/{pid}: a published post with its share card.
Response post_page(Ctx& ctx, const std::string& base) {
  CHIDOAN_CHECK(po, published_post(ctx, ctx.req.param_int("pid")));
  auto& [p, o] = po;
  Store store = public_store(ctx);
  CHIDOAN_CHECK(photos, store.photos(p.id));
  CHIDOAN_CHECK(titles, link_titles(ctx.db(), p.links));
  Json v = public_post_json(p, photos, titles, base);
  v["org_url"] = public_org_path(o.id);
  Json og{{"type", "article"},
          {"title", p.title},
          {"description", rules::description(p)},
          {"url", base + public_post_path(p.id)},
          {"image", v["image"].is_null() ? default_image(base) : v["image"]},
          {"published_time", v["published_at"]},
          {"feed_url", base + public_org_path(o.id) + ".atom"},
          {"site_name", o.name}};
  return public_page(ctx, "news/public_post", v, og);
}

// GET /public/orgs/{id}/news.atom: the latest published posts as an Atom feed (RFC 4287).
Response feed(Ctx& ctx, const std::string& base) {
  CHIDOAN_CHECK(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  Store store = public_store(ctx);
  CHIDOAN_CHECK(posts, store.published(o.id, kFeedEntries, 0));
  Json entries = Json::array();
  int64_t latest = 0;
  for (const auto& p : posts) {
    int64_t updated = std::max(p.updated_at, p.published_at.value_or(0));
    latest = std::max(latest, updated);
    Json e = public_item_json(p, base);
    e["updated"] = rfc3339(updated);
    e["content_html"] = markdown::to_html(p.body);
    entries.push_back(e);
  }
  std::string self = public_org_path(o.id);
  Json v{{"org_name", o.name},
         {"id", base + self},
         {"self", base + self + ".atom"},
         {"alternate", base + self},
         {"updated", rfc3339(latest > 0 ? latest : ctx.services.clock->unix_seconds())},
         {"entries", entries}};
  return Response::text(200, ctx.services.renderer->render("news/feed", v), "application/atom+xml; charset=utf-8");
}

// GET /public/news/photos/{phid}/{large|small}.jpg: only photos of published posts.
Response photo_file(Ctx& ctx, std::string_view size) {
  Store store = public_store(ctx);
  CHIDOAN_CHECK(info, store.photo_info(ctx.req.param_int("phid")));
  CHIDOAN_CHECK_VOID(published_post(ctx, info.post_id));
  CHIDOAN_CHECK(bytes, store.photo_bytes(info.id, size));
  Response r;
  r.body = std::move(bytes);
  // A photo's bytes never change, but it stops being public when its post is withdrawn: browsers
  // revalidate every time (a 304 costs nothing) instead of keeping it.
  std::string etag = "\"p" + std::to_string(info.id) + "-" + std::string(size) + "\"";
  r.header("Content-Type", "image/jpeg").header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-cache").header("ETag", etag);
  if (ctx.req.header("if-none-match") == etag) {
    r.status = 304;
    r.body.clear();
  }
  return r;
}

}  // namespace

void add_public_routes(http::Router& r, const web::Services& s) {
  auto cache = std::make_shared<web::ResponseCache>(kMaxAge, kMaxBytes);
  auto via_cache = [cache](Render render) { return [cache, render](Ctx& ctx) { return cached(ctx, *cache, render); }; };
  web::Routes routes(r, s);
  routes.both("GET", "/public/orgs/{id:int}/news", via_cache(org_page), web::Access::public_page);
  routes.page("GET", "/public/orgs/{id:int}/news.atom", via_cache(feed), web::Access::public_page);
  routes.both("GET", "/public/news/{pid:int}", via_cache(post_page), web::Access::public_page);
  routes.page("GET", "/public/news/photos/{phid:int}/large.jpg", [](Ctx& ctx) { return photo_file(ctx, "large"); }, web::Access::public_page);
  routes.page("GET", "/public/news/photos/{phid:int}/small.jpg", [](Ctx& ctx) { return photo_file(ctx, "small"); }, web::Access::public_page);
}

}  // namespace chidoan::news
