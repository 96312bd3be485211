#include "platform/auth/store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

#include "platform/auth/audit.hpp"
#include "platform/auth/rules.hpp"

namespace chidoan::auth {

namespace {

using nlohmann::json;

// The user columns read into a Principal, prefixed "u." so they can follow other columns.
constexpr const char* kUserColumns =
    "u.id, u.username, u.role, u.org_id, u.member_id, u.display_name, u.lang, u.disabled";
constexpr size_t kUserColumnCount = 8;

struct UserRow {
  Principal principal;
  bool disabled = false;
};

UserRow read_user(const db::Row& r, size_t at) {
  UserRow u;
  u.principal.user_id = r.i64(at);
  u.principal.username = r.str(at + 1);
  u.principal.role = parse_role(r.str(at + 2)).value_or(Role::member);
  u.principal.org_id = r.i64(at + 3);
  u.principal.member_id = r.opt_i64(at + 4);
  u.principal.display_name = r.str(at + 5);
  u.principal.lang = r.str(at + 6);
  u.disabled = r.i64(at + 7) != 0;
  return u;
}

// A user's row with `columns` of `table` (joined on `user_key`) where `where`, one row per grant
// of the user — the grant's name and org at the end, NULL for a user without grants — so that a
// request's sign-in is one statement. The grants come in the order of the unique index on
// (user, name, org), so the statement needs no sort.
std::string with_grants(std::string_view columns, std::string_view table, std::string_view user_key, std::string_view where) {
  std::string sql = "SELECT ";
  sql.append(kUserColumns).append(", ").append(columns).append(", g.grant_name, g.org_id FROM ").append(table);
  sql.append(" JOIN users u ON u.id = ").append(user_key);
  sql.append(" LEFT JOIN user_grants g ON g.user_id = u.id WHERE ").append(where).append(" ORDER BY g.grant_name, g.org_id");
  return sql;
}

// The grants of with_grants()'s rows, their name at column `at`.
void read_grants(const std::vector<db::Row>& rows, size_t at, Principal& p) {
  p.grants.clear();
  for (const auto& r : rows)
    if (!r.is_null(at))
      if (auto g = parse_grant(r.str(at))) p.grants.push_back(GrantOn{*g, r.i64(at + 1)});
}

auto unauthenticated(std::string message = "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.") {
  return fail(ErrorKind::unauthenticated, std::move(message));
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

audit::AuditEntry entry(const Actor& actor, std::string action, std::string entity, std::optional<int64_t> id,
                        json detail = json::object()) {
  return audit::AuditEntry{actor.user_id, actor.username, std::move(action), std::move(entity), id,
                           detail.dump(), actor.request_id, actor.ip};
}

}  // namespace

AuthStore::AuthStore(db::Connection& conn, const Clock& clock, AuthConfig cfg)
    : conn_(conn), clock_(clock), cfg_(std::move(cfg)) {}

// ---- users -------------------------------------------------------------------------------

Result<int64_t> AuthStore::create_user(const NewUser& u, const Actor& actor) {
  CHIDOAN_TRY(username, normalize_username(u.username));
  CHIDOAN_TRY(password, prepare_password(u.password));
  CHIDOAN_TRY_VOID(check_password(password, username));
  if (u.role == Role::member && !u.member_id)
    return fail(ErrorKind::invalid, "Tài khoản đoàn viên phải gắn với một hồ sơ đoàn viên", "member_id");
  if (u.lang != "vi" && u.lang != "en") return fail(ErrorKind::invalid, "Ngôn ngữ phải là vi hoặc en", "lang");
  std::string display(trim_blanks(u.display_name));
  if (display.empty()) display = username;
  auto display_len = utf8_length(display);
  if (!display_len || *display_len > 200)
    return fail(ErrorKind::invalid, "Tên hiển thị không hợp lệ (tối đa 200 ký tự)", "display_name");

  // Hash before the transaction: argon2 is slow by design and must not hold the write lock.
  CHIDOAN_TRY(hash, hash_password(password, cfg_.hash));

  int64_t id = 0;
  if (auto tx = conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(org, conn_.query_one("SELECT id FROM orgs WHERE id = ?1", {u.org_id}));
    if (!org) return fail(ErrorKind::invalid, "Tổ chức không tồn tại", "org_id");
    if (u.member_id) {
      CHIDOAN_TRY(member, conn_.query_one("SELECT id FROM members WHERE id = ?1", {*u.member_id}));
      if (!member) return fail(ErrorKind::invalid, "Hồ sơ đoàn viên không tồn tại", "member_id");
    }
    CHIDOAN_TRY(dup, conn_.query_one("SELECT id FROM users WHERE username = ?1", {username}));
    if (dup) return fail(ErrorKind::conflict, "Tên đăng nhập đã được sử dụng", "username");
    CHIDOAN_TRY(new_id, conn_.insert_id(
        "INSERT INTO users (username, password_hash, role, org_id, member_id, display_name, lang, disabled, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8) RETURNING id",
        {username, hash, std::string(role_name(u.role)), u.org_id, db::nullable(u.member_id), display, u.lang,
         clock_.unix_seconds()}));
    id = new_id;
    json detail{{"username", username}, {"role", role_name(u.role)}, {"org_id", u.org_id}};
    if (u.member_id) detail["member_id"] = *u.member_id;
    return audit::record(conn_, clock_, entry(actor, "create_user", "user", id, std::move(detail)));
  }); !tx)
    return std::unexpected(tx.error());
  return id;
}

