// News routes (docs/news.md, docs/api.md "News"). Signed-in: an org's posts, writing and editing,
// drafts from the data, photos, approval and withdrawal, a member's consent to be named. Public
// (no sign-in, cached until the next change): an org's news page, a post with its share card,
// the Atom feed, published photos.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::news {

void add_routes(http::Router& r, const web::Services& s);
void add_public_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::news
