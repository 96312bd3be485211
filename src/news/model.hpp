// News (tin bài): plain types. Instants are unix seconds; dates "YYYY-MM-DD" in Vietnam's time.
// Enumerations keep the strings they are stored with (migrations/0014_news.sql).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chidoan::news {

// A post's states (rules.hpp has the moves):
//   draft -> awaiting -> published -> withdrawn -> draft; awaiting -> draft (returned).
inline constexpr const char* kStates[] = {"draft", "awaiting", "published", "withdrawn"};

// What a post may link to: the activity, campaign, idea forum or produce order cycle it reports
// (a blood drive is an activity of type blood_drive). Each must belong to the post's
// organisation subtree.
struct Links {
  std::optional<int64_t> activity_id, campaign_id, forum_id, produce_cycle_id;
  bool operator==(const Links&) const = default;
};

struct Post {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  std::string title;
  std::string summary;
  std::string body;  // plain text with paragraphs and links, or Markdown (a safe subset)
  std::string state = "draft";
  std::optional<int64_t> author_id;         // the user who wrote it
  std::string author_name;                  // that user's display name (signed-in pages only)
  std::optional<int64_t> author_member_id;  // the member it is by
  std::optional<std::string> byline;        // the member's full name, only if they consented
  Links links;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> submitted_at, published_at, withdrawn_at;
  std::optional<int64_t> approved_by;
  std::string note;  // why it was returned or withdrawn
  int64_t version = 0;  // bumped by every change: approval names the version it read
  int64_t photos = 0;
  std::optional<int64_t> first_photo_id;  // the share card's image
};

// A stored photo without its bytes.
struct PhotoInfo {
  int64_t id = 0;
  int64_t post_id = 0;
  int64_t position = 0;
  std::string alt;
  int64_t width = 0, height = 0, small_width = 0, small_height = 0;
  int64_t bytes = 0;  // of the large JPEG
};

}  // namespace chidoan::news
