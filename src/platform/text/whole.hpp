// Whole numbers typed into forms and query strings, parsed one way everywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace chidoan::text {

// A whole number in decimal digits (an optional leading '-') within [lo, hi]; nullopt for anything
// else: empty, spaces, '+', decimals, out of range.
std::optional<int64_t> parse_whole(std::string_view s, int64_t lo, int64_t hi);

}  // namespace chidoan::text
