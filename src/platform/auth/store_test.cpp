// AuthStore and audit on every engine (tests/support/test_db.hpp), with fast argon2 params.
#include "platform/auth/store.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <chrono>

#include "platform/auth/audit.hpp"
#include "platform/auth/rules.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::auth {
namespace {

using namespace std::chrono_literals;

constexpr const char* kGoodPassword = "Tuổi trẻ Lâm Đồng 2021";

class AuthStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    cfg.hash = HashParams::min();
    auto level = conn->insert_id("INSERT INTO org_levels (rank, name) VALUES (?1, ?2) RETURNING id",
                                 {int64_t{0}, std::string("Tỉnh")});
    ASSERT_TRUE(level) << level.error().message;
    auto org = [&](const char* code, std::optional<int64_t> parent) {
      auto id = conn->insert_id("INSERT INTO orgs (code, name, level_id, parent_id, path) VALUES (?1, ?2, ?3, ?4, ?1) RETURNING id",
                                {std::string(code), std::string(code), *level,
                                 parent ? db::Value(*parent) : db::Value(nullptr)});
      EXPECT_TRUE(id) << id.error().message;
      return id.value_or(0);
    };
    root_org = org("LD", std::nullopt);
    branch_org = org("LD-VP", root_org);
    auto m = conn->insert_id(
        "INSERT INTO members (branch_id, family_name, given_name, sort_key, search_text, sex, birth_date, created_at, updated_at) "
        "VALUES (?1, 'Nguyễn', 'An', 'k', 'nguyen an', 'male', '1995-01-01', 0, 0) RETURNING id",
        {branch_org});
    ASSERT_TRUE(m) << m.error().message;
    member_id = *m;
    store = std::make_unique<AuthStore>(*conn, clock, cfg);
  }

  int64_t make_user(const std::string& name, Role role = Role::branch_secretary,
                    const std::string& password = kGoodPassword) {
    NewUser u;
    u.username = name;
    u.password = password;
    u.role = role;
    u.org_id = role == Role::system_admin || role == Role::org_manager ? root_org : branch_org;
    if (role == Role::member) u.member_id = member_id;
    u.display_name = "Người dùng " + name;
    auto id = store->create_user(u, Actor::system("test"));
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  int64_t count(const std::string& sql, const std::vector<db::Value>& params = {}) {
    auto r = conn->query_one(sql, params);
    EXPECT_TRUE(r && *r);
    return r && *r ? (*r)->i64(0) : -1;
  }

  std::vector<std::string> actions(const std::string& entity, std::optional<int64_t> id) {
    auto rows = audit::list(*conn, entity, id, 100);
    EXPECT_TRUE(rows) << rows.error().message;
    std::vector<std::string> out;
    if (rows)
      for (auto it = rows->rbegin(); it != rows->rend(); ++it) out.push_back(it->entry.action);
    return out;  // oldest first
  }

  FixedClock clock{std::chrono::system_clock::time_point{std::chrono::seconds{1'700'000'000}}};
  AuthConfig cfg;
  std::unique_ptr<AuthStore> store;
  int64_t root_org = 0, branch_org = 0, member_id = 0;
};

TEST_P(AuthStoreTest, CreateUserValidates) {
  NewUser u;
  u.username = "  BiThu.VP ";
  u.password = kGoodPassword;
  u.role = Role::branch_secretary;
  u.org_id = branch_org;
  auto id = store->create_user(u, Actor::system());
  ASSERT_TRUE(id) << id.error().message;
  auto p = store->user(*id);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->username, "bithu.vp");
  EXPECT_EQ(p->display_name, "bithu.vp") << "blank display name defaults to the username";
  EXPECT_EQ(p->lang, "vi");
  EXPECT_EQ(p->role, Role::branch_secretary);
  EXPECT_EQ(p->org_id, branch_org);
  EXPECT_FALSE(p->member_id);

  auto expect_error = [&](NewUser n, ErrorKind kind, const std::string& field) {
    auto r = store->create_user(n, Actor::system());
    ASSERT_FALSE(r) << n.username;
    EXPECT_EQ(r.error().kind, kind) << r.error().message;
    EXPECT_EQ(r.error().field, field) << r.error().message;
  };
  NewUser dup = u;
  dup.username = "bithu.vp";
  expect_error(dup, ErrorKind::conflict, "username");
  NewUser bad = u;
  bad.username = "bí thư";
  expect_error(bad, ErrorKind::invalid, "username");
  bad = u;
  bad.username = "other";
  bad.password = "qwertyuiop";
  expect_error(bad, ErrorKind::invalid, "password");
  bad.password = "short";
  expect_error(bad, ErrorKind::invalid, "password");
  bad.password = "Other.User";
  bad.username = "other.user";
  expect_error(bad, ErrorKind::invalid, "password");
  bad = u;
  bad.username = "member1";
  bad.role = Role::member;
  expect_error(bad, ErrorKind::invalid, "member_id");
  bad.member_id = 999999;
  expect_error(bad, ErrorKind::invalid, "member_id");
  bad = u;
  bad.username = "nowhere";
  bad.org_id = 999999;
  expect_error(bad, ErrorKind::invalid, "org_id");
  bad = u;
  bad.username = "french";
  bad.lang = "fr";
  expect_error(bad, ErrorKind::invalid, "lang");

  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 1);
  EXPECT_EQ(actions("user", *id), (std::vector<std::string>{"create_user"}));
  // The stored hash is argon2id, never the password.
  auto h = conn->query_one("SELECT password_hash FROM users WHERE id = ?1", {*id});
  ASSERT_TRUE(h && *h);
  EXPECT_TRUE((*h)->str(0).starts_with("$argon2id$"));
}

TEST_P(AuthStoreTest, LoginSucceedsAndOpensASession) {
  int64_t uid = make_user("bithu", Role::member);
  auto r = store->login(" BiThu ", kGoodPassword, "10.0.0.1", "req-1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->principal.user_id, uid);
  EXPECT_EQ(r->principal.username, "bithu");
  EXPECT_EQ(r->principal.role, Role::member);
  EXPECT_EQ(r->principal.member_id, member_id);
  EXPECT_EQ(r->principal.csrf_token, r->csrf_token);
  EXPECT_FALSE(r->principal.via_token);
  EXPECT_EQ(r->session_token.size(), 43u);
  EXPECT_NE(r->session_token, r->csrf_token);

  auto p = store->session(r->session_token);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->user_id, uid);
  EXPECT_EQ(p->csrf_token, r->csrf_token);
  EXPECT_TRUE(csrf_equal(p->csrf_token, r->csrf_token));

  // Only the hash of the token is stored.
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE token_hash = ?1", {token_hash(r->session_token)}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE token_hash = ?1", {r->session_token}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM login_attempts WHERE username = 'bithu' AND ok = 1 AND ip = '10.0.0.1'"), 1);

  auto rows = audit::list(*conn, "user", uid, 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->front().entry.action, "login");
  EXPECT_EQ(rows->front().entry.user_id, uid);
  EXPECT_EQ(rows->front().entry.request_id, "req-1");
  EXPECT_EQ(rows->front().entry.ip, "10.0.0.1");
  EXPECT_EQ(rows->front().at, clock.unix_seconds());

  auto none = store->session("not-a-token");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::unauthenticated);
  EXPECT_FALSE(store->session(""));
}