Result<Principal> AuthStore::load_principal(int64_t user_id) {
  CHIDOAN_TRY(row, conn_.query_one(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = ?1", {user_id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy người dùng");
  Principal p = read_user(*row, 0).principal;
  CHIDOAN_TRY_VOID(load_grants(p));
  return p;
}

Result<void> AuthStore::load_grants(Principal& p) {
  CHIDOAN_TRY(rows, conn_.query("SELECT grant_name, org_id FROM user_grants WHERE user_id = ?1 ORDER BY id", {p.user_id}));
  read_grants(rows, 0, p);
  return {};
}

Result<void> AuthStore::add_grant(int64_t user_id, Grant grant, int64_t org_id, const Actor& actor) {
  return conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(user, conn_.query_one("SELECT disabled FROM users WHERE id = ?1", {user_id}));
    if (!user) return fail(ErrorKind::invalid, "Không tìm thấy người dùng", "user_id");
    if (user->i64(0) != 0) return fail(ErrorKind::invalid, "Tài khoản đã bị khoá", "user_id");
    CHIDOAN_TRY(org, conn_.query_one("SELECT id FROM orgs WHERE id = ?1", {org_id}));
    if (!org) return fail(ErrorKind::invalid, "Không tìm thấy tổ chức", "org_id");
    CHIDOAN_TRY(held, conn_.query_one("SELECT id FROM user_grants WHERE user_id = ?1 AND grant_name = ?2 AND org_id = ?3",
                                      {user_id, std::string(grant_name(grant)), org_id}));
    if (held) return {};
    CHIDOAN_TRY(id, conn_.insert_id("INSERT INTO user_grants (user_id, grant_name, org_id, granted_by, granted_at) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                                    {user_id, std::string(grant_name(grant)), org_id, db::nullable(actor.user_id), clock_.unix_seconds()}));
    return audit::record(conn_, clock_,
                         entry(actor, "add_grant", "user", user_id,
                               json{{"grant", grant_name(grant)}, {"org_id", org_id}, {"grant_id", id}}));
  });
}

Result<void> AuthStore::remove_grant(int64_t user_id, Grant grant, int64_t org_id, const Actor& actor) {
  return conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(n, conn_.execute("DELETE FROM user_grants WHERE user_id = ?1 AND grant_name = ?2 AND org_id = ?3",
                                 {user_id, std::string(grant_name(grant)), org_id}));
    if (n == 0) return fail(ErrorKind::not_found, "Người dùng không giữ nhiệm vụ này", "user_id");
    return audit::record(conn_, clock_,
                         entry(actor, "remove_grant", "user", user_id, json{{"grant", grant_name(grant)}, {"org_id", org_id}}));
  });
}

