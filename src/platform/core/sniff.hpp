// What a file is, from its first bytes (never from its name or what a browser says): the types
// people upload to chidoan. Each caller keeps the ones it accepts.
#pragma once

#include <optional>
#include <string_view>

namespace chidoan {

// "image/jpeg", "image/png", "image/tiff", "image/webp" or "application/pdf"; nullopt for
// anything else. A PDF's header may follow up to 1 KB of other bytes, as PDF readers allow.
inline std::optional<std::string_view> sniff_type(std::string_view b) {
  using namespace std::string_view_literals;
  if (b.starts_with("\xFF\xD8\xFF"sv)) return "image/jpeg";
  if (b.starts_with("\x89PNG\r\n\x1A\n"sv)) return "image/png";
  if (b.starts_with("II*\0"sv) || b.starts_with("MM\0*"sv)) return "image/tiff";
  if (b.size() >= 12 && b.starts_with("RIFF"sv) && b.substr(8, 4) == "WEBP"sv) return "image/webp";
  if (b.substr(0, 1024).find("%PDF-"sv) != std::string_view::npos) return "application/pdf";
  return std::nullopt;
}

}  // namespace chidoan
