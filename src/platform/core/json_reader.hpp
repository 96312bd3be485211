// Reading JSON documents we did not write (bundles, imports): every accessor checks the type,
// and every error names the JSON path of the offending value in Error::field ("$.members[3].cccd").
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/core/date.hpp"
#include "platform/core/result.hpp"

namespace chidoan {

// A view of one JSON value and its path. The value must outlive the reader.
struct JsonReader {
  std::string path;
  const nlohmann::json& j;

  // Every key of the object is one of `keys` (unknown fields are errors, so typos are not lost).
  Result<void> only(std::initializer_list<const char*> keys) const {
    if (!j.is_object()) return fail(ErrorKind::invalid, "phải là một đối tượng", path);
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = false;
      for (const char* k : keys) known = known || it.key() == k;
      if (!known) return fail(ErrorKind::invalid, "trường không được hỗ trợ", path + "." + it.key());
    }
    return {};
  }
  // A string; absent or null is "" unless required.
  Result<std::string> str(const char* key, bool required) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return fail(ErrorKind::invalid, "thiếu trường bắt buộc", path + "." + key);
      return std::string();
    }
    if (!it->is_string()) return fail(ErrorKind::invalid, "phải là chuỗi", path + "." + key);
    return it->get<std::string>();
  }
  // An ISO date "YYYY-MM-DD"; absent or null is "" unless required.
  Result<std::string> date(const char* key, bool required) const {
    CHIDOAN_TRY(s, str(key, required));
    if (!s.empty() && !parse_date(s)) return fail(ErrorKind::invalid, "ngày không hợp lệ (YYYY-MM-DD): " + s, path + "." + key);
    return s;
  }
  Result<int64_t> integer(const char* key) const {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return fail(ErrorKind::invalid, "phải là số nguyên", path + "." + key);
    return it->get<int64_t>();
  }
  Result<std::optional<int64_t>> opt_integer(const char* key) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::optional<int64_t>();
    if (!it->is_number_integer()) return fail(ErrorKind::invalid, "phải là số nguyên", path + "." + key);
    return std::optional<int64_t>(it->get<int64_t>());
  }
  // A boolean; absent is false.
  Result<bool> boolean(const char* key) const {
    auto it = j.find(key);
    if (it == j.end()) return false;
    if (!it->is_boolean()) return fail(ErrorKind::invalid, "phải là true hoặc false", path + "." + key);
    return it->get<bool>();
  }
  // An array; absent is empty.
  Result<const nlohmann::json*> array(const char* key) const {
    static const nlohmann::json empty = nlohmann::json::array();
    auto it = j.find(key);
    if (it == j.end()) return &empty;
    if (!it->is_array()) return fail(ErrorKind::invalid, "phải là một mảng", path + "." + key);
    return &*it;
  }
  // The reader of element i of the array `key` (REQUIRES: array(key) succeeded).
  JsonReader element(const char* key, size_t i) const {
    return JsonReader{path + "." + key + "[" + std::to_string(i) + "]", j.at(key).at(i)};
  }
};

}  // namespace chidoan
