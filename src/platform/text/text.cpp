#include "platform/text/text.hpp"
#include "platform/text/whole.hpp"

#include <unicode/bytestream.h>
#include <unicode/coll.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace chidoan::text {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// ---------------------------------------------------------------------------------------
// UTF-8

// Decodes one well-formed code point at s[i] (Unicode Table 3-7: no overlongs, no
// surrogates, nothing above U+10FFFF). Returns the code point and advances `i`, or nullopt
// (and leaves `i`) on a malformed sequence.
std::optional<char32_t> decode_utf8(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const size_t n = s.size();
  const unsigned char c0 = b(i);
  if (c0 < 0x80) {
    ++i;
    return c0;
  }
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  char32_t cp = 0;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    len = 2;
    cp = c0 & 0x1F;
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    len = 3;
    cp = c0 & 0x0F;
    if (c0 == 0xE0) lo = 0xA0;          // overlong
    if (c0 == 0xED) hi = 0x9F;          // surrogates D800..DFFF
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    len = 4;
    cp = c0 & 0x07;
    if (c0 == 0xF0) lo = 0x90;          // overlong
    if (c0 == 0xF4) hi = 0x8F;          // above U+10FFFF
  } else {
    return std::nullopt;                // continuation byte, C0/C1 overlong lead, F5..FF
  }
  if (n - i < len) return std::nullopt;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char c = b(i + k);
    const unsigned char min = k == 1 ? lo : 0x80;
    const unsigned char max = k == 1 ? hi : 0xBF;
    if (c < min || c > max) return std::nullopt;
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

// The white space that is trimmed and folded: ASCII space and \t \n \r, NBSP, and the
// Unicode space separators people paste from Word and the web.
bool is_space(char32_t cp) {
  switch (cp) {
    case U' ': case U'\t': case U'\n': case U'\r':
    case 0x00A0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool is_refused_control(char32_t cp) {
  if (cp == U'\t' || cp == U'\n' || cp == U'\r') return false;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);  // C0, DEL, C1
}

// Trims white space and, when `collapse` is set, folds inner runs to one ' '.
// REQUIRES: `s` is valid UTF-8.
std::string fold_space(std::string_view s, bool collapse) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const char32_t cp = *decode_utf8(s, i);
    if (collapse && is_space(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(s.substr(start, i - start));
  }
  if (!collapse) {
    // Only trim: find the first and last code point that is not white space.
    size_t first = std::string::npos, last_end = 0;
    size_t j = 0;
    while (j < out.size()) {
      const size_t start = j;
      const char32_t cp = *decode_utf8(out, j);
      if (!is_space(cp)) {
        if (first == std::string::npos) first = start;
        last_end = j;
      }
    }
    if (first == std::string::npos) return {};
    return out.substr(first, last_end - first);
  }
  return out;
}

std::string hex(const uint8_t* p, size_t n) {
  std::string out(n * 2, '0');
  for (size_t k = 0; k < n; ++k) {
    out[2 * k] = kHex[p[k] >> 4];
    out[2 * k + 1] = kHex[p[k] & 0x0F];
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// ICU objects. Collator and Transliterator are not thread-safe for use: one per thread,
// made on first use in that thread. Failing to build them means ICU data is missing: a
// broken installation, so an exception.

icu::Collator& collator() {
  thread_local std::unique_ptr<icu::Collator> c = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> made(icu::Collator::createInstance(icu::Locale("vi"), status));
    if (U_FAILURE(status) || !made)
      throw std::runtime_error(std::string("ICU vi collator: ") + u_errorName(status));
    return made;
  }();
  return *c;
}

std::unique_ptr<icu::Transliterator> make_folder() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t)
    throw std::runtime_error(std::string("ICU transliterator: ") + u_errorName(status));
  return t;
}

icu::Transliterator& folder() {
  thread_local std::unique_ptr<icu::Transliterator> t = make_folder();
  return *t;
}

const icu::Normalizer2& nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);  // shared, immutable
  if (U_FAILURE(status) || !n)
    throw std::runtime_error(std::string("ICU NFC: ") + u_errorName(status));
  return *n;
}

