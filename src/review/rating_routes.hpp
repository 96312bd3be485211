// Routes of the annual member rating (docs/review.md#member-rating), each a page and its /api/v1
// twin:
//   GET  /orgs/{id}/ratings?year=YYYY            the branch's sheet (view_members)
//   POST /orgs/{id}/ratings/{mid}                the committee's entry for a member (rate_members)
//   POST /orgs/{id}/ratings/{mid}/confirm        the branch confirms a member's rating (rate_members)
//   POST /orgs/{id}/ratings/{mid}/decide         the level above approves or returns (approve_ratings
//                                                on the branch's parent)
//   POST /orgs/{id}/ratings/confirm | /approve   the whole sheet at once
//   GET  /rating/guidelines                      the guidelines and thresholds (signed in)
//   POST /rating/guidelines/{gid}                correct a guideline's code, title, note (system admin)
// Every write names the version it read ("version", or "sheet_version" for the whole sheet).
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::review {

void add_rating_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::review
