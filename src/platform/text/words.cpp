#include "platform/text/words.hpp"

#include "platform/text/text.hpp"

#include <array>
#include <chrono>

namespace chidoan::text {
namespace {

constexpr std::array<const char*, 10> kDigits = {"không", "một", "hai", "ba", "bốn",
                                                 "năm", "sáu", "bảy", "tám", "chín"};

void append_word(std::string& out, std::string_view word) {
  if (!out.empty()) out.push_back(' ');
  out.append(word);
}

// One group of three digits (1..999). `full`: the group follows a higher one, so it is read
// with its hundreds even when they are 0 ("không trăm linh một").
void append_group(std::string& out, unsigned group, bool full) {
  const unsigned h = group / 100, t = group / 10 % 10, u = group % 10;
  const bool said_hundreds = full || h != 0;
  if (said_hundreds) {
    append_word(out, kDigits[h]);
    append_word(out, "trăm");
  }
  if (t == 0) {
    if (u == 0) return;
    if (said_hundreds) append_word(out, "linh");
    append_word(out, kDigits[u]);
    return;
  }
  if (t == 1) {
    append_word(out, "mười");
  } else {
    append_word(out, kDigits[t]);
    append_word(out, "mươi");
  }
  switch (u) {
    case 0: break;
    case 1: append_word(out, t == 1 ? "một" : "mốt"); break;
    case 4: append_word(out, t == 1 ? "bốn" : "tư"); break;
    case 5: append_word(out, "lăm"); break;
    default: append_word(out, kDigits[u]); break;
  }
}

// 1 <= n < 10^9, as groups of triệu, nghìn and units. `full`: n follows a higher part (a tỷ).
void append_below_billion(std::string& out, uint64_t n, bool full) {
  constexpr std::array<const char*, 3> kScales = {"triệu", "nghìn", ""};
  const std::array<unsigned, 3> groups = {static_cast<unsigned>(n / 1'000'000),
                                          static_cast<unsigned>(n / 1000 % 1000),
                                          static_cast<unsigned>(n % 1000)};
  bool started = full;
  for (size_t k = 0; k < groups.size(); ++k) {
    if (groups[k] == 0) continue;
    append_group(out, groups[k], started);
    if (*kScales[k] != '\0') append_word(out, kScales[k]);
    started = true;
  }
}

// n >= 1: the part above 10^9 is itself read as a number followed by "tỷ".
void append_positive(std::string& out, uint64_t n, bool full) {
  constexpr uint64_t kBillion = 1'000'000'000;
  if (n >= kBillion) {
    append_positive(out, n / kBillion, full);
    append_word(out, "tỷ");
    if (n % kBillion != 0) append_below_billion(out, n % kBillion, true);
    return;
  }
  append_below_billion(out, n, full);
}

}  // namespace

std::string number_in_words(int64_t n) {
  if (n == 0) return "không";
  std::string out;
  uint64_t magnitude = static_cast<uint64_t>(n);
  if (n < 0) {
    out = "âm";
    magnitude = ~magnitude + 1;  // also right for INT64_MIN
  }
  append_positive(out, magnitude, false);
  return out;
}

std::string vnd_in_words(int64_t vnd) { return capitalize_first(number_in_words(vnd)) + " đồng"; }

std::string capitalize_first(std::string_view s) {
  std::string out(s);
  if (out.empty()) return out;
  const auto c = static_cast<unsigned char>(out[0]);
  if (c >= 'a' && c <= 'z') {
    out[0] = static_cast<char>(c - 'a' + 'A');
    return out;
  }
  // Two-byte Latin-1 lower case letters (à..þ except ÷): U+00E0..U+00FE -> U+00C0..U+00DE.
  if (c == 0xC3 && out.size() >= 2) {
    const auto d = static_cast<unsigned char>(out[1]);
    if (d >= 0xA0 && d <= 0xBE && d != 0xB7) out[1] = static_cast<char>(d - 0x20);
    return out;
  }
  // đ U+0111 -> Đ U+0110; ă U+0103 -> Ă U+0102; ơ U+01A1 -> Ơ U+01A0; ư U+01B0 -> Ư U+01AF.
  if (out.size() >= 2) {
    const auto d = static_cast<unsigned char>(out[1]);
    if (c == 0xC4 && (d == 0x91 || d == 0x83)) out[1] = static_cast<char>(d - 1);
    else if (c == 0xC6 && d == 0xA1) out[1] = static_cast<char>(0xA0);
    else if (c == 0xC6 && d == 0xB0) out[1] = static_cast<char>(0xAF);
  }
  // Vietnamese letters with tone marks in U+1EA0..U+1EF9 alternate upper (even), lower (odd).
  if (c == 0xE1 && out.size() >= 3) {
    const auto d = static_cast<unsigned char>(out[1]);
    const auto e = static_cast<unsigned char>(out[2]);
    const unsigned cp = ((c & 0x0Fu) << 12) | ((d & 0x3Fu) << 6) | (e & 0x3Fu);
    if (cp >= 0x1EA0 && cp <= 0x1EF9 && cp % 2 == 1) out[2] = static_cast<char>(e - 1);
  }
  return out;
}

std::string date_in_words(std::string_view iso) {
  const auto digit = [&](size_t k) { return iso[k] >= '0' && iso[k] <= '9'; };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::string(iso);
  for (size_t k : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!digit(k)) return std::string(iso);
  const auto num = [&](size_t from, size_t count) {
    unsigned v = 0;
    for (size_t k = from; k < from + count; ++k) v = v * 10 + static_cast<unsigned>(iso[k] - '0');
    return v;
  };
  const unsigned y = num(0, 4), m = num(5, 2), d = num(8, 2);
  const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(y)),
                                        std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return std::string(iso);
  std::string out = "ngày ";
  out.append(iso.substr(8, 2)).append(" tháng ");
  out.append(m <= 2 ? std::string(iso.substr(5, 2)) : std::to_string(m));
  out.append(" năm ").append(iso.substr(0, 4));
  return out;
}

std::string money_phrase(int64_t vnd) {
  if (vnd < 1000) return text::format_int(vnd) + " đồng";
  struct Scale {
    int64_t unit;
    const char* word;
  };
  constexpr Scale kScales[] = {{1'000'000'000, "tỷ"}, {1'000'000, "triệu"}, {1'000, "nghìn"}};
  for (const auto& s : kScales) {
    if (vnd < s.unit) continue;
    int64_t whole = vnd / s.unit;
    std::string figure = text::format_int(whole);
    int64_t shown = whole * s.unit;
    if (whole < 10) {
      int64_t tenths = vnd / (s.unit / 10);
      shown = tenths * (s.unit / 10);
      if (tenths % 10 != 0) figure += "," + std::to_string(tenths % 10);
    }
    return std::string(shown == vnd ? "" : "hơn ") + figure + " " + s.word + " đồng";
  }
  return text::format_int(vnd) + " đồng";
}

std::string curly(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '"';
  if (n == 0 || n % 2 != 0) return s;
  std::string out;
  bool open = true;
  for (char c : s) {
    if (c == '"') {
      out += open ? "\u201C" : "\u201D";
      open = !open;
    } else {
      out += c;
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep, const std::string& last_sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? last_sep : sep;
    out += parts[i];
  }
  return out;
}

}  // namespace chidoan::text
