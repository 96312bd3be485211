// Sign-in, sign-out, the home page, the language switch, health and metrics.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::app {

// REQUIRES: `services` and `metrics` outlive the router.
void add_account_routes(http::Router& router, const web::Services& services, const http::Metrics& metrics);

}  // namespace chidoan::app
