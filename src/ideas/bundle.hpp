// The "ideas" section of the bundle (docs/bundle.md#ideas): the idea forums of the orgs, with
// their mentors, ideas, authors, timelines and supports. Attachments are not exported.
//
//   "ideas": {"forums": [{
//     "org": "VPUBND", "title": "…", "description": "…", "kind": "event", "held_on": "2021-11-02",
//     "opens_on": "2021-11-02", "closes_on": "2021-12-31", "post_scope": "members",
//     "support_scope": "members", "support_threshold": 10, "self_support": false,
//     "activity": {"title": "…", "starts_at": "2021-11-02T08:00"} | null,
//     "mentors": [{"user": "sangpv", "title": "…"}],
//     "ideas": [{"title": "…", "problem": "…", "proposal": "…", "benefit": "…",
//                "state": "implemented", "answer": "…", "outcome": "…", "implemented_on": "2021-12-20",
//                "hidden": false,
//                "authors": [{"member": "M0013", "role": "author", "status": "accepted",
//                             "requested_at": "2021-11-02T09:10:00", "accepted_at": "2021-11-02T09:10:00"}],
//                "events": [{"at": "2021-11-02T09:10:00", "from": null, "to": "draft", "by": null, "note": ""}],
//                "supports": [{"member": "M0001", "at": "2021-11-05T10:00:00"}]}]}]}
//
// Bundles carry no users: a mentor or an event's "by" names a user of the target database; an
// unknown mentor is left out and an unknown "by" is null. Members are the bundle's member refs;
// an author or support of a member outside a dumped subtree is left out (an idea whose author is
// outside, too). Times are Vietnam's local time with seconds. An idea's created, updated and
// submitted times are those of its first, last and first "submitted" events.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::ideas {

chidoan::bundle::Section bundle_section();

}  // namespace chidoan::ideas
