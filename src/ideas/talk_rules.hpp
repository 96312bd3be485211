// Pure rules of an idea's discussion (docs/ideas.md "Discussion and mentoring", "Moderation",
// "Similar ideas"): the two threads, who may post where, one level of replies, reports and the
// automatic hiding, and the accent-insensitive likeness of two titles. No database, no clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::ideas::talk_rules {

inline constexpr size_t kMaxBodyChars = 5000;
inline constexpr size_t kMaxReasonChars = 500;
inline constexpr int64_t kHideAfterReports = 3;  // pending reports that hide an item until a moderator decides
inline constexpr size_t kMaxSimilar = 5;

// A comment as the rules see it.
struct Comment {
  int64_t id = 0;
  int64_t idea_id = 0;
  std::optional<int64_t> parent_id;
  std::string thread = "comment";  // comment | mentor
  int64_t user_id = 0;
  std::optional<int64_t> member_id;
  std::string author_name;
  std::string mentor_title;  // set when the writer is a mentor of the forum
  std::string body;
  int64_t created_at = 0;
  bool hidden = false;
  int64_t pending_reports = 0;
};

bool is_thread(std::string_view t);  // "comment" | "mentor"

struct CommentInput {
  std::string body;
  std::optional<int64_t> parent_id;
};
// Fields body (required, at most 5000 characters, line breaks kept) and parent_id (empty or a
// positive id). Invalid naming the field.
Result<CommentInput> validate_comment(const RawFields& raw);

// Who is writing, as far as the threads care.
struct Writer {
  bool may_view = false;  // may see the idea (view_ideas, a member of the forum's subtree, or a mentor)
  bool mentor = false;    // a mentor of the idea's forum
  bool author = false;    // an accepted author of the idea
};

// Comments are open once an idea is sent and until it is archived (not on drafts).
bool open_for_talk(std::string_view state);

// May `w` post in `thread` of an idea in `state` (hidden or not), as a reply to `parent` (if
// any)? The comment thread: anyone who may see the idea. The mentors' thread: mentors start and
// answer; authors only answer a mentor (a reply). One level: a parent is a top-level comment of
// the same idea and thread (invalid on "parent_id" otherwise). Closed talk or a hidden idea:
// conflict; someone else's thread: forbidden with the reason.
Result<void> may_post(std::string_view thread, std::string_view state, bool idea_hidden, const Writer& w, int64_t idea_id,
                      const std::optional<Comment>& parent);

// ---- Moderation

inline constexpr const char* kTargets[] = {"idea", "comment"};
bool is_target(std::string_view t);
// A report's reason, or a moderator's: required, at most 500 characters.
Result<std::string> validate_reason(const RawFields& raw, const std::string& field = "reason");
// Three pending reports hide the item until a moderator decides.
bool hides(int64_t pending_reports);

// ---- Similar titles

// The words of a folded title (text::search_fold) that tell titles apart: at least two letters,
// not one of the common Vietnamese function words ("va", "cho", "cua", "cac", …), each once.
std::vector<std::string> key_words(std::string_view folded);
// How alike two folded titles are, 0..1: the share of the query's words found in the title
// (each syllable of Vietnamese is a word), with a bonus when the query is a phrase of it.
double likeness(std::string_view query_folded, std::string_view title_folded);
// Titles alike enough to suggest: the query has at least two telling words, and either it is a
// phrase of the title or they share at least two telling words and likeness >= 0.5.
bool alike(std::string_view query_folded, std::string_view title_folded);

// The first `max_chars` characters of `s` on one line, with "…" when cut.
std::string excerpt(std::string_view s, size_t max_chars);

}  // namespace chidoan::ideas::talk_rules
