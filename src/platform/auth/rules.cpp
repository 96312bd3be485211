#include "platform/auth/rules.hpp"

#include <sodium.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_set>
#include <utility>

#include "platform/core/assets.hpp"

namespace chidoan::auth {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::system_admin: return "system_admin";
    case Role::org_manager: return "org_manager";
    case Role::branch_secretary: return "branch_secretary";
    case Role::member: return "member";
  }
  return "member";
}

std::optional<Role> parse_role(std::string_view s) {
  for (Role r : {Role::system_admin, Role::org_manager, Role::branch_secretary, Role::member})
    if (role_name(r) == s) return r;
  return std::nullopt;
}

std::string_view grant_name(Grant g) {
  switch (g) {
    case Grant::blood_coordinator: return "blood_coordinator";
    case Grant::desk_coordinator: return "desk_coordinator";
    case Grant::ideas_moderator: return "ideas_moderator";
  }
  return "unknown";
}

std::optional<Grant> parse_grant(std::string_view s) {
  for (Grant g : kAllGrants)
    if (grant_name(g) == s) return g;
  return std::nullopt;
}

HashParams HashParams::interactive() {
  return HashParams{crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
HashParams HashParams::min() { return HashParams{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

void ensure_sodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) {
    std::fputs("chidoan: libsodium failed to initialise\n", stderr);
    std::abort();
  }
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool username_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

auto invalid_password(std::string message) { return fail(ErrorKind::invalid, std::move(message), "password"); }

const std::unordered_set<std::string>& common_passwords() {
  static const std::unordered_set<std::string> set = [] {
    std::unordered_set<std::string> s;
    auto data = assets::find("data/common/common-passwords.txt");
    if (!data) return s;  // checked by a test; an empty set only weakens the policy
    std::string_view rest = *data;
    while (!rest.empty()) {
      size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) s.insert(ascii_lower(line));
    }
    return s;
  }();
  return set;
}

}  // namespace

Result<std::string> normalize_username(std::string_view raw) {
  std::string name = ascii_lower(trim(raw));
  bool ok = name.size() >= 3 && name.size() <= 32 && std::all_of(name.begin(), name.end(), username_char);
  if (!ok)
    return fail(ErrorKind::invalid,
                "Tên đăng nhập phải dài 3–32 ký tự, chỉ gồm chữ cái không dấu, chữ số, dấu chấm, "
                "gạch dưới hoặc gạch ngang",
                "username");
  return name;
}

std::string loggable_username(std::string_view raw) {
  if (auto n = normalize_username(raw)) return *n;
  std::string out;
  for (char c : trim(raw).substr(0, 64)) {
    char l = ascii_lower(c);
    out.push_back(username_char(l) || l == '@' ? l : '?');
  }
  return out;
}

std::optional<size_t> utf8_length(std::string_view s) {
  size_t count = 0;
  size_t i = 0;
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    unsigned char c = byte(i);
    size_t n;
    uint32_t cp;
    if (c < 0x80) { n = 1; cp = c; }
    else if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
    else return std::nullopt;
    if (i + n > s.size()) return std::nullopt;
    for (size_t k = 1; k < n; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += n;
    ++count;
  }
  return count;
}

Result<std::string> prepare_password(std::string_view raw) {
  if (!utf8_length(raw)) return invalid_password("Mật khẩu chứa ký tự không hợp lệ");
  bool ascii = std::all_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return std::string(raw);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return fail(ErrorKind::internal, "ICU NFC normaliser unavailable");
  icu::UnicodeString src = icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
  icu::UnicodeString dst = nfc->normalize(src, status);
  if (U_FAILURE(status)) return invalid_password("Mật khẩu chứa ký tự không hợp lệ");
  std::string out;
  dst.toUTF8String(out);
  return out;
}

bool is_common_password(std::string_view password) {
  return common_passwords().contains(ascii_lower(password));
}

Result<void> check_password(std::string_view password, std::string_view username) {
  auto len = utf8_length(password);
  if (!len) return invalid_password("Mật khẩu chứa ký tự không hợp lệ");
  if (*len < kMinPasswordLength) return invalid_password("Mật khẩu phải có ít nhất 10 ký tự");
  if (*len > kMaxPasswordLength) return invalid_password("Mật khẩu không được dài quá 256 ký tự");
  if (is_common_password(password))
    return invalid_password("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác");
  if (!username.empty() && ascii_lower(trim(password)) == ascii_lower(trim(username)))
    return invalid_password("Mật khẩu không được trùng với tên đăng nhập");
  return {};
}

Result<std::string> hash_password(std::string_view password, const HashParams& params) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), params.opslimit, params.memlimit) != 0)
    return fail(ErrorKind::unavailable, "Không đủ bộ nhớ để băm mật khẩu");
  return std::string(out);
}

