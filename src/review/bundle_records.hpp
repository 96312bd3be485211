// What the review module's bundle sections (awards, rating, classification) share: reading an
// array of records from a section, and checking an org code while validating.
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include "org/bundle.hpp"
#include "platform/core/bundle.hpp"
#include "platform/core/json_reader.hpp"

namespace chidoan::review {

// The names the sections' code uses.
using nlohmann::json;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

// Every element of the array `key` of `r` (absent: none), each read by `read` (a function of a
// JsonReader giving a Result); the first error stops, naming its JSON path.
template <class Read>
auto records(const JsonReader& r, const char* key, Read read)
    -> Result<std::vector<typename std::invoke_result_t<Read, const JsonReader&>::value_type>> {
  CHIDOAN_TRY(list, r.array(key));
  std::vector<typename std::invoke_result_t<Read, const JsonReader&>::value_type> out;
  for (size_t i = 0; i < list->size(); ++i) {
    CHIDOAN_TRY(x, read(r.element(key, i)));
    out.push_back(std::move(x));
  }
  return out;
}

// A section as dumped: {key: records}, or null when there are none (the section is left out).
inline nlohmann::json section_of(const char* key, nlohmann::json records) {
  return records.empty() ? nlohmann::json(nullptr) : nlohmann::json{{key, std::move(records)}};
}

// While validating a section: the org `code` is one the bundle brings or one already in the
// database; invalid on `path` otherwise.
inline Result<void> known_org(db::Connection& conn, const chidoan::bundle::Known& known, const std::string& code, const std::string& path) {
  if (known.org_codes.contains(code)) return {};
  CHIDOAN_TRY_VOID(org::bundle::org_ref(conn, {}, code, path));
  return {};
}

}  // namespace chidoan::review
