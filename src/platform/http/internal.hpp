// Helpers shared by the http sources; not part of the public contract.
#pragma once

#include <array>
#include <chrono>
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

// One line of the access log, as written to stderr:
//   2026-11-27T15:17:43.123Z <request id> <client address or -> <method> <raw path> <status> 1.2ms
// The time is UTC to the millisecond; the method is cut at 16 bytes, the path at 300, the whole
// line before its newline at 511 bytes.
struct AccessLine {
  std::array<char, 512> text;
  size_t size = 0;
  std::string_view view() const { return {text.data(), size}; }
};
AccessLine access_line(std::chrono::system_clock::time_point at, std::string_view request_id,
                       std::string_view remote, std::string_view method, std::string_view path, int status,
                       double ms);

}  // namespace chidoan::http
