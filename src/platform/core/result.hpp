// Expected failures as values. Every fallible operation in chidoan returns Result<T>;
// exceptions are reserved for bugs and broken infrastructure and are caught at the request
// boundary.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace chidoan {

// What went wrong, in the terms the caller can act on. One function (http::status_for)
// maps a kind to an HTTP status; one renderer shows it as JSON or an HTML fragment.
enum class ErrorKind {
  invalid,        // input failed validation (400/422): `field` names the offending field
  not_found,      // no such object, or not visible to this user (404)
  conflict,       // duplicate or state conflict, e.g. CCCD already used (409)
  unauthenticated,// no valid session or token (401)
  forbidden,      // authenticated but the policy refuses (403)
  too_large,      // body or upload above the limit (413)
  rate_limited,   // throttled (429)
  unavailable,    // storage or another dependency failed (503)
  internal,       // a bug (500)
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  // human readable; Vietnamese for anything shown in the UI
  std::string field;    // the input field (or JSON path) at fault, empty if none
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message, std::string field = {}) {
  return std::unexpected(Error{kind, std::move(message), std::move(field)});
}

inline const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid: return "invalid";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::unauthenticated: return "unauthenticated";
    case ErrorKind::forbidden: return "forbidden";
    case ErrorKind::too_large: return "too_large";
    case ErrorKind::rate_limited: return "rate_limited";
    case ErrorKind::unavailable: return "unavailable";
    case ErrorKind::internal: return "internal";
  }
  return "internal";
}

// Propagates the error of a Result expression, otherwise yields its value.
#define CHIDOAN_TRY(var, expr)                               \
  auto var##_result_ = (expr);                               \
  if (!var##_result_) return std::unexpected(var##_result_.error()); \
  auto& var = *var##_result_

// Propagates the error of a Result<void> (or any Result whose value is not needed). Each use
// gets its own variable name, so uses nested in lambdas do not shadow each other.
#define CHIDOAN_TRY_VOID(expr) CHIDOAN_TRY_VOID_IMPL_(expr, CHIDOAN_CAT_(try_result_, __COUNTER__))
#define CHIDOAN_CAT_(a, b) CHIDOAN_CAT2_(a, b)
#define CHIDOAN_CAT2_(a, b) a##b
#define CHIDOAN_TRY_VOID_IMPL_(expr, name)                   \
  do {                                                       \
    auto name = (expr);                                      \
    if (!name) return std::unexpected(name.error());         \
  } while (0)

}  // namespace chidoan
