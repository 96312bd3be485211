// HTTP handlers of the fund module: campaigns, the ledger, receipts, outflows, and the produce
// drive (add_produce_routes).
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::fund {

// REQUIRES: `services` outlives the router.
void add_routes(http::Router& router, const web::Services& services);

}  // namespace chidoan::fund