Result<std::vector<std::pair<int64_t, std::string>>> AuthStore::grant_holders(Grant grant, int64_t org_id) {
  CHIDOAN_TRY(rows, conn_.query("SELECT u.id, u.display_name FROM user_grants g JOIN users u ON u.id = g.user_id "
                                "WHERE g.grant_name = ?1 AND g.org_id = ?2 ORDER BY u.display_name, u.id",
                                {std::string(grant_name(grant)), org_id}));
  std::vector<std::pair<int64_t, std::string>> out;
  for (const auto& r : rows) out.emplace_back(r.i64(0), r.str(1));
  return out;
}

Result<Principal> AuthStore::user(int64_t user_id) { return load_principal(user_id); }

Result<void> AuthStore::write_password(int64_t user_id, std::string_view prepared, const Actor& actor,
                                       std::optional<std::string_view> keep_session, const char* action) {
  CHIDOAN_TRY(p, load_principal(user_id));
  CHIDOAN_TRY_VOID(check_password(prepared, p.username));
  CHIDOAN_TRY(hash, hash_password(prepared, cfg_.hash));
  std::string keep = keep_session ? token_hash(*keep_session) : std::string();
  return conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(conn_.execute("UPDATE users SET password_hash = ?2 WHERE id = ?1", {user_id, hash}));
    CHIDOAN_TRY(ended, conn_.execute("DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2", {user_id, keep}));
    return audit::record(conn_, clock_, entry(actor, action, "user", user_id, json{{"sessions_ended", ended}}));
  });
}

Result<void> AuthStore::set_password(int64_t user_id, std::string_view new_password, const Actor& actor,
                                     std::optional<std::string_view> keep_session) {
  CHIDOAN_TRY(prepared, prepare_password(new_password));
  return write_password(user_id, prepared, actor, keep_session, "set_password");
}