TEST_P(AuthStoreTest, GrantsTravelWithTheSessionAndTokenAndAreAudited) {
  int64_t uid = make_user("dieuphoi", Role::member);
  Actor boss = Actor::system("test");
  ASSERT_TRUE(store->add_grant(uid, Grant::blood_coordinator, branch_org, boss));
  ASSERT_TRUE(store->add_grant(uid, Grant::blood_coordinator, branch_org, boss));  // idempotent
  EXPECT_EQ(count("SELECT COUNT(*) FROM user_grants"), 1);
  auto holders = store->grant_holders(Grant::blood_coordinator, branch_org);
  ASSERT_TRUE(holders);
  ASSERT_EQ(holders->size(), 1u);
  EXPECT_EQ(holders->front().first, uid);

  auto login = store->login("dieuphoi", kGoodPassword, "10.0.0.1");
  ASSERT_TRUE(login) << login.error().message;
  auto p = store->session(login->session_token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->grants, (std::vector<GrantOn>{{Grant::blood_coordinator, branch_org}}));
  auto token = store->create_api_token(uid, "điện thoại", boss);
  ASSERT_TRUE(token);
  auto t = store->token(*token);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->grants.size(), 1u);
  // Sign-in reads the user and every grant in one statement: each grant comes once, in the order
  // of their names (not the order given), with the rest of the principal unchanged.
  ASSERT_TRUE(store->add_grant(uid, Grant::ideas_moderator, branch_org, boss));
  ASSERT_TRUE(store->add_grant(uid, Grant::desk_coordinator, branch_org, boss));
  const std::vector<GrantOn> three{{Grant::blood_coordinator, branch_org}, {Grant::desk_coordinator, branch_org},
                                   {Grant::ideas_moderator, branch_org}};
  auto p3 = store->session(login->session_token);
  ASSERT_TRUE(p3);
  EXPECT_EQ(p3->grants, three);
  EXPECT_EQ(p3->username, p->username);
  EXPECT_EQ(p3->csrf_token, p->csrf_token);
  auto t3 = store->token(*token);
  ASSERT_TRUE(t3);
  EXPECT_EQ(t3->grants, three);
  EXPECT_TRUE(t3->via_token);
  ASSERT_TRUE(store->remove_grant(uid, Grant::desk_coordinator, branch_org, boss));
  ASSERT_TRUE(store->remove_grant(uid, Grant::ideas_moderator, branch_org, boss));

  EXPECT_EQ(store->add_grant(uid, Grant::blood_coordinator, 999999, boss).error().field, "org_id");
  EXPECT_EQ(store->add_grant(999999, Grant::blood_coordinator, branch_org, boss).error().field, "user_id");
  ASSERT_TRUE(store->remove_grant(uid, Grant::blood_coordinator, branch_org, boss));
  EXPECT_EQ(store->remove_grant(uid, Grant::blood_coordinator, branch_org, boss).error().kind, ErrorKind::not_found);
  auto after = store->session(login->session_token);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->grants.empty());  // at once, not at the next login
  auto acts = actions("user", uid);
  EXPECT_EQ(std::count(acts.begin(), acts.end(), "add_grant"), 3);  // the idempotent repeat is not one
  EXPECT_EQ(std::count(acts.begin(), acts.end(), "remove_grant"), 3);
}

