// Pure rules of the help desk's scanned papers (docs/scan.md "In the help desk"): what an
// upload may be, how a paper is named, how pages are turned and moved, the download's file
// name, and how long anything is kept. No database, no clock (`now` is passed in), no engine.
//
// Conventions (tested in papers_rules_test.cpp):
// - A file is JPEG, PNG, TIFF or PDF by its first bytes (not by its name or the browser's
//   type), not empty and at most kMaxFileBytes; a paper holds at most kMaxPages pages and
//   kMaxPaperBytes of uploads. A bad
//   file refuses the whole upload: invalid on "pages", the message naming the file.
// - A paper is a document of the procedure's list (field `document`: its 1-based number or its
//   exact name) or another paper (field `name`, "Giấy tờ khác" when empty), never both.
// - Turns are quarter turns clockwise: 90, 180, 270 (and -90, -180, -270); rotation is kept in
//   0..270. Moves: "up", "down", "first", "last" or a 1-based position.
// - Everything is deleted kRetentionSeconds after the last upload or the making of the PDF.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::scan::papers_rules {

inline constexpr int64_t kMaxFileBytes = 20 * 1024 * 1024;
inline constexpr int kMaxPages = 60;
inline constexpr int64_t kMaxPaperBytes = 100 * 1024 * 1024;  // the uploads of one paper together
inline constexpr int64_t kRetentionSeconds = 7 * 24 * 60 * 60;
inline constexpr int kRetentionDays = 7;
inline constexpr int kThumbnailSide = 240;
inline constexpr size_t kMaxNameChars = 200;
inline constexpr size_t kMaxFileNameChars = 120;
inline constexpr std::string_view kOtherPaper = "Giấy tờ khác";

// ---- Uploads

// "image/jpeg", "image/png", "image/tiff" or "application/pdf" by the file's first bytes;
// empty for anything else.
std::optional<std::string> sniff_mime(std::string_view bytes);
// A file of an upload on its own: not empty, at most kMaxFileBytes, of a known kind. Returns
// its type; invalid on "pages" naming the file otherwise.
Result<std::string> check_file(std::string_view file_name, std::string_view bytes);
// The name a file is shown with: its last path part, NFC, at most kMaxFileNameChars
// characters; "tệp N" (N 1-based) when empty or not text.
std::string shown_file_name(std::string_view raw, size_t n);
// An upload of `adding` pages to a paper holding `existing`: at most kMaxPages (invalid on
// "pages").
Result<void> check_page_total(int existing, int adding);
// Likewise in bytes: at most kMaxPaperBytes of uploads in one paper (all are read to make it).
Result<void> check_byte_total(int64_t existing, int64_t adding);
// An error about one file, as every refusal of an upload reads: "Tệp "a.jpg": …" on "pages".
// A message that already names the file in quotes (as the engine does) is kept as it is.
Error file_error(std::string_view file_name, std::string_view message);

// ---- Papers

struct PaperName {
  std::string name;
  std::optional<int> doc_index;  // 1-based in the procedure's list; empty: another paper
};
// Fields `document` and `name` against the procedure's list of documents.
Result<PaperName> validate_paper(const RawFields& raw, const std::vector<std::string>& documents);
// A tick box: "", "0", "false", "off" -> false; "1", "true", "on" -> true; else invalid.
Result<bool> parse_flag(std::string_view raw, const std::string& field);

// ---- Pages

// A turn in degrees clockwise: 90, 180, 270, -90, -180, -270 (invalid on `field`).
Result<int> parse_turn(std::string_view raw, const std::string& field = "by");
// `rotation` turned by `by` degrees, in 0..270.
int turned(int rotation, int by);
// Where a page at `from` (1-based) of `count` goes: "up", "down", "first", "last" or a
// position 1..count (invalid on `field`). Up from the first and down from the last stay.
Result<int> parse_move(std::string_view raw, int from, int count, const std::string& field = "to");
// `ids` with `id` moved to the 1-based position `to` (clamped), the others in their order.
std::vector<int64_t> moved(std::vector<int64_t> ids, int64_t id, int to);

// ---- The download

// A paper's name made file-safe: ASCII (Vietnamese marks folded, đ -> d), lower case, runs of
// anything else as one dash, at most 80 characters; "giay-to" when nothing is left.
// "Tờ khai đăng ký khai sinh" -> "to-khai-dang-ky-khai-sinh".
std::string file_stem(std::string_view name);
// `attachment; filename="to-khai.pdf"; filename*=UTF-8''T%E1%BB%9D%20khai.pdf`: the ASCII
// name for old clients and the Vietnamese one (RFC 6266 / 5987), with characters that cannot
// be in a file name (/ \ : * ? " < > | and controls) as dashes.
std::string content_disposition(std::string_view name, std::string_view ext = ".pdf");

// ---- Retention

// When a paper touched at `now` (created, uploaded to, made) is deleted.
inline int64_t expires_after(int64_t now) { return now + kRetentionSeconds; }

}  // namespace chidoan::scan::papers_rules