Result<void> AuthStore::change_password(int64_t user_id, std::string_view current_password,
                                        std::string_view new_password, const Actor& actor,
                                        std::optional<std::string_view> keep_session) {
  CHIDOAN_TRY(row, conn_.query_one("SELECT password_hash FROM users WHERE id = ?1", {user_id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy người dùng");
  auto current = prepare_password(current_password);
  if (!current || !verify_password(*current, row->str(0)))
    return fail(ErrorKind::invalid, "Mật khẩu hiện tại không đúng", "current_password");
  CHIDOAN_TRY(prepared, prepare_password(new_password));
  return write_password(user_id, prepared, actor, keep_session, "change_password");
}

Result<void> AuthStore::set_disabled(int64_t user_id, bool disabled, const Actor& actor) {
  return conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(changed, conn_.execute("UPDATE users SET disabled = ?2 WHERE id = ?1", {user_id, int64_t{disabled ? 1 : 0}}));
    if (changed == 0) return fail(ErrorKind::not_found, "Không tìm thấy người dùng");
    int64_t ended = 0;
    if (disabled) {
      CHIDOAN_TRY(n, conn_.execute("DELETE FROM sessions WHERE user_id = ?1", {user_id}));
      ended = n;
    }
    return audit::record(conn_, clock_, entry(actor, disabled ? "disable_user" : "enable_user", "user", user_id,
                                              json{{"sessions_ended", ended}}));
  });
}

// ---- sessions ----------------------------------------------------------------------------

Result<LoginResult> AuthStore::login(std::string_view username, std::string_view password, std::string_view ip,
                                     std::string_view request_id) {
  const int64_t now = clock_.unix_seconds();
  const std::string name = loggable_username(username);
  const std::string addr(ip);

  // Throttle first: a refused attempt costs no hash and reveals nothing about the password.
  const int64_t since = now - cfg_.throttle_window_seconds;
  auto failures = [&](const char* column, const std::string& key, int limit) -> Result<std::optional<int64_t>> {
    CHIDOAN_TRY(rows, conn_.query(std::string("SELECT at FROM login_attempts WHERE ") + column +
                                      " = ?1 AND ok = 0 AND at > ?2 ORDER BY at DESC LIMIT ?3",
                                  {key, since, static_cast<int64_t>(limit)}));
    std::vector<int64_t> times;
    for (const auto& r : rows) times.push_back(r.i64(0));
    return throttle_wait(times, limit, cfg_.throttle_window_seconds, now);
  };
  CHIDOAN_TRY(account_wait, failures("username", name, cfg_.account_failure_limit));
  std::optional<int64_t> address_wait;
  // An empty address (a caller that could not tell) is not throttled as one shared address.
  if (!addr.empty()) {
    CHIDOAN_TRY(w, failures("ip", addr, cfg_.address_failure_limit));
    address_wait = w;
  }
  if (account_wait || address_wait)
    return fail(ErrorKind::rate_limited, throttle_message(std::max(account_wait.value_or(0), address_wait.value_or(0))));

  // Look the user up; whether or not it exists, one argon2 verification is paid.
  std::optional<UserRow> user;
  std::string stored_hash;
  if (auto valid_name = normalize_username(username)) {
    CHIDOAN_TRY(row, conn_.query_one(std::string("SELECT ") + kUserColumns +
                                         ", u.password_hash FROM users u WHERE u.username = ?1",
                                     {*valid_name}));
    if (row) {
      user = read_user(*row, 0);
      stored_hash = row->str(kUserColumnCount);
    }
  }
  auto prepared = prepare_password(password);
  const std::string& against = user ? stored_hash : dummy_hash(cfg_.hash);
  const bool password_ok = verify_password(prepared ? std::string_view(*prepared) : password, against) && user && prepared;

  if (!password_ok || user->disabled) {
    const char* reason = !user ? "unknown_user" : !password_ok ? "bad_password" : "disabled";
    // The actor of a failed attempt is not authenticated: no user id, only the name typed.
    Actor actor{std::nullopt, name, std::string(request_id), addr};
    if (auto tx = conn_.transaction([&]() -> Result<void> {
      CHIDOAN_TRY_VOID(conn_.execute("INSERT INTO login_attempts (username, ip, at, ok) VALUES (?1, ?2, ?3, 0)",
                                     {name, addr, now}));
      return audit::record(conn_, clock_,
                           entry(actor, "login_failed", "user",
                                 user ? std::optional<int64_t>(user->principal.user_id) : std::nullopt,
                                 json{{"reason", reason}}));
    }); !tx)
      return std::unexpected(tx.error());
    if (password_ok && user->disabled)
      return fail(ErrorKind::forbidden, "Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên.");
    return fail(ErrorKind::unauthenticated, std::string(kBadCredentials));
  }

  // Upgrade the hash when the configured cost changed (slow: outside the transaction).
  std::optional<std::string> rehashed;
  if (needs_rehash(stored_hash, cfg_.hash)) {
    if (auto h = hash_password(*prepared, cfg_.hash)) rehashed = *h;
  }

  LoginResult out;
  out.session_token = random_token();
  out.csrf_token = random_token();
  out.principal = user->principal;
  out.principal.csrf_token = out.csrf_token;
  const int64_t uid = user->principal.user_id;
  if (auto tx = conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(conn_.execute("INSERT INTO login_attempts (username, ip, at, ok) VALUES (?1, ?2, ?3, 1)",
                                   {name, addr, now}));
    if (rehashed)
      CHIDOAN_TRY_VOID(conn_.execute("UPDATE users SET password_hash = ?2 WHERE id = ?1", {uid, *rehashed}));
    CHIDOAN_TRY_VOID(conn_.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip) "
        "VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
        {token_hash(out.session_token), uid, out.csrf_token, now, session_expiry(now, now, cfg_), addr}));
    Actor actor{uid, out.principal.username, std::string(request_id), addr};
    json detail = json::object();
    if (rehashed) detail["rehashed"] = true;
    return audit::record(conn_, clock_, entry(actor, "login", "user", uid, std::move(detail)));
  }); !tx)
    return std::unexpected(tx.error());
  return out;
}

