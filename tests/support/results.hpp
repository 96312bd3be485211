// Small helpers for tests over Result<T>.
#pragma once

#include "platform/core/result.hpp"

namespace chidoan::testing {

// Keeps the error, drops the value (libstdc++ 12's std::expected has no transform()), so a
// store call can be the body of Connection::transaction.
template <typename T>
Result<void> ignore_value(const Result<T>& r) {
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace chidoan::testing