// Trims, folds white space to single spaces and maps đ/Đ (in case a transliterator left
// them) to d. Applied to the transliterator's output.
std::string finish_fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const auto cp = decode_utf8(s, i);
    if (!cp) {  // cannot happen with ICU output; keep the byte rather than loop
      out += s[i++];
      continue;
    }
    if (is_space(*cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    if (*cp == 0x0111 || *cp == 0x0110) out += 'd';
    else out.append(s.substr(start, i - start));
  }
  return out;
}

// Fast path of search_fold: the transliteration of every Latin letter of Latin-1 and the
// Latin Extended blocks (all Vietnamese letters), made once per process by the same
// transliterator and immutable afterwards. A code point that is not in the table sends the
// whole string to ICU. Per-letter results equal in-context ones because the chain is
// context-free on Latin letters once lower-cased (the tests check every entry).
class FoldTable {
 public:
  static const FoldTable& get() {
    static const FoldTable table;  // thread-safe initialisation
    return table;
  }
  // nullptr if the code point is not covered.
  const std::string* find(char32_t cp) const {
    if (cp >= kLatin1Begin && cp < kLatinExtBEnd) return slot(latin_[cp - kLatin1Begin]);
    if (cp >= kExtAddBegin && cp < kExtAddEnd) return slot(additional_[cp - kExtAddBegin]);
    return nullptr;
  }

 private:
  static constexpr char32_t kLatin1Begin = 0x00C0, kLatinExtBEnd = 0x0250;
  static constexpr char32_t kExtAddBegin = 0x1E00, kExtAddEnd = 0x1F00;

  static const std::string* slot(const std::optional<std::string>& s) {
    return s ? &*s : nullptr;
  }

  static std::optional<std::string> build(icu::Transliterator& t, char32_t cp) {
    if (!u_isalpha(static_cast<UChar32>(cp))) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    if (uscript_getScript(static_cast<UChar32>(cp), &status) != USCRIPT_LATIN) return std::nullopt;
    icu::UnicodeString u(static_cast<UChar32>(cp));
    t.transliterate(u);
    std::string out;
    u.toUTF8String(out);
    if (out.empty()) return std::nullopt;
    for (char ch : out) {
      const auto c = static_cast<unsigned char>(ch);
      // Letters only: anything else (spaces, punctuation) is left to the ICU path.
      if (!(c >= 'a' && c <= 'z')) return std::nullopt;
    }
    return out;
  }

  FoldTable() {
    auto t = make_folder();
    latin_.resize(kLatinExtBEnd - kLatin1Begin);
    for (char32_t cp = kLatin1Begin; cp < kLatinExtBEnd; ++cp) latin_[cp - kLatin1Begin] = build(*t, cp);
    additional_.resize(kExtAddEnd - kExtAddBegin);
    for (char32_t cp = kExtAddBegin; cp < kExtAddEnd; ++cp) additional_[cp - kExtAddBegin] = build(*t, cp);
  }

  std::vector<std::optional<std::string>> latin_;
  std::vector<std::optional<std::string>> additional_;
};