TEST_P(AuthStoreTest, WrongPasswordAndUnknownUserLookTheSame) {
  int64_t uid = make_user("bithu");
  auto wrong = store->login("bithu", "Tuổi trẻ Lâm Đồng 2022", "10.0.0.1");
  auto unknown = store->login("nobody", kGoodPassword, "10.0.0.1");
  auto garbage = store->login("\xff\xfe not a name", "\xc0\x80", "10.0.0.1");
  for (const auto* r : {&wrong, &unknown, &garbage}) {
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().kind, ErrorKind::unauthenticated);
    EXPECT_EQ(r->error().message, "Tên đăng nhập hoặc mật khẩu không đúng");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM login_attempts WHERE ok = 0"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions"), 0);

  auto rows = audit::list(*conn, "user", uid, 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->front().entry.action, "login_failed");
  EXPECT_EQ(rows->front().entry.detail_json, R"({"reason":"bad_password"})");
  EXPECT_FALSE(rows->front().entry.user_id) << "the actor of a failed login is not authenticated";
  EXPECT_EQ(rows->front().entry.username, "bithu");
  // Unknown users are audited without an entity id, and no password ends up in any detail.
  auto all = conn->query("SELECT action, username, detail FROM audit_log WHERE entity_id IS NULL ORDER BY id");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].str(1), "nobody");
  EXPECT_EQ((*all)[0].str(2), R"({"reason":"unknown_user"})");
  EXPECT_EQ((*all)[1].str(1), "???not?a?name");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%Tuổi%'"), 0);
}