Result<Principal> AuthStore::session(std::string_view token) {
  if (token.empty()) return unauthenticated();
  const std::string h = token_hash(token);
  static const std::string sql =
      with_grants("s.csrf_token, s.created_at, s.last_seen_at, s.expires_at", "sessions s", "s.user_id", "s.token_hash = ?1");
  CHIDOAN_TRY(rows, conn_.query(sql, {h}));
  if (rows.empty()) return unauthenticated();
  const db::Row& row = rows.front();
  UserRow u = read_user(row, 0);
  const size_t k = kUserColumnCount;
  SessionTimes times{row.i64(k + 1), row.i64(k + 2), row.i64(k + 3)};
  const int64_t now = clock_.unix_seconds();
  SessionCheck check = check_session(times, now, cfg_);
  if (!check.valid) {
    CHIDOAN_TRY_VOID(conn_.execute("DELETE FROM sessions WHERE token_hash = ?1", {h}));
    return unauthenticated();
  }
  if (u.disabled) return unauthenticated();
  if (check.refresh)
    // Skipped while the database is busy with a write: the session stays valid until
    // expires_at, and the next request refreshes it.
    CHIDOAN_TRY_VOID(conn_.execute_unless_busy("UPDATE sessions SET last_seen_at = ?2, expires_at = ?3 WHERE token_hash = ?1",
                                               {h, now, check.expires_at}));
  u.principal.csrf_token = row.str(k);
  read_grants(rows, k + 4, u.principal);
  return std::move(u.principal);
}

Result<void> AuthStore::logout(std::string_view token, std::string_view request_id, std::string_view ip) {
  if (token.empty()) return {};
  const std::string h = token_hash(token);
  return conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(row, conn_.query_one("SELECT s.user_id, u.username FROM sessions s JOIN users u ON u.id = s.user_id "
                                     "WHERE s.token_hash = ?1",
                                     {h}));
    if (!row) return {};
    CHIDOAN_TRY_VOID(conn_.execute("DELETE FROM sessions WHERE token_hash = ?1", {h}));
    Actor actor{row->i64(0), row->str(1), std::string(request_id), std::string(ip)};
    return audit::record(conn_, clock_, entry(actor, "logout", "user", row->i64(0)));
  });
}

Result<int64_t> AuthStore::logout_everywhere(int64_t user_id, const Actor& actor) {
  int64_t ended = 0;
  if (auto tx = conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(n, conn_.execute("DELETE FROM sessions WHERE user_id = ?1", {user_id}));
    ended = n;
    return audit::record(conn_, clock_, entry(actor, "logout_everywhere", "user", user_id, json{{"sessions_ended", n}}));
  }); !tx)
    return std::unexpected(tx.error());
  return ended;
}

// ---- API tokens --------------------------------------------------------------------------

