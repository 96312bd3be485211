// Users, sessions, API tokens and login throttling in the database (migrations/0002_auth.sql).
//
// AuthStore borrows a Connection and a Clock: both must outlive it. Like the Connection, it
// is used by one thread at a time; create one per request (it is cheap: no I/O in the
// constructor). Every write runs in one transaction together with its audit row.
//
// Errors: bad input -> invalid (with field); wrong credentials, unknown, expired or revoked
// session/token -> unauthenticated; too many failures -> rate_limited; storage -> whatever
// the db layer returned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/auth/model.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::auth {

class AuthStore {
 public:
  AuthStore(db::Connection& conn, const Clock& clock, AuthConfig cfg = {});

  // ---- users ----
  // Validates username, password policy, role/member link and lang; org_id must exist.
  // Duplicate username -> conflict (field "username"). Audited as "create_user".
  Result<int64_t> create_user(const NewUser& u, const Actor& actor);
  // Sets a new password (policy checked) and ends every session of the user except
  // `keep_session` (the caller's own, when users change their own password). Audited.
  Result<void> set_password(int64_t user_id, std::string_view new_password, const Actor& actor,
                            std::optional<std::string_view> keep_session = std::nullopt);
  // As set_password, but the current password must be given (self-service change).
  // A wrong current password -> invalid with field "current_password".
  Result<void> change_password(int64_t user_id, std::string_view current_password,
                               std::string_view new_password, const Actor& actor,
                               std::optional<std::string_view> keep_session = std::nullopt);
  // Disabling ends every session; API tokens stop working while disabled. Audited.
  Result<void> set_disabled(int64_t user_id, bool disabled, const Actor& actor);
  // The user as a principal (no csrf, via_token false); not_found if absent.
  Result<Principal> user(int64_t user_id);

  // ---- sessions ----
  // Throttled per account and per address (AuthConfig); a refused attempt costs no hash
  // and is not counted. Unknown usernames cost one verification against a dummy hash and
  // get the same message as a wrong password. Every verified attempt is recorded in
  // login_attempts and audited ("login" / "login_failed"). The password hash is upgraded
  // when the configured cost changed.
  Result<LoginResult> login(std::string_view username, std::string_view password, std::string_view ip,
                            std::string_view request_id = {});
  // The principal of a live session; slides its expiry (writes at most once per
  // touch_interval). An expired session is deleted. Disabled user -> unauthenticated.
  Result<Principal> session(std::string_view token);
  // Ends one session (no error if it was already gone). Audited when it existed.
  Result<void> logout(std::string_view token, std::string_view request_id = {}, std::string_view ip = {});
  // Ends every session of the user; API tokens are untouched. Returns how many ended.
  Result<int64_t> logout_everywhere(int64_t user_id, const Actor& actor);

  // ---- API tokens ----
  // Returns the token text ("cd_…"), shown to the user once; only its hash is stored.
  // name: 1–100 characters after trimming, else invalid (field "name").
  Result<std::string> create_api_token(int64_t user_id, std::string_view name, const Actor& actor);
  // The principal of a bearer token (the value after "Bearer "). via_token is true and
  // csrf_token empty. last_used_at is written at most once per touch_interval.
  Result<Principal> token(std::string_view bearer);
  Result<std::vector<ApiTokenInfo>> list_api_tokens(int64_t user_id);
  // Revokes one of the user's tokens; not_found if it is not theirs. Idempotent.
  Result<void> revoke_api_token(int64_t user_id, int64_t token_id, const Actor& actor);

  // ---- grants (model.hpp: Grant) ----
  // Gives `grant` over org_id's subtree to the user; idempotent. Audited.
  Result<void> add_grant(int64_t user_id, Grant grant, int64_t org_id, const Actor& actor);
  // Takes it back; not_found if the user does not hold it. Audited.
  Result<void> remove_grant(int64_t user_id, Grant grant, int64_t org_id, const Actor& actor);
  // Who holds `grant` on exactly org_id: (user id, display name), by name.
  Result<std::vector<std::pair<int64_t, std::string>>> grant_holders(Grant grant, int64_t org_id);

  // ---- upkeep ----
  // Deletes expired sessions and login attempts older than the retention. Returns rows removed.
  Result<int64_t> purge();

  const AuthConfig& config() const { return cfg_; }

 private:
  Result<Principal> load_principal(int64_t user_id);
  // Fills p.grants from user_grants.
  Result<void> load_grants(Principal& p);
  Result<void> write_password(int64_t user_id, std::string_view prepared_password, const Actor& actor,
                              std::optional<std::string_view> keep_session, const char* action);

  db::Connection& conn_;
  const Clock& clock_;
  AuthConfig cfg_;
};

}  // namespace chidoan::auth
