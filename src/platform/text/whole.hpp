// Whole numbers typed into forms and query strings, parsed one way everywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace chidoan::text {

// A whole number in decimal digits (an optional leading '-') within [lo, hi]; nullopt for anything
// else: empty, spaces, '+', decimals, out of range.
std::optional<int64_t> parse_whole(std::string_view s, int64_t lo, int64_t hi);

// An amount of money or a count as people type it: digits ("130000000"), or groups of three
// digits after a first group of one to three, all with the same separator, one of `separators`
// (from '.', ',' and ' '; a no-break space counts as a space): "130.000.000", "130 000 000".
// Surrounding spaces are ignored. nullopt for anything else, which the caller refuses naming the
// field: empty, a sign, a decimal part ("200000.00", "1,5"), a group of two or four digits
// ("1.50", "1.0000"), a first group of 0 ("0.125"), two kinds of separator ("1.000,000"), more
// than 18 digits.
std::optional<int64_t> parse_grouped(std::string_view s, std::string_view separators = ".,  ");

}  // namespace chidoan::text
