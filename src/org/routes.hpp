// HTTP handlers of the org module: pages and their /api/v1 twins.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::org {

// REQUIRES: `services` outlives the router.
void add_routes(http::Router& router, const web::Services& services);

}  // namespace chidoan::org
