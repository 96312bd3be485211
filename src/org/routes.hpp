// HTTP handlers of the org module: pages and their /api/v1 twins.
#pragma once

#include "org/model.hpp"
#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::org {

// REQUIRES: `services` outlives the router.
void add_routes(http::Router& router, const web::Services& services);

// Whether the user may `view` what `o` runs for its subtree (a blood club, a help-desk center):
// allowed on `o` itself, or from the user's own org below it, where they may `view` too (a
// member of a branch sees the club or center of a level above, which lists it to them).
Result<bool> may_view_from_within(web::Ctx& ctx, const Org& o, auth::Action view);

}  // namespace chidoan::org
