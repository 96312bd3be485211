// Pure rules of the young creative ideas forum (docs/ideas.md): the life cycle of an idea and who
// may move it, the fields of forums and ideas with Vietnamese messages naming the field, when a
// forum is open, who may post and support, and attachments (type by magic bytes, size limits).
// No database and no clock: `today` and `now` are passed in.
//
// Text is stored as typed (NFC, trimmed) and always escaped on output: "<script>" in a title is a
// title containing "<script>", shown as text.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ideas/model.hpp"
#include "platform/core/date.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::ideas::rules {

inline constexpr size_t kMaxTitleChars = 200;
inline constexpr size_t kMaxTextChars = 5000;       // problem, proposal, benefit, a forum's description
inline constexpr size_t kMaxAnswerChars = 3000;     // an answer or an outcome
inline constexpr size_t kMaxForumTitleChars = 300;
inline constexpr size_t kMaxMentorTitleChars = 200;
inline constexpr size_t kMaxFileNameChars = 200;
inline constexpr size_t kMaxAttachmentBytes = 5 * 1024 * 1024;  // per file
inline constexpr size_t kMaxAttachments = 10;                   // per idea
inline constexpr int64_t kMaxThreshold = 100000;

// ---- The life cycle

// Who may make a move: an accepted author of the idea, a mentor of its forum, the committee
// (manage_ideas on the forum's org). Bits, combined.
enum Mover : unsigned { kAuthor = 1, kMentor = 2, kCommittee = 4 };

struct Transition {
  std::string_view from, to;
  unsigned movers;
};
// The whole table (docs/ideas.md "Life cycle"):
//   draft -> submitted (authors); submitted -> mentoring (mentors, committee);
//   mentoring -> accepted | rejected (committee, with an answer);
//   accepted -> implemented (committee, with the outcome and its date);
//   draft | submitted | mentoring -> withdrawn (authors);
//   rejected | implemented | withdrawn -> archived (committee).
inline constexpr std::array<Transition, 11> kTransitions = {{
    {"draft", "submitted", kAuthor},
    {"submitted", "mentoring", kMentor | kCommittee},
    {"mentoring", "accepted", kCommittee},
    {"mentoring", "rejected", kCommittee},
    {"accepted", "implemented", kCommittee},
    {"draft", "withdrawn", kAuthor},
    {"submitted", "withdrawn", kAuthor},
    {"mentoring", "withdrawn", kAuthor},
    {"rejected", "archived", kCommittee},
    {"implemented", "archived", kCommittee},
    {"withdrawn", "archived", kCommittee},
}};

bool is_state(std::string_view s);
// "Bản nháp", "Đã gửi", "Đang được hướng dẫn", "Được chấp nhận", "Không được chấp nhận",
// "Đã thực hiện", "Đã rút", "Lưu trữ"; an unknown state is returned as it is.
std::string state_label(std::string_view state);
// The verb of a move's button ("Gửi ý tưởng", "Nhận hướng dẫn", "Chấp nhận", …).
std::string move_label(std::string_view to);

// The states `who` (Mover bits) may move an idea to from `from`, in table order.
std::vector<std::string> moves_from(std::string_view from, unsigned who);
// A move from `from` to `to` by `who`: an unknown target is invalid ("to_state"); a move the
// table does not have is a conflict naming both states; a move of someone else's is forbidden.
Result<void> check_move(std::string_view from, std::string_view to, unsigned who);

// A change of state as asked: the target and what it needs (answer for accepted / rejected,
// outcome and implemented_on for implemented).
struct StateChange {
  std::string to;
  std::string answer;
  std::string outcome;
  std::optional<std::string> implemented_on;
};
// Fields to_state, answer, outcome, implemented_on ("YYYY-MM-DD", not after `today`).
Result<StateChange> validate_move(const RawFields& raw, Date today);
// What a stored idea in `state` needs (also for the bundle): an answer when accepted or rejected,
// an outcome and a date when implemented.
Result<void> check_record(std::string_view state, const std::string& answer, const std::string& outcome,
                          const std::optional<std::string>& implemented_on);

// ---- Ideas

