// Vietnamese text: normalisation, sort keys, accent-insensitive search keys, and the one
// place where numbers, money and dates are formatted for people.
// Thread-safety: every function is safe to call from any thread (ICU objects are per thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace chidoan::text {

// Unicode NFC of valid UTF-8. Invalid UTF-8 (also overlongs and surrogates) and control
// characters other than \t \n \r (C0, DEL, C1) -> ErrorKind::invalid with a Vietnamese
// message (field left empty for the caller to fill). Trims leading/trailing white space
// (ASCII, NBSP and the Unicode space separators) and, when `collapse_space` is true, folds
// inner runs to one ' '; with false, inner white space (line breaks) is kept as it is.
Result<std::string> normalize(std::string_view utf8, bool collapse_space = true);
// A form field as stored: normalize()d (one line unless `keep_lines`), at most `max_chars`
// characters; errors are invalid on `field`, the message starting with `label` ("Tiêu đề quá dài
// (tối đa 200 ký tự)").
Result<std::string> clean_field(std::string_view raw, const std::string& field, const std::string& label, size_t max_chars,
                                bool keep_lines);
// Upper case in Vietnamese ("Chi đoàn Văn phòng" -> "CHI ĐOÀN VĂN PHÒNG"), for document headings.
std::string upper(std::string_view utf8);
// Code points in valid UTF-8.
size_t utf8_chars(std::string_view s);

// ICU "vi" collation sort key of one name part, as lower-case hex (so byte order == collation
// order on both engines; compare with COLLATE "C" on PostgreSQL, plain BINARY on SQLite).
// Vietnamese order: a ă â b c d đ e ê ... o ô ơ ... u ư ...; tones are secondary
// differences (a à ả ã á ạ), case tertiary. The key keeps ICU's final 00 byte ("00" in hex),
// a byte that occurs nowhere else in a key, so no key is a proper prefix of another.
std::string sort_key_part(std::string_view utf8);
// The member sort key: given name (tên), then middle (đệm), then family (họ). It is the plain
// concatenation of the three part keys: thanks to the 00 terminator the first part that
// differs decides, so "An" sorts before "Anh" whatever follows, and "Nguyễn Văn An" and
// "Trần An" are both An's. A tone on the given name is a different given name ("An" < "Án"
// before any family name is looked at), which is how Vietnamese lists are ordered.
std::string name_sort_key(std::string_view family, std::string_view middle, std::string_view given);

// Accent-insensitive search form: Any-Latin; Latin-ASCII; Lower, with đ/Đ -> d.
// "Phan Văn Sang" -> "phan van sang"; "Đức" -> "duc".
// White space runs (also NBSP and other Unicode spaces) become one space, ends are trimmed.
// Invalid UTF-8 is not refused here: bad bytes become U+FFFD (normalize() input first).
std::string search_fold(std::string_view utf8);

// Escapes backslash, '%' and '_' with a backslash, for `LIKE ? ESCAPE '\'` (SQLite and PostgreSQL).
std::string like_escape(std::string_view s);
// The bound value for a "contains" search on a search_text column:
// "%" + like_escape(search_fold(query)) + "%".
std::string search_pattern(std::string_view query);

// Version of the ICU "vi" collator that makes sort keys. Sort keys are only comparable
// with keys from the same version: store it and rebuild sort_key columns when it changes.
std::string collation_version();

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
// Control characters are allowed here; normalize() is the one that refuses them.
bool is_valid_utf8(std::string_view s);

// Vietnamese style: thousands with '.', decimals with ','.
// Rounding is half away from zero on the shortest decimal that reads back as the same
// double (what a person typed or sees): 0.125 -> "0,13", 1.005 -> "1,01", 2.675 -> "2,68",
// -0.5 with 0 places -> "-1". A result that rounds to zero carries no sign ("0,00").
// NaN and infinities (0/0 in a report) print as an em dash "—". `places` is clamped to 0..20.
std::string format_int(int64_t n);                  // 47416 -> "47.416"
std::string format_int(int64_t n, char separator);  // (47416, ',') -> "47,416": English output
std::string format_decimal(double v, int places);   // 47.638 , 2 -> "47,64"
std::string format_percent(double ratio, int places);  // 0.4764 -> "47,64%"
std::string format_vnd(int64_t vnd);                // 130000000 -> "130.000.000 ₫"
// ISO "YYYY-MM-DD" -> "dd/mm/yyyy"; returns the input unchanged if it is not an ISO date.
std::string format_date(std::string_view iso);

namespace detail {
// search_fold() through the ICU transliterator only, without the per-character fast path
// (which must give identical results: the tests compare the two).
std::string search_fold_icu(std::string_view utf8);
}  // namespace detail

}  // namespace chidoan::text
