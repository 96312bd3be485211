#include "review/route_support.hpp"

namespace chidoan::review {

ReviewActor actor_of(const web::Ctx& ctx) {
  return {auth::Actor::of(*ctx.user, ctx.req.request_id, ctx.req.remote_addr),
          ctx.user->display_name.empty() ? ctx.user->username : ctx.user->display_name};
}

int64_t current_year(const web::Ctx& ctx) { return static_cast<int>(ctx.today().year()); }

web::Json year_options(const web::Ctx& ctx, int64_t selected) {
  const int64_t now = current_year(ctx);
  web::Json years = web::Json::array();
  for (int64_t y = now; y >= now - 5; --y) years.push_back({{"year", y}, {"selected", y == selected}});
  return years;
}

}  // namespace chidoan::review
