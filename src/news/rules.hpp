// Pure rules of news posts (docs/news.md): the life cycle and who may move a post, the fields with
// Vietnamese messages naming the field, what a public page may say about people, and the text of
// share cards. No database and no clock.
//
// Text is stored as typed (NFC, trimmed) and always escaped on output; the body goes through
// platform/markdown (raw HTML shown as text, only http/https/mailto links).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "news/model.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::news::rules {

inline constexpr size_t kMaxTitleChars = 200;
inline constexpr size_t kMaxSummaryChars = 400;
inline constexpr size_t kMaxBodyChars = 20000;
inline constexpr size_t kMaxAltChars = 300;
inline constexpr size_t kMaxNoteChars = 1000;
inline constexpr size_t kMaxPhotos = 12;  // a post

// ---- The life cycle

// Who may make a move: the post's author (the user who wrote it), the committee (manage_news on
// the post's org). Bits, combined.
enum Mover : unsigned { kAuthor = 1, kCommittee = 2 };

struct Transition {
  std::string_view from, to;
  unsigned movers;
  bool needs_note;  // returning or withdrawing says why
};
// docs/news.md "Life cycle": only the committee publishes, and only a post awaiting approval.
inline constexpr std::array<Transition, 6> kTransitions = {{
    {"draft", "awaiting", kAuthor | kCommittee, false},
    {"awaiting", "draft", kAuthor, false},         // the author takes it back to edit
    {"awaiting", "returned", kCommittee, true},    // the committee returns it: to draft, with why
    {"awaiting", "published", kCommittee, false},
    {"published", "withdrawn", kCommittee, true},
    {"withdrawn", "draft", kAuthor | kCommittee, false},
}};

bool is_state(std::string_view s);
// "Bản nháp", "Chờ duyệt", "Đã đăng", "Đã gỡ".
std::string state_label(std::string_view state);
// The verb of a move's button ("Gửi duyệt", "Rút về sửa", "Trả lại", "Duyệt và đăng", "Gỡ bài",
// "Sửa lại").
std::string move_label(std::string_view to);
// The state a move lands in ("returned" lands in draft).
std::string_view landing(std::string_view to);

// The moves `who` may make from `from`, in table order.
std::vector<std::string> moves_from(std::string_view from, unsigned who);
// An unknown target is invalid on "to_state"; a move the table does not have (publishing a draft
// without approval) is a conflict naming both states; someone else's move is forbidden.
Result<void> check_move(std::string_view from, std::string_view to, unsigned who);
// A move that needs a note has one (invalid on "note").
Result<std::string> check_note(std::string_view to, std::string_view raw_note);

// Who may edit the text and photos: the author or the committee in draft and awaiting; the
// committee alone while published (its edit is its approval); nobody while withdrawn.
bool may_edit(std::string_view state, unsigned who);

// ---- Fields

struct PostInput {
  std::string title, summary, body;
  Links links;
};
// Fields title (required, one line, ≤ 200 characters), summary (one line, ≤ 400), body (line
// breaks kept, ≤ 20000), activity_id, campaign_id, forum_id, produce_cycle_id (positive ids or
// empty). Whether the links belong to the post's org is the store's check.
Result<PostInput> validate_post(const RawFields& raw);
// A photo's alt text: required, one line, ≤ 300 characters (invalid on "alt").
Result<std::string> validate_alt(std::string_view raw);
// "activity:12" | "campaign:3" | "forum:1" | "produce:4" (invalid on "source").
Result<std::pair<std::string, int64_t>> parse_source(std::string_view raw);

// ---- What a public page may say

// Personal data a post must not carry onto a public page: phone numbers (Vietnamese mobile and
// landline forms, +84 included), identity numbers (9 or 12 digits: CMND, CCCD), and members of the
// org's subtree named without their consent. Each finding is a short Vietnamese description.
struct Finding {
  std::string field;  // "title", "summary", "body" or "alt"
  std::string what;   // "số điện thoại 0972 222 874", "tên đoàn viên Hoàng Thị Lan Anh (chưa đồng ý nêu tên)"
};
// `names`: full names of the members who have not consented. Matching ignores case and accents
// and needs whole words. Texts are field name -> text.
std::vector<Finding> personal_data(const std::vector<std::pair<std::string, std::string>>& texts,
                                   const std::vector<std::string>& names);
// The folded runs of 2..6 words of the texts as a reader sees them ("nguyen van an"): the
// candidates a member's folded full name (members.search_text) is looked up among.
std::vector<std::string> name_candidates(const std::vector<std::pair<std::string, std::string>>& texts);

// The findings as one refusal (invalid on the first finding's field), or nothing.
Result<void> check_publishable(const std::vector<Finding>& findings);

// ---- Share cards and excerpts

// Plain text of a Markdown body for a description: markup characters removed, whitespace
// collapsed, cut at a word boundary to at most `max_chars` characters with "…".
std::string excerpt(std::string_view body, size_t max_chars);
// The description of a share card: the summary, else the body's excerpt (200 characters).
std::string description(const Post& p);

}  // namespace chidoan::news::rules