std::optional<std::string> search_fold_fast(std::string_view s) {
  const FoldTable& table = FoldTable::get();
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::string* mapped = nullptr;
    char ascii = 0;
    bool space = false;
    if (c < 0x80) {
      ++i;
      space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      ascii = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    } else {
      const auto cp = decode_utf8(s, i);
      if (!cp) return std::nullopt;
      space = is_space(*cp);
      if (!space) {
        mapped = table.find(*cp);
        if (!mapped) return std::nullopt;
      }
    }
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    if (mapped) out += *mapped;
    else out += ascii;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Numbers

// Groups a string of decimal digits by thousands with '.'.
std::string group_thousands(std::string_view digits, char separator = '.') {
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  const size_t n = digits.size();
  for (size_t k = 0; k < n; ++k) {
    if (k > 0 && (n - k) % 3 == 0) out += separator;
    out += digits[k];
  }
  return out;
}

// |v| * 10^shift10 rounded half away from zero to `places` decimals, computed on the
// shortest round-trip decimal digits of v (so 1.005 is 1.005, not 1.00499999...).
std::string format_scaled(double v, int places, int shift10) {
  if (!std::isfinite(v)) return "\u2014";
  places = std::clamp(places, 0, 20);
  const bool negative = std::signbit(v);
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));  // "d.ddde+XX"
  const size_t e_pos = sci.find('e');
  std::string digits;
  for (char ch : sci.substr(0, e_pos)) {
    if (ch != '.') digits += ch;
  }
  int exponent = 0;
  std::string_view exp_text = sci.substr(e_pos + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  // value = 0.digits * 10^(exponent + 1); the integer part of value * 10^(shift + places)
  // holds the first `q` digits.
  const long q = static_cast<long>(exponent) + 1 + shift10 + places;
  const long len = static_cast<long>(digits.size());
  std::string n;  // |v| * 10^(shift + places), rounded, as decimal digits
  bool round_up = false;
  if (q <= 0) {
    n = "0";
    round_up = q == 0 && digits[0] >= '5';
  } else if (q >= len) {
    n = digits + std::string(static_cast<size_t>(q - len), '0');
  } else {
    n = digits.substr(0, static_cast<size_t>(q));
    round_up = digits[static_cast<size_t>(q)] >= '5';  // half or more: away from zero
  }
  if (round_up) {
    long k = static_cast<long>(n.size()) - 1;
    while (k >= 0 && n[static_cast<size_t>(k)] == '9') n[static_cast<size_t>(k--)] = '0';
    if (k < 0) n.insert(n.begin(), '1');
    else ++n[static_cast<size_t>(k)];
  }
  n.erase(0, std::min(n.find_first_not_of('0'), n.size()));  // only |v| == 0 has them
  if (n.size() < static_cast<size_t>(places) + 1) n.insert(0, static_cast<size_t>(places) + 1 - n.size(), '0');
  const size_t int_len = n.size() - static_cast<size_t>(places);
  std::string out;
  const bool zero = n.find_first_not_of('0') == std::string::npos;
  if (negative && !zero) out += '-';
  out += group_thousands(std::string_view(n).substr(0, int_len));
  if (places > 0) {
    out += ',';
    out.append(n, int_len, std::string::npos);
  }
  return out;
}

}  // namespace

// -----------------------------------------------------------------------------------------

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (!decode_utf8(s, i)) return false;
  }
  return true;
}

Result<std::string> normalize(std::string_view utf8, bool collapse_space) {
  size_t i = 0;
  bool ascii = true;
  while (i < utf8.size()) {
    const auto cp = decode_utf8(utf8, i);
    if (!cp) return fail(ErrorKind::invalid, "Văn bản không hợp lệ (UTF-8)");
    if (is_refused_control(*cp))
      return fail(ErrorKind::invalid, "Văn bản chứa ký tự điều khiển không được phép");
    if (*cp >= 0x80) ascii = false;
  }
  if (ascii) return fold_space(utf8, collapse_space);

  const icu::Normalizer2& n = nfc();
  UErrorCode status = U_ZERO_ERROR;
  const icu::StringPiece piece(utf8.data(), static_cast<int32_t>(utf8.size()));
  if (n.isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return fold_space(utf8, collapse_space);
  status = U_ZERO_ERROR;
  std::string composed;
  composed.reserve(utf8.size());
  icu::StringByteSink<std::string> sink(&composed);
  n.normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status)) return fail(ErrorKind::invalid, "Văn bản không hợp lệ (UTF-8)");
  return fold_space(composed, collapse_space);
}

std::string sort_key_part(std::string_view utf8) {
  const icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::Collator& c = collator();
  std::array<uint8_t, 256> stack{};
  int32_t len = c.getSortKey(u, stack.data(), static_cast<int32_t>(stack.size()));
  if (len <= static_cast<int32_t>(stack.size())) return hex(stack.data(), static_cast<size_t>(len));
  std::vector<uint8_t> heap(static_cast<size_t>(len));
  len = c.getSortKey(u, heap.data(), len);
  return hex(heap.data(), static_cast<size_t>(len));
}

std::string name_sort_key(std::string_view family, std::string_view middle, std::string_view given) {
  // Each part key ends with "00" and has no other 00 byte: concatenation compares given
  // first, then middle, then family (see text.hpp).
  std::string key = sort_key_part(given);
  key += sort_key_part(middle);
  key += sort_key_part(family);
  return key;
}

namespace detail {
std::string search_fold_icu(std::string_view utf8) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  folder().transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return finish_fold(out);
}
}  // namespace detail

