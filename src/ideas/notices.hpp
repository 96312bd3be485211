// Notices to an idea's authors (docs/ideas.md "Notifications"): written in the same transaction
// as the change that causes them, shown in the app (the bell on /ideas/notices) and sent once a
// day as a digest e-mail through the outbox (notify::Outbox, kind "ideas.digest").
//
// kind: "answer" (an idea was accepted or rejected with an answer), "mentor" (a mentor replied in
// the guidance thread), "state" (any other change of state), "coauthor" (someone asks to join,
// or was accepted), "comment" (a comment on one's idea).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"
#include "platform/render/render.hpp"

namespace chidoan::ideas::notices {

// Tells every accepted author of the idea except `except_member` (the one who acted), once per
// (idea, kind, ref) when ref is not empty. `text` is one Vietnamese sentence.
Result<void> tell_authors(db::Connection& conn, int64_t idea_id, const std::string& kind, const std::string& text,
                          int64_t at, std::optional<int64_t> except_member = std::nullopt, const std::string& ref = "");

// Tells one user (e.g. a mentor whose guidance an author answered): to their member record when
// they have one, else to the user. Same deduplication as tell_authors.
Result<void> tell_user(db::Connection& conn, int64_t user_id, int64_t idea_id, const std::string& kind,
                       const std::string& text, int64_t at, const std::string& ref = "");

// Whose notices: a signed-in user sees the notices of their member record and their own.
struct Recipient {
  int64_t user_id = 0;
  std::optional<int64_t> member_id;
};

struct Notice {
  int64_t id = 0;
  int64_t idea_id = 0;
  std::string idea_title;
  int64_t forum_id = 0;
  std::string kind;
  std::string text;
  int64_t created_at = 0;
  std::optional<int64_t> read_at;
};

// Newest first, at most `limit`.
Result<std::vector<Notice>> list(db::Connection& conn, const Recipient& r, int limit);
Result<int64_t> unread_count(db::Connection& conn, const Recipient& r);
// Marks one notice (id) or all of the recipient's (nullopt) read; returns how many changed.
// Another recipient's notice: ErrorKind::not_found.
Result<int64_t> mark_read(db::Connection& conn, const Recipient& r, std::optional<int64_t> id, int64_t at);

// The daily digest: for every recipient with notices created before the start of `on` (Vietnam
// time) and not yet digested, one e-mail (kind "ideas.digest", ref "member:ID:DATE" or
// "user:ID:DATE") listing the unread ones, to the e-mail address of their member record on the
// roll; those notices are marked digested (also when there is no address, or nothing unread).
// Idempotent: a second run the same day finds nothing. Returns the e-mails enqueued.
// REQUIRES: runs inside Connection::transaction().
Result<int> enqueue_digests(db::Connection& conn, const Clock& clock, const render::Renderer& texts, Date on);

}  // namespace chidoan::ideas::notices
