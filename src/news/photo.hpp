// News photos: an upload (JPEG, PNG or WebP, told by its magic bytes) becomes two baseline
// JPEGs — large (at most kLargeWidth wide, for the post page and the share card) and small (at
// most kSmallWidth wide, for lists and phones) — turned upright by the EXIF orientation,
// transparency flattened on white, never scaled up. Re-encoding from pixels drops every
// metadata block: no EXIF location, device or time survives.
//
// Decoding uses leptonica (Debian's liblept5, with libjpeg-turbo, libpng and libwebp). The header
// is read first: an image over kMaxPixels is refused before any pixel is decoded, and a large
// JPEG is decoded at 1/2, 1/4 or 1/8 scale by libjpeg when that still covers kLargeWidth.
// Thread-safe; at most two images are decoded at once in a process (the others wait).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace chidoan::news::photo {

inline constexpr int64_t kMaxBytes = 15 * 1024 * 1024;  // one upload
inline constexpr int64_t kMaxPixels = 50'000'000;       // 50 MP: phones' largest modes
inline constexpr int kLargeWidth = 1200;
inline constexpr int kSmallWidth = 480;
inline constexpr int kQuality = 82;

struct Encoded {
  std::string jpeg;
  int width = 0, height = 0;
};

struct Prepared {
  Encoded large, small;
  std::string source_type;  // "image/jpeg" | "image/png" | "image/webp"
  int source_width = 0, source_height = 0;  // as uploaded (before turning)
};

// The two JPEGs of an upload. Errors are ErrorKind::invalid on field "photo" with a Vietnamese
// message: an empty file, over kMaxBytes, not an image (or a type other than JPEG/PNG/WebP),
// over kMaxPixels (with the size found), or a file that does not decode.
Result<Prepared> prepare(std::string_view bytes);

// A JPEG as prepare() stores it, given from elsewhere (a bundle): complete, with no metadata
// segment but JFIF's APP0 (no EXIF, XMP, ICC, IPTC or comment), and of the size it claims.
// Invalid on field "photo" otherwise.
Result<void> check_stored(std::string_view jpeg, int64_t width, int64_t height);

// The EXIF orientation (1..8) of a JPEG's APP1 block; 1 when there is none or it does not parse.
int jpeg_orientation(std::string_view jpeg);

}  // namespace chidoan::news::photo
