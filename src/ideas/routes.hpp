// Pages and JSON API of the ideas forum (docs/ideas.md): an org's forums, a forum with its ideas
// and the new-idea form, an idea with its authors, attachments, supports, state changes and
// timeline, a forum's results, forums and mentors for the committee, and the public list
// GET /api/v1/orgs/{id}/ideas.
//
// Who may do what: view_ideas on the forum's org sees the forum and its ideas (drafts only by
// their authors, hidden ideas only by moderators); posting and supporting follow the forum's own
// rules (rules::may_post, rules::may_support); the idea's accepted authors edit, submit, withdraw,
// attach files and accept co-authors; the forum's mentors take ideas into mentoring; the
// committee (manage_ideas) does every move of the committee, edits forums and names mentors.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::ideas {

void add_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::ideas