TEST_P(AuthStoreTest, ThrottlesPerAccount) {
  make_user("bithu");
  for (int i = 0; i < 5; ++i) {
    auto r = store->login("bithu", "wrong password!", "10.0.0." + std::to_string(i));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::unauthenticated) << i;
    clock.advance(60s);
  }
  // The first failure was 5 minutes ago: 10 more minutes to wait, even with the right password.
  auto r = store->login("BITHU", kGoodPassword, "10.9.9.9");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::rate_limited);
  EXPECT_EQ(r.error().message, "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 10 phút.");
  EXPECT_EQ(count("SELECT COUNT(*) FROM login_attempts"), 5) << "a refused attempt is not recorded";

  // Holds across processes: a new connection and a new store see the same failures.
  auto other_conn = open_connection();
  ASSERT_TRUE(other_conn);
  AuthStore other(*other_conn, clock, cfg);
  EXPECT_EQ(other.login("bithu", kGoodPassword, "10.9.9.9").error().kind, ErrorKind::rate_limited);

  // Another account from the same address is not affected.
  make_user("phobithu");
  EXPECT_TRUE(store->login("phobithu", kGoodPassword, "10.0.0.1"));

  clock.advance(10min - 1s);
  EXPECT_EQ(store->login("bithu", kGoodPassword, "10.9.9.9").error().kind, ErrorKind::rate_limited);
  clock.advance(1s);
  auto ok = store->login("bithu", kGoodPassword, "10.9.9.9");
  ASSERT_TRUE(ok) << ok.error().message;
  // A success clears nothing: four failures are still in the window, one more locks again.
  EXPECT_FALSE(store->login("bithu", "wrong password!", "10.9.9.9"));
  EXPECT_EQ(store->login("bithu", kGoodPassword, "10.9.9.9").error().kind, ErrorKind::rate_limited);
}

TEST_P(AuthStoreTest, ThrottlesPerAddress) {
  make_user("bithu");
  for (int i = 0; i < 20; ++i) {
    auto r = store->login("guess" + std::to_string(i), "wrong password!", "203.0.113.7");
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().kind, ErrorKind::unauthenticated) << i;
    clock.advance(10s);
  }
  auto r = store->login("bithu", kGoodPassword, "203.0.113.7");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::rate_limited);
  EXPECT_NE(r.error().message.find("phút"), std::string::npos);
  // The same account from another address is fine.
  EXPECT_TRUE(store->login("bithu", kGoodPassword, "198.51.100.1"));
  clock.advance(15min);
  EXPECT_TRUE(store->login("bithu", kGoodPassword, "203.0.113.7"));
}

TEST_P(AuthStoreTest, SessionSlidesAndTouchesAtMostOncePerMinute) {
  make_user("bithu");
  auto login = store->login("bithu", kGoodPassword, "10.0.0.1");
  ASSERT_TRUE(login);
  const std::string tok = login->session_token;
  const int64_t t0 = clock.unix_seconds();
  auto last_seen = [&] {
    return count("SELECT last_seen_at FROM sessions WHERE token_hash = ?1", {token_hash(tok)});
  };
  EXPECT_EQ(count("SELECT expires_at FROM sessions WHERE token_hash = ?1", {token_hash(tok)}), t0 + 12 * 3600);

  clock.advance(30s);
  ASSERT_TRUE(store->session(tok));
  EXPECT_EQ(last_seen(), t0) << "not rewritten within a minute";
  clock.advance(30s);
  ASSERT_TRUE(store->session(tok));
  EXPECT_EQ(last_seen(), t0 + 60);

  // Idle for 11 h: still alive, and the expiry slides.
  clock.advance(11h);
  ASSERT_TRUE(store->session(tok));
  clock.advance(11h);
  ASSERT_TRUE(store->session(tok));
  // Idle for 12 h: gone, and the row is deleted.
  clock.advance(12h);
  auto r = store->session(tok);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unauthenticated);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions"), 0);
}

