// Plain types of authentication: roles, the signed-in principal, settings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chidoan::auth {

// What a user may do is decided by role × action × org scope (policy.hpp).
enum class Role {
  system_admin,      // quản trị hệ thống: everything everywhere
  org_manager,       // cán bộ Đoàn cấp trên: the subtree rooted at the user's org
  branch_secretary,  // Bí thư / BCH chi đoàn: the user's own branch
  member,            // đoàn viên: own profile, own branch's roll
};

// "system_admin", ...: the spelling stored in users.role.
std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view s);

// A task given to a user for an org's subtree on top of their role (user_grants): the people
// a committee appoints, whatever their role, e.g. the coordinators of a blood-donation club.
// Grants are explicit: even a system admin needs one to act under it (policy.hpp).
enum class Grant {
  blood_coordinator,  // điều phối viên CLB hiến máu: roster, phones, emergency requests
  desk_coordinator,   // điều phối viên bàn hướng dẫn dịch vụ công: roster, log, dossier figures
  ideas_moderator,    // người kiểm duyệt diễn đàn ý tưởng: hide and restore ideas and comments
};
inline constexpr Grant kAllGrants[] = {Grant::blood_coordinator, Grant::desk_coordinator, Grant::ideas_moderator};
// "blood_coordinator", ...: the spelling stored in user_grants.grant_name.
std::string_view grant_name(Grant g);
std::optional<Grant> parse_grant(std::string_view s);

struct GrantOn {
  Grant grant;
  int64_t org_id;  // the root of the subtree the grant covers
  friend bool operator==(const GrantOn&, const GrantOn&) = default;
};

// The signed-in user of one request, from a session cookie or an API token.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::member;
  int64_t org_id = 0;                 // root of the user's scope
  std::optional<int64_t> member_id;   // the user's own member profile, if any
  std::string display_name;
  std::string lang;                   // "vi" or "en"
  std::string csrf_token;             // empty for API tokens (no cookies, no CSRF)
  bool via_token = false;
  std::vector<GrantOn> grants;        // from user_grants, loaded with the session or token
};

// argon2id cost. interactive() in production (64 MiB, ~0.1–0.5 s); min() only in tests.
struct HashParams {
  unsigned long long opslimit = 0;
  size_t memlimit = 0;
  static HashParams interactive();
  static HashParams min();
  friend bool operator==(const HashParams&, const HashParams&) = default;
};

// Every tunable of AuthStore, with the product's values as defaults.
struct AuthConfig {
  HashParams hash = HashParams::interactive();
  int64_t session_idle_seconds = 12 * 3600;       // sliding lifetime
  int64_t session_max_seconds = 7 * 24 * 3600;    // absolute lifetime from login
  int64_t touch_interval_seconds = 60;            // last_seen_at written at most this often
  int64_t throttle_window_seconds = 15 * 60;
  int account_failure_limit = 5;                  // failures per username in the window
  int address_failure_limit = 20;                 // failures per IP address in the window
  int64_t attempts_retention_seconds = 30 * 24 * 3600;  // purge() keeps attempts this long
};

// Input of AuthStore::create_user. username and password are validated by rules.hpp.
struct NewUser {
  std::string username;
  std::string password;
  Role role = Role::member;
  int64_t org_id = 0;
  std::optional<int64_t> member_id;
  std::string display_name;   // defaults to the username when blank
  std::string lang = "vi";    // "vi" or "en"
};

struct LoginResult {
  std::string session_token;  // the cookie value; only its SHA-256 is stored
  std::string csrf_token;
  Principal principal;
};

// An API token as listed to its owner (the secret itself is shown only once, at creation).
struct ApiTokenInfo {
  int64_t id = 0;
  std::string name;
  int64_t created_at = 0;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};

// Who performs a write, for the audit log: the principal (if signed in) and the request.
struct Actor {
  std::optional<int64_t> user_id;
  std::string username;
  std::string request_id;
  std::string ip;
  static Actor of(const Principal& p, std::string request_id = {}, std::string ip = {}) {
    return Actor{p.user_id, p.username, std::move(request_id), std::move(ip)};
  }
  // Command-line tools and bootstrap code.
  static Actor system(std::string what = "system") { return Actor{std::nullopt, std::move(what), {}, {}}; }
};

// The session cookie to set or clear; maps one-to-one onto http::Cookie.
struct CookieSpec {
  std::string name;
  std::string value;
  std::string path = "/";
  int64_t max_age = 0;  // seconds; 0 deletes the cookie
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";
};

inline constexpr std::string_view kSessionCookie = "chidoan_session";
inline constexpr std::string_view kApiTokenPrefix = "cd_";

}  // namespace chidoan::auth
