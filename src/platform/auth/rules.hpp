// Pure rules of authentication: username and password policy, hashing, tokens, session
// lifetime, throttling arithmetic, cookies. No SQL and no clock: times are passed in.
// Randomness comes from libsodium (randombytes_buf), the one exception to "pure".
//
// Thread-safety: every function may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "platform/auth/model.hpp"
#include "platform/core/result.hpp"

namespace chidoan::auth {

// Initialises libsodium once; aborts (a broken installation is a bug, not an input error)
// if it cannot. Every function here calls it; call it yourself before using sodium directly.
void ensure_sodium();

// ---- usernames and passwords --------------------------------------------------------------

// Trims white space and lower-cases; the result must match [a-z0-9._-]{3,32}.
// Otherwise ErrorKind::invalid with field "username".
Result<std::string> normalize_username(std::string_view raw);

// A printable, bounded form of whatever was typed as a username, for login_attempts and the
// audit log (which must never receive invalid UTF-8 or megabytes of text).
std::string loggable_username(std::string_view raw);

// Passwords are hashed and checked in Unicode NFC, so that a Vietnamese passphrase typed
// with composed or decomposed marks (different keyboards) is the same password.
// Invalid UTF-8 -> ErrorKind::invalid, field "password".
Result<std::string> prepare_password(std::string_view raw);

// The number of Unicode code points of valid UTF-8; nullopt if not valid UTF-8.
std::optional<size_t> utf8_length(std::string_view s);

// True if `password` (any case) is one of the 1,000 most common passwords in
// data/common/common-passwords.txt (the top 1,000 of the ranked password list of zxcvbn
// 4.4.2, npm, MIT; itself from Mark Burnett's 10-million-password corpus).
bool is_common_password(std::string_view password);

inline constexpr size_t kMinPasswordLength = 10;   // code points
inline constexpr size_t kMaxPasswordLength = 256;  // code points; bounds hashing work

// The password policy: at least 10 characters, at most 256, not common, not the username.
// Errors are ErrorKind::invalid with a Vietnamese message and field "password".
Result<void> check_password(std::string_view password, std::string_view username);

// argon2id (crypto_pwhash_str): the self-describing "$argon2id$v=19$m=…" string.
// Out of memory -> ErrorKind::unavailable.
Result<std::string> hash_password(std::string_view password, const HashParams& params);
// Constant-time verification against a stored hash; false for a malformed hash.
bool verify_password(std::string_view password, const std::string& hash);
// True if `hash` was made with other parameters than `params` (rehash on next login).
bool needs_rehash(const std::string& hash, const HashParams& params);
// A valid hash of a random password, made once per parameter set: verifying against it
// costs what a real verification costs, so unknown usernames take as long as known ones.
const std::string& dummy_hash(const HashParams& params);

// ---- tokens -------------------------------------------------------------------------------

// 32 random bytes, base64url without padding (43 characters).
std::string random_token();
// A new API token: "cd_" + random_token().
std::string new_api_token();
// Lower-case hex SHA-256 of the token text: what the database stores.
std::string token_hash(std::string_view token);
// Constant-time equality (sodium_memcmp); false when the lengths differ or either is empty.
bool csrf_equal(std::string_view expected, std::string_view presented);

// ---- sessions -----------------------------------------------------------------------------

struct SessionTimes {
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;
};

struct SessionCheck {
  bool valid = false;
  bool refresh = false;        // write last_seen_at = now and expires_at below
  int64_t expires_at = 0;      // the (possibly slid) expiry
};

// Expiry of a session last seen at `seen`: seen + idle, capped at created + max.
int64_t session_expiry(int64_t created_at, int64_t seen, const AuthConfig& cfg);
// Is the session alive at `now`, and is it time to slide it (at most once per interval)?
SessionCheck check_session(const SessionTimes& s, int64_t now, const AuthConfig& cfg);

CookieSpec session_cookie(std::string_view token, bool is_secure, const AuthConfig& cfg);
CookieSpec expired_session_cookie(bool is_secure);

// ---- throttling ---------------------------------------------------------------------------

// `recent_failures` are the times of failures inside the window, newest first (at most
// `limit` of them are needed). If there are `limit` or more, the seconds until the oldest
// of the newest `limit` leaves the window (>= 1); otherwise nullopt (not throttled).
std::optional<int64_t> throttle_wait(std::span<const int64_t> recent_failures, int limit,
                                     int64_t window_seconds, int64_t now);
// "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 7 phút." (minutes rounded up).
std::string throttle_message(int64_t wait_seconds);

inline constexpr std::string_view kBadCredentials = "Tên đăng nhập hoặc mật khẩu không đúng";

}  // namespace chidoan::auth
