// A form's, an API body's or an import row's fields as they were typed, name → text, before the
// module's rules validate them into a typed input (org::rules::validate_member, …).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace chidoan {

using RawFields = std::map<std::string, std::string, std::less<>>;

// The field `name` as typed, or "" when it was not sent (the rules treat both as empty).
inline std::string field_of(const RawFields& raw, std::string_view name) {
  auto it = raw.find(name);
  return it == raw.end() ? std::string() : it->second;
}

}  // namespace chidoan
