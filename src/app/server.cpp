#include "app/server.hpp"

#include "app/account.hpp"
#include "org/routes.hpp"

namespace chidoan::app {

App::App(db::Pool& pool, const Clock& clock, auth::AuthConfig auth) {
  services.pool = &pool;
  services.clock = &clock;
  services.renderer = &renderer;
  services.auth = auth;
  services.nav = {{"nav.home", "/"}, {"nav.orgs", "/orgs"}};
  add_account_routes(router, services, metrics);
  org::add_routes(router, services);
  router.add_static("/static/", "static/");
}

http::Limits default_limits() {
  http::Limits l;
  l.upload_prefixes = {"/orgs/", "/api/v1/orgs/"};
  return l;
}

}  // namespace chidoan::app
