// The young creative ideas forum (diễn đàn ý tưởng sáng tạo trẻ): plain types.
// Instants are unix seconds, dates "YYYY-MM-DD" in Vietnam's time (UTC+7). Enumerations keep the
// strings they are stored with (migrations/0012_ideas.sql, 0013_ideas_talk.sql).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chidoan::ideas {

// An idea's states and the moves between them (rules.hpp has the table):
//   draft -> submitted -> mentoring -> accepted | rejected -> implemented (from accepted)
//   withdrawn by an author from draft, submitted or mentoring; archived from rejected,
//   implemented or withdrawn.
inline constexpr const char* kStates[] = {"draft",    "submitted",   "mentoring", "accepted",
                                          "rejected", "implemented", "withdrawn", "archived"};

// A forum of an organisation: an event (held_on) or standing; open from opens_on to closes_on.
struct Forum {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  std::string title;
  std::string description;
  std::string kind = "event";          // event | standing
  std::optional<std::string> held_on;  // events
  std::string opens_on;
  std::optional<std::string> closes_on;
  std::string post_scope = "members";     // members | committee
  std::string support_scope = "members";  // members | committee
  int64_t support_threshold = 0;          // 0: none
  bool self_support = false;
  std::optional<int64_t> activity_id;
  int64_t created_at = 0;
};

struct Mentor {
  int64_t forum_id = 0;
  int64_t user_id = 0;
  std::string display_name;
  std::string title;  // who they are
};

struct Author {
  int64_t member_id = 0;
  std::string name;              // full name
  std::string role = "author";   // author | coauthor
  std::string status = "accepted";  // requested | accepted
  int64_t requested_at = 0;
  std::optional<int64_t> accepted_at;
};

struct Idea {
  int64_t id = 0;
  int64_t forum_id = 0;
  std::string title;
  std::string problem, proposal, benefit;
  std::string state = "draft";
  std::string answer;                         // to accepted / rejected
  std::string outcome;                        // of implemented
  std::optional<std::string> implemented_on;  // date
  bool hidden = false;                        // by moderation
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> submitted_at;
  int64_t supports = 0;                       // count of idea_supports
  std::vector<Author> authors;                // accepted and requested
};

// One dated change of state, for the timeline.
struct Event {
  int64_t id = 0;
  int64_t idea_id = 0;
  int64_t at = 0;
  std::optional<std::string> from_state;
  std::string to_state;
  std::optional<int64_t> user_id;
  std::string user_name;
  std::string note;  // the answer or the outcome
};

struct Attachment {
  int64_t id = 0;
  int64_t idea_id = 0;
  std::string file_name;
  std::string mime;
  int64_t size = 0;
  std::optional<int64_t> member_id;
  int64_t created_at = 0;
};

}  // namespace chidoan::ideas
