// Helpers shared by the http sources; not part of the public contract.
#pragma once

#include <string>
#include <string_view>

namespace chidoan::http {

inline constexpr const char* kBadForm = "Dữ liệu biểu mẫu không hợp lệ";

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// RFC 9110's token: what a header's name is made of.
inline bool is_token(std::string_view s) {
  constexpr std::string_view kPunct = "!#$%&'*+-.^_`|~";
  if (s.empty()) return false;
  for (char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && kPunct.find(c) == std::string_view::npos) return false;
  }
  return true;
}

// A control character that may not stand in a header's value (a tab may).
inline bool is_header_ctl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

// Reads the value of parameter `name` from a header such as
// `form-data; name="a b"; filename="x.pdf"` (quoted or token, case-insensitive name).
// Returns false when absent.
bool header_param(std::string_view header, std::string_view name, std::string& out);

}  // namespace chidoan::http
