// The path of one request, shared by every module:
//   session or token -> CSRF -> handler(Ctx) -> policy -> parse -> rules -> store -> view -> render.
// A handler builds one JSON view-model; respond() returns it as the API's JSON or renders it
// through a template inside the page layout (or alone, as an htmx fragment).
//
// Thread-safety: Services is shared and read-only after start; a Ctx lives for one request on
// one worker thread and holds at most one pooled connection.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "platform/auth/model.hpp"
#include "platform/auth/policy.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/core/fields.hpp"
#include "platform/db/db.hpp"
#include "platform/http/http.hpp"
#include "platform/render/render.hpp"

namespace chidoan::web {

using Json = nlohmann::json;

// One navigation entry: shown only when the module is wired in.
struct NavItem {
  std::string key;   // translation key, e.g. "nav.orgs"
  std::string href;  // "{org}" is replaced by the id of the root of the user's scope
};

struct Services {
  db::Pool* pool = nullptr;
  const Clock* clock = nullptr;
  const render::Renderer* renderer = nullptr;
  auth::AuthConfig auth;
  std::vector<NavItem> nav;
  // The site's origin for links that leave it (share cards, feeds), e.g.
  // "https://tin.doanthanhnien.vn" (`chidoan serve --public-url`); empty: from the request.
  std::string public_url;
  // Called in the transaction of each move of a member out of a branch (org::Store): into
  // `to_branch` (a transfer, a split, a merge, their branch moved to another parent) or off the
  // roll (empty). The application sets it
  // to what the other modules release (the help desk's future shifts).
  std::function<Result<void>(db::Connection&, const Clock&, int64_t member_id, std::optional<int64_t> to_branch)> member_moved;
};

// The origin absolute links start with: Services::public_url, else the request's scheme and Host
// (a Host with anything but letters, digits, '.', '-', ':' and brackets gives "localhost").
std::string site_origin(const Services& s, const http::Request& req);

class Ctx {
 public:
  Ctx(const Services& s, http::Request& r) : services(s), req(r) {}
  const Services& services;
  http::Request& req;
  std::optional<auth::Principal> user;
  std::string lang = "vi";

  db::Connection& db();
  Date today() const { return chidoan::today(*services.clock); }
  std::string t(std::string_view key) const { return services.renderer->t(lang, key); }

  // Whether a user is signed in and the policy allows them the action in this scope (what a
  // page shows: a button, a link, a column).
  bool allows(auth::Action action, const auth::Scope& scope) const { return user && auth::allowed(*user, action, scope); }
  // Refuses with ErrorKind::forbidden unless allows(action, scope).
  Result<void> authorize(auth::Action action, const auth::Scope& scope) const;
  // Records an audit entry for this user and request (call inside the write's transaction).
  Result<void> audit(std::string_view action, std::string_view entity, std::optional<int64_t> entity_id,
                     const Json& detail = Json::object());
  // Runs fn in one transaction; fn should call audit() for the change it makes.
  Result<void> write(const std::function<Result<void>()>& fn) { return db().transaction(fn); }

 private:
  std::optional<db::Pool::Lease> lease_;
};

using Handler = std::function<http::Response(Ctx&)>;

enum class Access { public_page, signed_in };

// Wraps a handler: resolves the user (bearer token or session cookie), checks the CSRF token
// on unsafe methods of cookie sessions, refuses anonymous access to signed-in routes (401 for
// the API, redirect to /login for pages), and turns a thrown exception into a 500.
http::Handler route(const Services& s, Handler h, Access access = Access::signed_in);

// Registers a module's routes: page() alone, both() as a page and its /api/v1 twin.
// REQUIRES: the router and services outlive the registrar's routes.
class Routes {
 public:
  Routes(http::Router& router, const Services& services) : router_(router), services_(services) {}
  void both(const std::string& method, const std::string& path, Handler h, Access access = Access::signed_in) {
    router_.add(method, path, route(services_, h, access));
    router_.add(method, "/api/v1" + path, route(services_, h, access));
  }
  // A GET whose time grows with the org's size (a nation's roll-up takes half a minute): always
  // on the worker pool, never inline on an I/O thread (http::Lane).
  void slow(const std::string& path, Handler h) {
    router_.add("GET", path, route(services_, h), http::Lane::pool);
    router_.add("GET", "/api/v1" + path, route(services_, h), http::Lane::pool);
  }
  void page(const std::string& method, const std::string& path, Handler h, Access access = Access::signed_in) {
    router_.add(method, path, route(services_, h, access));
  }
  void api(const std::string& method, const std::string& path, Handler h) { router_.add(method, "/api/v1" + path, route(services_, h)); }
  http::Router& router() { return router_; }

 private:
  http::Router& router_;
  const Services& services_;
};

// Returns `view` as JSON for the API, an htmx fragment (the template alone) for htmx
// requests, or a whole page (template inside templates/layout/page).
http::Response respond(Ctx& ctx, std::string_view tmpl, Json view, int status = 200,
                       std::string_view title = {});
// The answer to a write: `body` as JSON (with `status`) for the API, a redirect to `back` for a
// browser's form.
http::Response done(Ctx& ctx, const std::string& back, const Json& body = Json::object(), int status = 200);
// The error as JSON, an htmx fragment, or a page.
http::Response fail_page(Ctx& ctx, const Error& err);
// Adds what every page needs: the user (me), the CSRF token, navigation. The translations (t)
// come from rendering with the language (Renderer::render(name, view, lang)).
Json page_view(Ctx& ctx, Json view, std::string_view title);

// Parses a JSON request body; malformed -> invalid with field "body".
Result<Json> json_body(const http::Request& req);
// Reads a positive integer query parameter within [lo, hi], or `fallback` when absent.
Result<int64_t> int_param(const http::Request& req, std::string_view name, int64_t fallback, int64_t lo, int64_t hi);

// Named string fields from a form or a JSON object body. JSON: unknown fields are errors;
// integers become decimal text; arrays are joined with commas. Forms: repeated fields likewise.
Result<RawFields> fields(const http::Request& req, std::initializer_list<const char*> names);
// A positive id in `f[name]`, or none when empty; anything else is an error naming the field.
Result<std::optional<int64_t>> optional_id(const RawFields& f, const std::string& name);
// Comma-separated positive ids.
Result<std::vector<int64_t>> id_list(const std::string& joined, const std::string& field);

// In a handler with a `Ctx& ctx`: the value of a Result, or return its error as the response.
#define CHIDOAN_CHECK(var, expr)                                 \
  auto var##_r_ = (expr);                                        \
  if (!var##_r_) return ::chidoan::web::fail_page(ctx, var##_r_.error()); \
  auto& var = *var##_r_
#define CHIDOAN_CHECK_VOID(expr)                                 \
  do {                                                           \
    auto check_r_ = (expr);                                      \
    if (!check_r_) return ::chidoan::web::fail_page(ctx, check_r_.error()); \
  } while (0)

// Standard base64 (with padding), for carrying an upload from the preview to the commit step.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace chidoan::web
