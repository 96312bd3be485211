// SQL of the ideas forum (migrations/0012_ideas.sql): forums and their mentors, ideas with their
// authors, the dated timeline of states, attachments and supports, and a forum's results.
//
// Supports are one row per (idea, member), the primary key: concurrent clicks of one member count
// once (the second INSERT is a conflict), and the count is COUNT(*) of the rows.
//
// REQUIRES: write methods run inside Connection::transaction() (the caller audits and notifies in
// the same transaction); on an error the caller's rollback undoes any part written. The
// connection and clock outlive the store; one store per request or job, not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ideas/model.hpp"
#include "ideas/rules.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::ideas {

// Which ideas a listing shows.
struct IdeaFilter {
  std::optional<int64_t> forum_id;
  std::optional<std::string> state;
  bool with_hidden = false;                  // moderators
  std::optional<int64_t> drafts_of_member;   // drafts are shown to their authors only
};

// A forum's results: counts per state (every state, zeros included), supports in all, the ideas
// by supports, and the implemented ones with their outcome.
struct Results {
  std::map<std::string, int64_t> by_state;
  int64_t ideas = 0, supports = 0, reached_threshold = 0;
  std::vector<Idea> ranked;       // not drafts, most supported first
  std::vector<Idea> implemented;  // by implemented_on
};

class Store {
 public:
  Store(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  // ---- Forums
  Result<int64_t> create_forum(int64_t org_id, const rules::ForumInput& in);
  Result<void> update_forum(int64_t id, const rules::ForumInput& in);
  Result<Forum> forum(int64_t id);
  // The forums of the org's subtree, newest opening first.
  Result<std::vector<Forum>> forums(int64_t org_id);
  // The id of an activity of `org_id` (a forum held as an activity), or invalid on "activity_id".
  Result<void> check_activity(int64_t org_id, int64_t activity_id);

  Result<std::vector<Mentor>> mentors(int64_t forum_id);
  // Names a user as mentor (again: updates the title).
  Result<void> put_mentor(int64_t forum_id, int64_t user_id, const std::string& title);
  Result<void> remove_mentor(int64_t forum_id, int64_t user_id);
  Result<bool> is_mentor(int64_t forum_id, int64_t user_id);
  // The id of the enabled user `username` whose scope covers the org (so they can see its
  // forums), or none.
  Result<std::optional<int64_t>> user_who_sees(const std::string& username, int64_t org_id);

  // Is the member active in a branch of the org's subtree?
  Result<bool> member_in(int64_t org_id, int64_t member_id);

  // ---- Ideas
  // A draft by `member_id`, its author, with the first event of its timeline.
  Result<int64_t> create_idea(int64_t forum_id, int64_t member_id, const rules::IdeaInput& in, std::optional<int64_t> user_id);
  Result<void> update_idea(int64_t id, const rules::IdeaInput& in);
  // An idea with its supports and authors (accepted and requested).
  Result<Idea> idea(int64_t id);
  Result<std::vector<Idea>> ideas(const IdeaFilter& f, std::optional<int64_t> org_id = std::nullopt);

  // Moves the idea from `from` to c.to (the caller checked the rules): state, answer, outcome,
  // implemented_on, submitted_at on the first submission, and an event. A conflict when the
  // idea is no longer in `from` (someone moved it meanwhile).
  Result<void> move(int64_t idea_id, const std::string& from, const rules::StateChange& c, std::optional<int64_t> user_id);
  Result<std::vector<Event>> events(int64_t idea_id);

  // ---- Authors
  // Is the member an accepted author (or co-author) of the idea?
  Result<bool> is_author(int64_t idea_id, int64_t member_id);
  // A member asks to join as co-author: a conflict if they are an author or asked already.
  Result<void> request_coauthor(int64_t idea_id, int64_t member_id);
  // An author accepts a request: not_found without one.
  Result<void> accept_coauthor(int64_t idea_id, int64_t member_id);

  // ---- Attachments
  Result<int64_t> add_attachment(int64_t idea_id, std::optional<int64_t> member_id, const rules::AttachmentInput& in,
                                 const std::string& bytes);
  Result<std::vector<Attachment>> attachments(int64_t idea_id);
  Result<Attachment> attachment(int64_t id);
  Result<std::string> attachment_bytes(int64_t id);
  Result<void> remove_attachment(int64_t id);

  // ---- Supports
  // One support: a conflict ("support") when the member supports the idea already.
  Result<void> support(int64_t idea_id, int64_t member_id);
  // not_found when the member had not supported it.
  Result<void> withdraw_support(int64_t idea_id, int64_t member_id);
  Result<bool> supports(int64_t idea_id, int64_t member_id);
  Result<int64_t> support_count(int64_t idea_id);

  Result<Results> results(const Forum& f);

  // ---- Low-level writers (the bundle loader): no rule checked but the database's.
  struct IdeaRecord {
    rules::IdeaInput text;
    std::string state, answer, outcome;
    std::optional<std::string> implemented_on;
    bool hidden = false;
    int64_t created_at = 0, updated_at = 0;
    std::optional<int64_t> submitted_at;
  };
  Result<int64_t> insert_idea(int64_t forum_id, const IdeaRecord& r);
  Result<void> insert_author(int64_t idea_id, const Author& a);
  Result<void> insert_event(int64_t idea_id, const Event& e);
  Result<void> insert_support(int64_t idea_id, int64_t member_id, int64_t at);

 private:
  Result<void> fill(std::vector<Idea>& ideas);
  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::ideas