TEST_P(AuthStoreTest, SessionEndsAfterSevenDaysWhateverTheActivity) {
  make_user("bithu");
  auto login = store->login("bithu", kGoodPassword, "10.0.0.1");
  ASSERT_TRUE(login);
  const int64_t t0 = clock.unix_seconds();
  while (clock.unix_seconds() + 6 * 3600 < t0 + 7 * 86400) {
    clock.advance(6h);
    ASSERT_TRUE(store->session(login->session_token)) << (clock.unix_seconds() - t0) / 3600 << " h";
  }
  clock.advance(std::chrono::seconds(t0 + 7 * 86400 - clock.unix_seconds() - 1));
  ASSERT_TRUE(store->session(login->session_token));
  clock.advance(1s);
  EXPECT_FALSE(store->session(login->session_token));
}

TEST_P(AuthStoreTest, LogoutAndLogoutEverywhere) {
  int64_t uid = make_user("bithu");
  auto a = store->login("bithu", kGoodPassword, "10.0.0.1");
  auto b = store->login("bithu", kGoodPassword, "10.0.0.2");
  auto c = store->login("bithu", kGoodPassword, "10.0.0.3");
  ASSERT_TRUE(a && b && c);
  auto api = store->create_api_token(uid, "máy chủ báo cáo", Actor::system());
  ASSERT_TRUE(api);

  ASSERT_TRUE(store->logout(a->session_token, "req-9", "10.0.0.1"));
  EXPECT_FALSE(store->session(a->session_token));
  EXPECT_TRUE(store->session(b->session_token));
  EXPECT_TRUE(store->logout(a->session_token)) << "logging out twice is fine";

  auto n = store->logout_everywhere(uid, Actor{uid, "bithu", "req-10", "10.0.0.2"});
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
  EXPECT_FALSE(store->session(b->session_token));
  EXPECT_FALSE(store->session(c->session_token));
  EXPECT_TRUE(store->token(*api)) << "API tokens are not revoked by logout everywhere";

  auto acts = actions("user", uid);
  ASSERT_GE(acts.size(), 2u);
  EXPECT_EQ(acts[acts.size() - 2], "logout");
  EXPECT_EQ(acts.back(), "logout_everywhere");
  auto rows = audit::list(*conn, "user", uid, 1);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->front().entry.detail_json, R"({"sessions_ended":2})");
}

TEST_P(AuthStoreTest, ApiTokensCreateVerifyRevoke) {
  int64_t uid = make_user("bithu");
  int64_t other = make_user("khac");
  auto tok = store->create_api_token(uid, "  Xuất dữ liệu ", Actor::system());
  ASSERT_TRUE(tok) << tok.error().message;
  EXPECT_TRUE(tok->starts_with("cd_"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?1", {token_hash(*tok)}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?1", {*tok}), 0);

  auto p = store->token(*tok);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->user_id, uid);
  EXPECT_TRUE(p->via_token);
  EXPECT_TRUE(p->csrf_token.empty());

  auto list = store->list_api_tokens(uid);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().name, "Xuất dữ liệu");
  EXPECT_EQ(list->front().last_used_at, clock.unix_seconds());
  EXPECT_FALSE(list->front().revoked_at);

  for (std::string bad : std::vector<std::string>{"", "cd_", "cd_nope", tok->substr(3), "Bearer " + *tok})
    EXPECT_EQ(store->token(bad).error().kind, ErrorKind::unauthenticated) << bad;

  EXPECT_EQ(store->create_api_token(uid, "   ", Actor::system()).error().field, "name");
  EXPECT_EQ(store->create_api_token(uid, std::string(101, 'x'), Actor::system()).error().field, "name");
  EXPECT_EQ(store->create_api_token(999999, "x", Actor::system()).error().kind, ErrorKind::not_found);

  const int64_t tid = list->front().id;
  EXPECT_EQ(store->revoke_api_token(other, tid, Actor::system()).error().kind, ErrorKind::not_found);
  EXPECT_TRUE(store->token(*tok));
  ASSERT_TRUE(store->revoke_api_token(uid, tid, Actor{uid, "bithu", "r", "ip"}));
  auto gone = store->token(*tok);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::unauthenticated);
  EXPECT_TRUE(store->revoke_api_token(uid, tid, Actor::system())) << "idempotent";
  EXPECT_EQ(actions("api_token", tid), (std::vector<std::string>{"create_api_token", "revoke_api_token"}));
}

