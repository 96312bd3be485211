#include "app/account.hpp"

#include <algorithm>

#include "org/store.hpp"
#include "org/views.hpp"
#include "platform/auth/rules.hpp"
#include "platform/auth/store.hpp"
#include "platform/text/text.hpp"

namespace chidoan::app {
namespace {

using http::Response;
using web::Ctx;
using web::Json;

constexpr const char* kLoginCsrfCookie = "chidoan_login_csrf";

http::Cookie to_cookie(const auth::CookieSpec& c) {
  http::Cookie out;
  out.name = c.name;
  out.value = c.value;
  out.path = c.path;
  out.max_age = c.max_age;
  out.http_only = c.http_only;
  out.secure = c.secure;
  out.same_site = c.same_site;
  return out;
}

// Only same-site relative paths: "/orgs/3", never "//evil" or "https://…". No control character
// either (browsers drop tabs and line breaks inside a URL, so "/\t/evil" goes to "//evil", and a
// line break would end the Location header and start one of the sender's) and no backslash
// (browsers read it as a slash).
std::string safe_next(const std::string& next) {
  bool plain = std::ranges::none_of(next, [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == '\\';
  });
  if (!plain || next.empty() || next[0] != '/' || next.starts_with("//") || next.starts_with("/login")) return "/";
  return next;
}

Response login_page(Ctx& ctx, const Json& extra, int status) {
  if (ctx.user && status == 200) return Response::redirect("/");
  std::string token = auth::random_token();
  Json v = extra;
  v["login_csrf"] = token;
  v["next"] = safe_next(ctx.req.query_param("next"));
  if (extra.contains("next")) v["next"] = extra["next"];
  Json page = web::page_view(ctx, v, ctx.t("login.title"));
  page.erase("nav");
  page["content"] = ctx.services.renderer->render("account/login", page, ctx.lang);
  Response r = Response::html(status, ctx.services.renderer->render("layout/page", page, ctx.lang));
  http::Cookie c;
  c.name = kLoginCsrfCookie;
  c.value = token;
  c.path = "/login";
  c.max_age = 3600;
  c.secure = ctx.req.is_secure();
  r.set_cookie(c);
  return r;
}

Response get_login(Ctx& ctx) { return login_page(ctx, Json::object(), 200); }

Response post_login(Ctx& ctx) {
  auto form = ctx.req.form();
  if (!form) return login_page(ctx, {{"error", form.error().message}}, 400);
  std::string next = safe_next(form->get("next"));
  auto cookie = ctx.req.cookie(kLoginCsrfCookie);
  if (!cookie || !auth::csrf_equal(*cookie, form->get("_csrf")))
    return login_page(ctx, {{"error", "Phiên đăng nhập đã hết hạn, vui lòng thử lại"}, {"next", next}}, 403);
  auth::AuthStore store(ctx.db(), *ctx.services.clock, ctx.services.auth);
  auto result = store.login(form->get("username"), form->get("password"), ctx.req.remote_addr, ctx.req.request_id);
  if (!result) {
    return login_page(ctx, {{"error", result.error().message}, {"username", form->get("username")}, {"next", next}},
                      http::status_for(result.error().kind));
  }
  Response r = Response::redirect(next);
  r.set_cookie(to_cookie(auth::session_cookie(result->session_token, ctx.req.is_secure(), ctx.services.auth)));
  return r;
}

Response post_logout(Ctx& ctx) {
  auth::AuthStore store(ctx.db(), *ctx.services.clock, ctx.services.auth);
  if (auto token = ctx.req.cookie(std::string(auth::kSessionCookie)))
    (void)store.logout(*token, ctx.req.request_id, ctx.req.remote_addr);
  Response r = Response::redirect("/login");
  r.set_cookie(to_cookie(auth::expired_session_cookie(ctx.req.is_secure())));
  return r;
}

Response post_logout_all(Ctx& ctx) {
  auth::AuthStore store(ctx.db(), *ctx.services.clock, ctx.services.auth);
  auto n = store.logout_everywhere(ctx.user->user_id, auth::Actor::of(*ctx.user, ctx.req.request_id, ctx.req.remote_addr));
  if (!n) return web::fail_page(ctx, n.error());
  if (ctx.req.wants_json()) return Response::json(200, Json{{"sessions_ended", *n}}.dump());
  Response r = Response::redirect("/login");
  r.set_cookie(to_cookie(auth::expired_session_cookie(ctx.req.is_secure())));
  return r;
}

Response home(Ctx& ctx) {
  org::Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(o, store.org(ctx.user->org_id));
  std::string today = to_iso(ctx.today());
  Json v{{"org", org::to_json(o)}, {"today_vn", text::format_date(today)}};
  // A count that cannot be read is an error page, not a 0 that looks like an empty roll.
  CHIDOAN_CHECK(count, store.member_count(o, today));
  v["member_count"] = count;
  v["member_count_vn"] = text::format_int(count);
  CHIDOAN_CHECK(children, store.children(o.id));
  Json kids = Json::array();
  for (const auto& c : children) {
    if (!c.active()) continue;
    Json k = org::to_json(c);
    CHIDOAN_CHECK(n, store.member_count(c, today));
    k["member_count_vn"] = text::format_int(n);
    kids.push_back(k);
  }
  v["children"] = kids;
  if (ctx.user->member_id) v["own_member_id"] = *ctx.user->member_id;
  v["is_branch"] = o.holds_members;
  return web::respond(ctx, "account/home", v, 200, ctx.t("home.title"));
}

Response me(Ctx& ctx) {
  const auto& u = *ctx.user;
  return Response::json(200, Json{{"user_id", u.user_id}, {"username", u.username}, {"role", std::string(auth::role_name(u.role))},
                                  {"org_id", u.org_id}, {"member_id", u.member_id ? Json(*u.member_id) : Json(nullptr)},
                                  {"lang", ctx.lang}}
                                 .dump());
}

Response set_lang(Ctx& ctx) {
  std::string lang = ctx.req.params["code"];
  if (lang != "vi" && lang != "en") return web::fail_page(ctx, Error{ErrorKind::not_found, "Không hỗ trợ ngôn ngữ này", "lang"});
  std::string back = "/";
  std::string ref = ctx.req.header("referer");
  auto host = ctx.req.header("host");
  // Go back to the page the switch was pressed on, if it was ours.
  for (const char* scheme : {"http://", "https://"}) {
    std::string prefix = std::string(scheme) + host;
    if (!host.empty() && ref.starts_with(prefix)) back = safe_next(ref.substr(prefix.size()));
  }
  Response r = Response::redirect(back);
  http::Cookie c;
  c.name = "lang";
  c.value = lang;
  c.max_age = 365LL * 24 * 3600;  // HttpOnly like every cookie of the site: no script reads it
  c.secure = ctx.req.is_secure();
  r.set_cookie(c);
  return r;
}

}  // namespace

void add_account_routes(http::Router& r, const web::Services& s, const http::Metrics& metrics) {
  using web::Access;
  r.add("GET", "/login", web::route(s, get_login, Access::public_page));
  r.add("POST", "/login", web::route(s, post_login, Access::public_page));
  r.add("POST", "/logout", web::route(s, post_logout));
  r.add("POST", "/logout-all", web::route(s, post_logout_all));
  r.add("POST", "/api/v1/logout-all", web::route(s, post_logout_all));
  r.add("GET", "/", web::route(s, home));
  r.add("GET", "/api/v1/me", web::route(s, me));
  r.add("GET", "/lang/{code}", web::route(s, set_lang, Access::public_page));
  r.add("GET", "/healthz", [](http::Request&) { return Response::json(200, R"({"status":"ok"})"); });
  // Prometheus scrapes from the machine itself; anyone else needs an administrator.
  r.add("GET", "/metrics", web::route(s, [&metrics](Ctx& ctx) {
          bool local = ctx.req.remote_addr == "127.0.0.1" || ctx.req.remote_addr == "::1";
          bool admin = ctx.allows(auth::Action::view_metrics, {});
          if (!local && !admin) return web::fail_page(ctx, Error{ErrorKind::forbidden, "Không có quyền xem số liệu", ""});
          return Response::text(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
        }, Access::public_page));
}

}  // namespace chidoan::app
