#include "app/server.hpp"

#include "app/account.hpp"
#include "blood/bundle.hpp"
#include "blood/routes.hpp"
#include "desk/assist_bundle.hpp"
#include "desk/assist_routes.hpp"
#include "desk/bundle.hpp"
#include "desk/store.hpp"
#include "desk/kpi_bundle.hpp"
#include "desk/kpi_routes.hpp"
#include "desk/routes.hpp"
#include "activity/bundle.hpp"
#include "activity/dues_bundle.hpp"
#include "activity/routes.hpp"
#include "fund/bundle.hpp"
#include "fund/produce_bundle.hpp"
#include "fund/produce_routes.hpp"
#include "fund/routes.hpp"
#include "ideas/bundle.hpp"
#include "ideas/routes.hpp"
#include "ideas/talk_routes.hpp"
#include "news/bundle.hpp"
#include "news/routes.hpp"
#include "review/awards_bundle.hpp"
#include "review/classification_bundle.hpp"
#include "review/rating_bundle.hpp"
#include "review/routes.hpp"
#include "org/routes.hpp"
#include "scan/papers_routes.hpp"

namespace chidoan::app {

App::App(db::Pool& pool, const Clock& clock, auth::AuthConfig auth) {
  services.pool = &pool;
  services.clock = &clock;
  services.renderer = &renderer;
  services.auth = auth;
  services.member_moved = [](db::Connection& conn, const Clock& c, int64_t member, std::optional<int64_t>) -> Result<void> {
    CHIDOAN_TRY_VOID(desk::Store(conn, c).release_member(member));
    return {};
  };
  services.nav = {{"nav.home", "/"}, {"nav.orgs", "/orgs"}, {"nav.activities", "/orgs/{org}/activities"},
                  {"nav.fund", "/orgs/{org}/campaigns"}, {"nav.blood", "/orgs/{org}/blood"}, {"nav.desk", "/orgs/{org}/desk"}, {"nav.ideas", "/orgs/{org}/ideas"},
                  {"nav.news", "/orgs/{org}/news"}, {"nav.report", "/orgs/{org}/report"}};
  add_account_routes(router, services, metrics);
  org::add_routes(router, services);
  activity::add_routes(router, services);
  fund::add_routes(router, services);
  fund::add_produce_routes(router, services);
  blood::add_routes(router, services);
  desk::add_routes(router, services);
  desk::add_kpi_routes(router, services);
  desk::add_assist_routes(router, services);
  scan::add_paper_routes(router, services);
  ideas::add_routes(router, services);
  ideas::add_talk_routes(router, services);
  news::add_routes(router, services);
  news::add_public_routes(router, services);
  review::add_routes(router, services);
  router.add_static("/static/", "static/");
}

std::vector<bundle::Section> bundle_sections() { return {activity::bundle_section(), activity::dues_bundle_section(), fund::bundle_section(), fund::produce_bundle_section(), blood::bundle_section(),
                                                          desk::bundle_section(), desk::kpi_bundle_section(),
                                                          desk::assist_bundle_section(), ideas::bundle_section(),
                                                          news::bundle_section(), review::awards_bundle_section(),
                                                          review::classification_bundle_section(), review::rating_bundle_section()}; }

http::Limits default_limits() {
  http::Limits l;
  l.upload_prefixes = {"/orgs/", "/api/v1/orgs/", "/desk/", "/api/v1/desk/", "/ideas/", "/api/v1/ideas/", "/news/", "/api/v1/news/"};
  return l;
}

}  // namespace chidoan::app
