// Branch classification routes (docs/review.md "Branch classification", docs/api.md), each a page
// and its /api/v1 JSON twin:
//   GET  /orgs/{id}/classification?year=Y           the branch's score sheet (rate_members on it, or
//                                                   approve_ratings on its parent)
//   POST /orgs/{id}/classification/scores           an entered criterion's points (rate_members)
//   POST /orgs/{id}/classification/confirm          the branch confirms (rate_members)
//   POST /orgs/{id}/classification/approve|return   the level above decides (approve_ratings on
//                                                   the branch's parent: never the branch itself)
//   GET  /orgs/{id}/classifications?year=Y          the branches beneath with their sheets' states
//                                                   (approve_ratings on the org)
// Writes name the sheet's `version` and `year`; a stale version answers 409.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::review {

void add_classification_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::review
