// Pages and JSON API of an idea's discussion, its moderation and the notices (docs/ideas.md
// "Discussion and mentoring", "Moderation", "Notifications", "Similar ideas").
//
// Who may do what:
// - anyone who may see an idea (view_ideas on the forum's org, a member active in its subtree, a
//   mentor of the forum, an author) comments and reports, once per item;
// - the mentors' thread: the forum's mentors write and reply, the idea's authors reply to them;
// - moderators (moderate_ideas: the committee, or the ideas_moderator grant) hide and restore
//   ideas and comments with a reason, kept in the audit log, and see the queue of their org;
// - three pending reports hide an item until a moderator decides;
// - every signed-in user reads their own notices.
#pragma once

#include "ideas/model.hpp"
#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::ideas {

// Fills view["talk"] for the idea page (template partial ideas/talk): both threads with what
// the current user may do. REQUIRES: the caller already allowed the user to see the idea.
void add_talk(web::Ctx& ctx, const Idea& idea, const Forum& forum, web::Json& view);

void add_talk_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::ideas
