// The awards register's pages (docs/review.md "Awards"): the awards of an organisation's subtree,
// and recording or removing one. Who: view_members on the org to see (awards name members);
// manage_awards on the register's org to record or remove.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::review {

void add_award_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::review
