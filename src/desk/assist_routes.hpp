// Pages and JSON API of the help desk's assistance log and procedure catalogue (docs/desk.md):
// the catalogue with its CSV import, the log of a month with its form, corrections, and the
// counts per volunteer, shift, procedure and month.
//
// Who may do what: a volunteer of the center (an active member of the center's org subtree)
// logs the citizens they helped and sees their own entries; coordinators (manage_desk) log for
// any volunteer, see every entry with its phone, manage the catalogue and delete entries;
// everyone with view_desk sees the counts, which never carry a phone.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::desk {

void add_assist_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::desk
