// HTTP handlers of the activity module: pages and their /api/v1 twins.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::activity {

// Activities, sign-ups, attendance, hours, study campaigns, meetings, participation, a member's
// history and calendar feed, and dues (add_dues_routes). REQUIRES: `services` outlives the router.
void add_routes(http::Router& router, const web::Services& services);

}  // namespace chidoan::activity
