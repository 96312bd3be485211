// Pages and JSON API of the blood-donation club (docs/blood.md): clubs and their coordinators,
// the roster, donor pages, emergency requests with the ranked list and the call log.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::blood {

void add_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::blood
