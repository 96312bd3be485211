// SQL of an idea's discussion and its moderation (tables idea_comments, idea_reports of
// migrations/0013_ideas_talk.sql; ideas.hidden of 0012). Writes run inside the caller's
// transaction (web::Ctx::write), with the audit entry beside them.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ideas/talk_rules.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::ideas {

// What the discussion needs to know of an idea and its forum.
struct TalkIdea {
  int64_t id = 0;
  std::string title;
  std::string state;
  bool hidden = false;
  bool sent = false;  // submitted once: before that only its authors see it
  int64_t forum_id = 0;
  std::string forum_title;
  int64_t org_id = 0;  // the forum's org
};

// A report as the moderation queue shows it.
struct Report {
  int64_t id = 0;
  std::string reporter;  // display name
  std::string reason;
  int64_t created_at = 0;
};

// An idea or a comment with pending reports, or hidden: one line of the moderation queue.
struct QueueItem {
  std::string target;  // idea | comment
  int64_t target_id = 0;
  int64_t idea_id = 0;
  std::string idea_title;
  int64_t forum_id = 0;
  std::string forum_title;
  std::string text;    // the idea's title or the comment's body
  std::string author;  // of a comment
  bool hidden = false;
  std::vector<Report> pending;
};

// An idea of a forum, for the similar-title suggestions.
struct TitleRow {
  int64_t id = 0;
  std::string title;
  std::string title_key;
  std::string state;
};

class TalkStore {
 public:
  TalkStore(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  Result<TalkIdea> idea(int64_t idea_id);
  // Comments of both threads, oldest first; hidden ones too (the view decides what to show).
  Result<std::vector<talk_rules::Comment>> comments(int64_t idea_id);
  Result<talk_rules::Comment> comment(int64_t comment_id);
  // REQUIRES: talk_rules::may_post allowed it.
  Result<int64_t> add_comment(int64_t idea_id, const std::string& thread, const talk_rules::CommentInput& in, int64_t user_id,
                              std::optional<int64_t> member_id, const std::string& author_name);

  // A report by a user; their second report on the same target: ErrorKind::conflict.
  // Returns the target's pending reports after this one.
  Result<int64_t> report(const std::string& target, int64_t target_id, int64_t idea_id, int64_t user_id,
                         std::optional<int64_t> member_id, const std::string& reason);
  Result<bool> reported_by(const std::string& target, int64_t target_id, int64_t user_id);
  // The comments of an idea this user reported.
  Result<std::set<int64_t>> reported_comments(int64_t idea_id, int64_t user_id);
  Result<void> set_hidden(const std::string& target, int64_t target_id, bool hidden);
  // Closes the pending reports of a target ("hidden" or "restored"); returns how many.
  Result<int64_t> resolve(const std::string& target, int64_t target_id, const std::string& resolution, int64_t user_id);

  // The queue of the forums of an org's subtree: hidden items and items with pending reports,
  // ideas first, newest report first.
  Result<std::vector<QueueItem>> queue(int64_t org_id);

  // The ideas of a forum one may be shown as similar: sent (not drafts) and not hidden.
  Result<std::vector<TitleRow>> titles(int64_t forum_id);

 private:
  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::ideas
