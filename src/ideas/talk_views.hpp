// JSON shapes of an idea's discussion, the moderation queue and the notices: the API returns
// them as they are and the templates ideas/talk, ideas/moderation and ideas/notices render them.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ideas/notices.hpp"
#include "ideas/talk_rules.hpp"
#include "ideas/talk_store.hpp"
#include "platform/web/web.hpp"

namespace chidoan::ideas {

// What the current user may do in an idea's discussion.
struct TalkRights {
  talk_rules::Writer writer;
  bool moderator = false;  // moderate_ideas on the forum's org
  int64_t user_id = 0;
  bool signed_in = false;
};

// "26/11/2026 14:05" (Vietnam time).
std::string when_vn(int64_t unix_seconds);

// The talk of one idea: the mentors' thread and the comments, top-level comments with their
// replies, each with what the user may do. A hidden comment keeps its place without its text
// for anyone but moderators. `reported`: the comments this user reported already.
web::Json talk_json(const TalkIdea& idea, const std::vector<talk_rules::Comment>& comments, const TalkRights& rights,
                    const std::set<int64_t>& reported, bool idea_reported);

web::Json queue_item_json(const QueueItem& q);
web::Json notice_json(const notices::Notice& n);

}  // namespace chidoan::ideas
