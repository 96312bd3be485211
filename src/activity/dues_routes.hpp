// HTTP handlers of dues (đoàn phí): the dues book and its /api/v1 twins.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::activity {

// REQUIRES: `services` outlives the router.
void add_dues_routes(http::Router& router, const web::Services& services);

}  // namespace chidoan::activity