struct IdeaInput {
  std::string title, problem, proposal, benefit;
};
// Fields title (required, one line, at most 200 characters), problem, proposal, benefit (at most
// 5000 characters each, line breaks kept).
Result<IdeaInput> validate_idea(const RawFields& raw);
// An idea is sent (draft -> submitted) only with its problem and proposal written.
Result<void> check_complete(const Idea& idea);
// Authors edit the text while the idea is a draft or submitted.
bool editable(std::string_view state);

// ---- Forums

struct ForumInput {
  std::string title, description;
  std::string kind = "event";
  std::optional<std::string> held_on;
  std::string opens_on;
  std::optional<std::string> closes_on;
  std::string post_scope = "members", support_scope = "members";
  int64_t support_threshold = 0;
  bool self_support = false;
  std::optional<int64_t> activity_id;
};
// Fields title, description, kind (event | standing), held_on (events), opens_on, closes_on
// (empty: open-ended; not before opens_on), post_scope, support_scope (members | committee),
// support_threshold (0 to 100000), self_support (1/0), activity_id.
Result<ForumInput> validate_forum(const RawFields& raw);
std::string kind_label(std::string_view kind);    // "Sự kiện", "Diễn đàn thường xuyên"
std::string scope_label(std::string_view scope);  // "Mọi đoàn viên", "Chỉ Ban Chấp hành"

// "upcoming" (before opens_on), "open", "closed" (after closes_on) on `today`.
std::string forum_phase(const Forum& f, Date today);
bool is_open(const Forum& f, Date today);
std::string phase_label(std::string_view phase);  // "Sắp mở", "Đang nhận ý tưởng", "Đã đóng"
std::string role_label(std::string_view role);    // "Tác giả", "Đồng tác giả"

// Who is asking, as far as a forum's rules care.
struct Asker {
  bool member_in_scope = false;  // their member is active in the forum's org subtree
  bool committee = false;        // manage_ideas on the forum's org
};
// Posting a new idea: the forum is open and its post_scope admits the asker (forbidden otherwise,
// with the reason; a closed forum is a conflict naming its dates).
Result<void> may_post(const Forum& f, const Asker& a, Date today);
// Supporting: the forum is open, the idea is submitted, in mentoring or accepted, the asker is a
// member (supports are counted per member) admitted by support_scope, and not an author unless the
// forum allows self_support.
Result<void> may_support(const Forum& f, const Idea& idea, const Asker& a, bool is_author, Date today);
// The forum is open on `today`: a conflict on `field` naming its dates otherwise.
Result<void> check_open(const Forum& f, Date today, const std::string& field);
// Withdrawing a support: only while the forum is open.
Result<void> may_withdraw_support(const Forum& f, Date today);
// The states in which an idea can be supported.
bool supportable(std::string_view state);

// A progress bar towards the threshold: 0..100 (100 once reached; 0 without a threshold).
int progress_percent(int64_t supports, int64_t threshold);

// ---- Attachments

struct AttachmentInput {
  std::string file_name;  // the base name as sent, cleaned
  std::string mime;       // from the content, never from the name or the browser
};
// JPEG (FF D8 FF), PNG (89 50 4E 47 0D 0A 1A 0A), WebP ("RIFF" size "WEBP") or PDF ("%PDF-"), or
// nothing.
std::optional<std::string> sniff_mime(std::string_view bytes);
// An upload: not empty, at most kMaxAttachmentBytes, a known type by its first bytes, and the
// idea holding fewer than kMaxAttachments files. Invalid on "file" with the reason.
Result<AttachmentInput> check_attachment(std::string_view file_name, std::string_view bytes, size_t already);

// ---- Text

// NFC, trimmed, at most `max_chars` characters; `keep_lines` keeps line breaks (else one line).
// Invalid on `field` naming it ("Tiêu đề quá dài …").
Result<std::string> clean_text(std::string_view raw, const std::string& field, const std::string& label, size_t max_chars,
                               bool keep_lines);

// Times in the bundle: unix seconds <-> "YYYY-MM-DDTHH:MM:SS", Vietnam time.
std::string local_seconds(int64_t unix_seconds);
Result<int64_t> parse_local_seconds(std::string_view s, const std::string& field);

}  // namespace chidoan::ideas::rules
