// The "news" section of the bundle (docs/bundle.md#news): the posts of the orgs with their photos,
// and the members who consented to be named in news.
//
//   "news": {"consents": [{"member": "M0013", "given_at": "2021-10-01T08:00:00"}],
//            "posts": [{"org": "VPUBND", "title": "…", "summary": "…", "body": "…",
//                       "state": "published", "author_member": "M0013" | null,
//                       "activity": {"title": "…", "starts_at": "2021-11-02T08:00"} | null,
//                       "campaign": {"name": "…", "starts_on": "2021-06-15"} | null,
//                       "forum": {"title": "…", "opens_on": "2021-11-02"} | null,
//                       "produce_cycle": {"title": "…", "opens_at": "2021-05-17T08:00"} | null,
//                       "created_at": "…", "updated_at": "…", "submitted_at": "…" | null,
//                       "published_at": "…" | null, "withdrawn_at": "…" | null, "note": "",
//                       "photos": [{"alt": "…", "width": 1200, "height": 800, "large": "<base64 JPEG>",
//                                   "small_width": 480, "small_height": 320, "small": "<base64 JPEG>"}]}]}
//
// Bundles carry no users: a loaded post has no author account (its byline is its author member's
// name with their consent, else the org's). Times are Vietnam's local time with seconds. A link
// names its target by natural key; it must be in the bundle's data or the database.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::news {

chidoan::bundle::Section bundle_section();

}  // namespace chidoan::news