TEST_P(AuthStoreTest, SetAndChangePassword) {
  int64_t uid = make_user("bithu");
  auto mine = store->login("bithu", kGoodPassword, "10.0.0.1");
  auto elsewhere = store->login("bithu", kGoodPassword, "10.0.0.2");
  ASSERT_TRUE(mine && elsewhere);
  Actor self{uid, "bithu", "", ""};

  auto weak = store->change_password(uid, kGoodPassword, "1234567890", self);
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().field, "password");
  auto wrong = store->change_password(uid, "not my password", "Mật khẩu mới rất dài", self);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().field, "current_password");

  ASSERT_TRUE(store->change_password(uid, kGoodPassword, "Mật khẩu mới rất dài", self,
                                     std::string_view(mine->session_token)));
  EXPECT_TRUE(store->session(mine->session_token)) << "the caller's own session is kept";
  EXPECT_FALSE(store->session(elsewhere->session_token)) << "other sessions end";
  EXPECT_FALSE(store->login("bithu", kGoodPassword, "10.0.0.1"));
  EXPECT_TRUE(store->login("bithu", "Mật khẩu mới rất dài", "10.0.0.1"));

  // Decomposed marks (another keyboard) are the same password.
  EXPECT_TRUE(store->login("bithu", "Ma\xCC\xA3\xCC\x82t kha\xCC\x82\xCC\x89u mo\xCC\x9B\xCC\x81i ra\xCC\x82\xCC\x81t da\xCC\x80i",
                           "10.0.0.1"));

  ASSERT_TRUE(store->set_password(uid, "Đặt lại bởi quản trị", Actor::system("admin")));
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE user_id = ?1", {uid}), 0);
  EXPECT_TRUE(store->login("bithu", "Đặt lại bởi quản trị", "10.0.0.1"));
  EXPECT_EQ(store->set_password(999999, "Đặt lại bởi quản trị", Actor::system()).error().kind, ErrorKind::not_found);

  auto acts = actions("user", uid);
  EXPECT_NE(std::find(acts.begin(), acts.end(), "change_password"), acts.end());
  EXPECT_NE(std::find(acts.begin(), acts.end(), "set_password"), acts.end());
}

