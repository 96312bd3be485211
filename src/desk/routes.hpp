// Pages and JSON API of the help desk's roster (docs/desk.md): centers, counters, shift
// templates, roster periods, availability, sign-ups, swaps and drops, the automatic roster,
// check-in and check-out, no-shows, a member's shifts and their iCalendar feed.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::desk {

void add_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::desk