bool verify_password(std::string_view password, const std::string& hash) {
  ensure_sodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& hash, const HashParams& params) {
  ensure_sodium();
  return crypto_pwhash_str_needs_rehash(hash.c_str(), params.opslimit, params.memlimit) != 0;
}

const std::string& dummy_hash(const HashParams& params) {
  static std::mutex mu;
  static std::map<std::pair<unsigned long long, size_t>, std::string> cache;
  std::lock_guard lock(mu);
  auto key = std::make_pair(params.opslimit, params.memlimit);
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto h = hash_password(random_token(), params);
    // Out of memory here would fail the real verification too; an empty string makes
    // verify_password return false at once, which is the safe answer.
    it = cache.emplace(key, h ? *h : std::string{}).first;
  }
  return it->second;
}

std::string random_token() {
  ensure_sodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(out);
}

std::string new_api_token() { return std::string(kApiTokenPrefix) + random_token(); }

std::string token_hash(std::string_view token) {
  ensure_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

bool csrf_equal(std::string_view expected, std::string_view presented) {
  ensure_sodium();
  if (expected.empty() || expected.size() != presented.size()) return false;
  return sodium_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

int64_t session_expiry(int64_t created_at, int64_t seen, const AuthConfig& cfg) {
  return std::min(seen + cfg.session_idle_seconds, created_at + cfg.session_max_seconds);
}

SessionCheck check_session(const SessionTimes& s, int64_t now, const AuthConfig& cfg) {
  SessionCheck c;
  c.expires_at = std::min(s.expires_at, s.created_at + cfg.session_max_seconds);
  c.valid = now < c.expires_at;
  if (c.valid && now - s.last_seen_at >= cfg.touch_interval_seconds) {
    c.refresh = true;
    c.expires_at = session_expiry(s.created_at, now, cfg);
  }
  return c;
}

CookieSpec session_cookie(std::string_view token, bool is_secure, const AuthConfig& cfg) {
  CookieSpec c;
  c.name = std::string(kSessionCookie);
  c.value = std::string(token);
  // The browser may keep the cookie for the absolute lifetime; the server enforces the
  // sliding idle limit.
  c.max_age = cfg.session_max_seconds;
  c.secure = is_secure;
  return c;
}

CookieSpec expired_session_cookie(bool is_secure) {
  CookieSpec c;
  c.name = std::string(kSessionCookie);
  c.max_age = 0;
  c.secure = is_secure;
  return c;
}

std::optional<int64_t> throttle_wait(std::span<const int64_t> recent_failures, int limit,
                                     int64_t window_seconds, int64_t now) {
  if (limit <= 0 || recent_failures.size() < static_cast<size_t>(limit)) return std::nullopt;
  int64_t oldest_counted = recent_failures[static_cast<size_t>(limit) - 1];
  int64_t wait = oldest_counted + window_seconds - now;
  if (wait <= 0) return std::nullopt;
  return wait;
}

std::string throttle_message(int64_t wait_seconds) {
  int64_t minutes = std::max<int64_t>(1, (wait_seconds + 59) / 60);
  return "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau " + std::to_string(minutes) + " phút.";
}

}  // namespace chidoan::auth
