// Vietnamese text: normalisation, sort keys, accent-insensitive search keys, and the one
// place where numbers, money and dates are formatted for people.
// Thread-safety: every function is safe to call from any thread (ICU objects are per thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace chidoan::text {

// Unicode NFC of valid UTF-8. Invalid UTF-8 -> ErrorKind::invalid (field left empty for the
// caller to fill). Trims leading/trailing white space and folds inner runs to one space
// when `collapse_space` is true.
Result<std::string> normalize(std::string_view utf8, bool collapse_space = true);

// ICU "vi" collation sort key of one name part, as lower-case hex (so byte order == collation
// order on both engines).
std::string sort_key_part(std::string_view utf8);
// The member sort key: given name, then middle, then family, each part's key separated so
// that "An" sorts before "Anh" whatever follows.
std::string name_sort_key(std::string_view family, std::string_view middle, std::string_view given);

// Accent-insensitive search form: Any-Latin; Latin-ASCII; Lower, with đ/Đ -> d.
// "Phan Văn Sang" -> "phan van sang"; "Đức" -> "duc".
std::string search_fold(std::string_view utf8);

// Vietnamese style: thousands with '.', decimals with ','.
std::string format_int(int64_t n);                  // 47416 -> "47.416"
std::string format_decimal(double v, int places);   // 47.638 , 2 -> "47,64"
std::string format_percent(double ratio, int places);  // 0.4764 -> "47,64%"
std::string format_vnd(int64_t vnd);                // 130000000 -> "130.000.000 ₫"
// ISO "YYYY-MM-DD" -> "dd/mm/yyyy"; returns the input unchanged if it is not an ISO date.
std::string format_date(std::string_view iso);

}  // namespace chidoan::text