std::string search_fold(std::string_view utf8) {
  if (auto fast = search_fold_fast(utf8)) return std::move(*fast);
  return detail::search_fold_icu(utf8);
}

std::string like_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 4);
  for (char ch : s) {
    if (ch == '\\' || ch == '%' || ch == '_') out += '\\';
    out += ch;
  }
  return out;
}

std::string search_pattern(std::string_view query) {
  return "%" + like_escape(search_fold(query)) + "%";
}

std::string collation_version() {
  UVersionInfo v;
  collator().getVersion(v);
  char buf[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(v, buf);
  return buf;
}

std::optional<int64_t> parse_whole(std::string_view s, int64_t lo, int64_t hi) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<int64_t> parse_grouped(std::string_view s, std::string_view separators) {
  std::string t(s);
  for (size_t at = t.find("\xC2\xA0"); at != std::string::npos; at = t.find("\xC2\xA0")) t.replace(at, 2, " ");
  const size_t first = t.find_first_not_of(' '), last = t.find_last_not_of(' ');
  if (first == std::string::npos) return std::nullopt;
  std::string_view v(t.data() + first, last - first + 1);
  std::string digits;
  char sep = 0;
  size_t group = 0;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      digits += c;
      ++group;
      continue;
    }
    if (separators.find(c) == std::string_view::npos || (sep != 0 && c != sep)) return std::nullopt;
    // The group just ended: the first has one to three digits and does not start with 0, the
    // others three.
    if (sep == 0 ? group < 1 || group > 3 || digits.front() == '0' : group != 3) return std::nullopt;
    sep = c;
    group = 0;
  }
  if (digits.empty() || (sep != 0 && group != 3) || digits.size() > 18) return std::nullopt;
  return std::stoll(digits);
}

std::string format_int(int64_t n) { return format_int(n, '.'); }

std::string format_int(int64_t n, char separator) {
  // Magnitude in unsigned arithmetic: -INT64_MIN does not fit in int64_t.
  const uint64_t mag = n < 0 ? uint64_t{0} - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, mag);
  std::string out = n < 0 ? "-" : "";
  out += group_thousands(std::string_view(buf, static_cast<size_t>(res.ptr - buf)), separator);
  return out;
}

std::string format_decimal(double v, int places) { return format_scaled(v, places, 0); }

std::string format_percent(double ratio, int places) {
  if (!std::isfinite(ratio)) return "\u2014";
  return format_scaled(ratio, places, 2) + "%";
}

std::string format_vnd(int64_t vnd) { return format_int(vnd) + " \u20AB"; }

std::string format_date(std::string_view iso) {
  const auto digits = [&](size_t from, size_t count) {
    for (size_t k = from; k < from + count; ++k)
      if (iso[k] < '0' || iso[k] > '9') return false;
    return true;
  };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' || !digits(0, 4) || !digits(5, 2) ||
      !digits(8, 2))
    return std::string(iso);
  const auto num = [&](size_t from, size_t count) {
    int v = 0;
    for (size_t k = from; k < from + count; ++k) v = v * 10 + (iso[k] - '0');
    return v;
  };
  const std::chrono::year_month_day ymd{std::chrono::year(num(0, 4)),
                                        std::chrono::month(static_cast<unsigned>(num(5, 2))),
                                        std::chrono::day(static_cast<unsigned>(num(8, 2)))};
  if (!ymd.ok()) return std::string(iso);
  std::string out;
  out.reserve(10);
  out.append(iso.substr(8, 2)).append("/").append(iso.substr(5, 2)).append("/").append(iso.substr(0, 4));
  return out;
}

Result<std::string> clean_field(std::string_view raw, const std::string& field, const std::string& label, size_t max_chars,
                                bool keep_lines) {
  auto n = normalize(raw, !keep_lines);
  if (!n) return fail(ErrorKind::invalid, label + ": " + n.error().message, field);
  if (utf8_chars(*n) > max_chars)
    return fail(ErrorKind::invalid, label + " quá dài (tối đa " + format_int(static_cast<int64_t>(max_chars)) + " ký tự)", field);
  return *n;
}

size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string upper(std::string_view utf8) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  u.toUpper(icu::Locale("vi"));
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace chidoan::text