TEST_P(AuthStoreTest, DisabledUsersCannotSignIn) {
  int64_t uid = make_user("bithu");
  auto s = store->login("bithu", kGoodPassword, "10.0.0.1");
  auto tok = store->create_api_token(uid, "t", Actor::system());
  ASSERT_TRUE(s && tok);
  ASSERT_TRUE(store->set_disabled(uid, true, Actor::system("admin")));
  EXPECT_FALSE(store->session(s->session_token));
  EXPECT_FALSE(store->token(*tok));
  auto r = store->login("bithu", kGoodPassword, "10.0.0.1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::forbidden);
  // A wrong password still gets the generic answer (no hint that the account exists).
  EXPECT_EQ(store->login("bithu", "wrong password!", "10.0.0.1").error().message,
            "Tên đăng nhập hoặc mật khẩu không đúng");
  ASSERT_TRUE(store->set_disabled(uid, false, Actor::system("admin")));
  EXPECT_TRUE(store->token(*tok));
  EXPECT_TRUE(store->login("bithu", kGoodPassword, "10.0.0.1"));
  EXPECT_EQ(store->set_disabled(999999, true, Actor::system()).error().kind, ErrorKind::not_found);
}

TEST_P(AuthStoreTest, LoginUpgradesTheHashWhenTheCostChanges) {
  int64_t uid = make_user("bithu");
  AuthConfig stronger = cfg;
  stronger.hash.opslimit += 1;
  AuthStore upgraded(*conn, clock, stronger);
  auto before = conn->query_one("SELECT password_hash FROM users WHERE id = ?1", {uid});
  ASSERT_TRUE(upgraded.login("bithu", kGoodPassword, "10.0.0.1"));
  auto after = conn->query_one("SELECT password_hash FROM users WHERE id = ?1", {uid});
  ASSERT_TRUE(before && *before && after && *after);
  EXPECT_NE((*before)->str(0), (*after)->str(0));
  EXPECT_FALSE(needs_rehash((*after)->str(0), stronger.hash));
  EXPECT_TRUE(store->login("bithu", kGoodPassword, "10.0.0.1"));
}

TEST_P(AuthStoreTest, AuditRecordAndList) {
  audit::AuditEntry e{42, "someone", "rename_org", "org", 7, R"({"from":"A","to":"Ă"})", "req", "127.0.0.1"};
  ASSERT_TRUE(audit::record(*conn, clock, e));
  clock.advance(1s);
  e.action = "move_org";
  e.detail_json = "";
  e.user_id = std::nullopt;
  ASSERT_TRUE(audit::record(*conn, clock, e));
  e.entity_id = 8;
  ASSERT_TRUE(audit::record(*conn, clock, e));

  auto rows = audit::list(*conn, "org", 7, 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->at(0).entry.action, "move_org");
  EXPECT_EQ(rows->at(0).entry.detail_json, "{}");
  EXPECT_FALSE(rows->at(0).entry.user_id);
  EXPECT_EQ(rows->at(1).entry.action, "rename_org");
  EXPECT_EQ(rows->at(1).entry.user_id, 42);
  EXPECT_EQ(rows->at(1).entry.detail_json, R"({"from":"A","to":"Ă"})");
  EXPECT_EQ(rows->at(1).entry.ip, "127.0.0.1");
  EXPECT_EQ(rows->at(0).at - rows->at(1).at, 1);
  EXPECT_EQ(audit::list(*conn, "org", std::nullopt, 10)->size(), 3u);
  EXPECT_EQ(audit::list(*conn, "org", std::nullopt, 1)->size(), 1u);

  // Inside a failed transaction the audit row rolls back with the write.
  auto tx = conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(audit::record(*conn, clock, e));
    return fail(ErrorKind::conflict, "boom");
  });
  EXPECT_FALSE(tx);
  EXPECT_EQ(audit::list(*conn, "org", 8, 10)->size(), 1u);
}

TEST_P(AuthStoreTest, PurgeRemovesExpiredSessionsAndOldAttempts) {
  make_user("bithu");
  ASSERT_TRUE(store->login("bithu", kGoodPassword, "10.0.0.1"));
  ASSERT_FALSE(store->login("bithu", "wrong password!", "10.0.0.1"));
  clock.advance(13h);
  auto live = store->login("bithu", kGoodPassword, "10.0.0.1");
  ASSERT_TRUE(live);
  auto n = store->purge();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1) << "one expired session";
  EXPECT_TRUE(store->session(live->session_token));
  clock.advance(std::chrono::hours(24 * 31));
  n = store->purge();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1 + 3) << "the second session and all three attempts";
}

CHIDOAN_INSTANTIATE_DB_TEST(AuthStoreTest);

}  // namespace
}  // namespace chidoan::auth