Result<std::string> AuthStore::create_api_token(int64_t user_id, std::string_view raw_name, const Actor& actor) {
  std::string name(trim_blanks(raw_name));
  auto len = utf8_length(name);
  if (!len || *len == 0 || *len > 100)
    return fail(ErrorKind::invalid, "Tên mã truy cập phải có từ 1 đến 100 ký tự", "name");
  std::string token = new_api_token();
  if (auto tx = conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(user, conn_.query_one("SELECT id FROM users WHERE id = ?1", {user_id}));
    if (!user) return fail(ErrorKind::not_found, "Không tìm thấy người dùng");
    CHIDOAN_TRY(id, conn_.insert_id("INSERT INTO api_tokens (user_id, token_hash, name, created_at) "
                                    "VALUES (?1, ?2, ?3, ?4) RETURNING id",
                                    {user_id, token_hash(token), name, clock_.unix_seconds()}));
    return audit::record(conn_, clock_,
                         entry(actor, "create_api_token", "api_token", id, json{{"user_id", user_id}, {"name", name}}));
  }); !tx)
    return std::unexpected(tx.error());
  return token;
}

Result<Principal> AuthStore::token(std::string_view bearer) {
  bearer = trim_blanks(bearer);
  if (!bearer.starts_with(kApiTokenPrefix) || bearer.size() <= kApiTokenPrefix.size())
    return unauthenticated("Mã truy cập không hợp lệ");
  const std::string h = token_hash(bearer);
  static const std::string sql = with_grants("t.id, t.last_used_at, t.revoked_at", "api_tokens t", "t.user_id", "t.token_hash = ?1");
  CHIDOAN_TRY(rows, conn_.query(sql, {h}));
  if (rows.empty()) return unauthenticated("Mã truy cập không hợp lệ");
  const db::Row& row = rows.front();
  const size_t k = kUserColumnCount;
  UserRow u = read_user(row, 0);
  if (!row.is_null(k + 2)) return unauthenticated("Mã truy cập đã bị thu hồi");
  if (u.disabled) return unauthenticated("Mã truy cập không hợp lệ");
  const int64_t now = clock_.unix_seconds();
  auto last = row.opt_i64(k + 1);
  if (!last || now - *last >= cfg_.touch_interval_seconds)
    CHIDOAN_TRY_VOID(conn_.execute_unless_busy("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1", {row.i64(k), now}));
  u.principal.via_token = true;
  read_grants(rows, k + 3, u.principal);
  return std::move(u.principal);
}

Result<std::vector<ApiTokenInfo>> AuthStore::list_api_tokens(int64_t user_id) {
  CHIDOAN_TRY(rows, conn_.query("SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens "
                                "WHERE user_id = ?1 ORDER BY id",
                                {user_id}));
  std::vector<ApiTokenInfo> out;
  for (const auto& r : rows) out.push_back(ApiTokenInfo{r.i64(0), r.str(1), r.i64(2), r.opt_i64(3), r.opt_i64(4)});
  return out;
}

Result<void> AuthStore::revoke_api_token(int64_t user_id, int64_t token_id, const Actor& actor) {
  return conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(row, conn_.query_one("SELECT revoked_at FROM api_tokens WHERE id = ?1 AND user_id = ?2",
                                     {token_id, user_id}));
    if (!row) return fail(ErrorKind::not_found, "Không tìm thấy mã truy cập");
    if (!row->is_null(0)) return {};
    CHIDOAN_TRY_VOID(conn_.execute("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1", {token_id, clock_.unix_seconds()}));
    return audit::record(conn_, clock_, entry(actor, "revoke_api_token", "api_token", token_id, json{{"user_id", user_id}}));
  });
}

// ---- upkeep ------------------------------------------------------------------------------

Result<int64_t> AuthStore::purge() {
  const int64_t now = clock_.unix_seconds();
  int64_t removed = 0;
  if (auto tx = conn_.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(s, conn_.execute("DELETE FROM sessions WHERE expires_at <= ?1", {now}));
    CHIDOAN_TRY(a, conn_.execute("DELETE FROM login_attempts WHERE at < ?1", {now - cfg_.attempts_retention_seconds}));
    removed = s + a;
    return {};
  }); !tx)
    return std::unexpected(tx.error());
  return removed;
}

}  // namespace chidoan::auth
