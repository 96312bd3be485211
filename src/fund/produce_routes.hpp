// HTTP handlers of the produce drive: cycles, suppliers and products, the member order form,
// the close, the supplier sheet and the pickup checklist, with their /api/v1 twins
// (docs/produce.md lists the routes and the action each needs).
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::fund {

// REQUIRES: `services` outlives the router.
void add_produce_routes(http::Router& router, const web::Services& services);

}  // namespace chidoan::fund
