// The world of the discussion's tests: the demo's branch with a forum, its mentor, two ideas and
// their authors, a forum of a branch outside the Đoàn khối, and users for every part. Rows are
// written with SQL (migrations 0012, 0013), so these tests do not depend on the forum's store.
#pragma once

#include <map>
#include <string>

#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "platform/text/text.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::ideas::testing {

struct TalkWorld {
  int64_t vpubnd = 0, other_branch = 0;
  int64_t sang = 0, thao = 0, ngoc = 0, outsider = 0;  // members (Phan Văn Sang is the demo's secretary)
  int64_t hung = 0, lan = 0, minh = 0;                 // the mentor, a member, the moderator
  int64_t forum = 0, other_forum = 0;
  int64_t idea = 0;        // by Thảo (author) and Ngọc (accepted co-author), in mentoring
  int64_t draft = 0;       // Thảo's draft
  int64_t other_idea = 0;  // in the other branch's forum
  std::map<std::string, int64_t> user_ids;
  std::map<std::string, std::string> tokens;
};

inline Result<int64_t> add_forum(db::Connection& conn, int64_t org_id, const std::string& title) {
  return conn.insert_id("INSERT INTO idea_forums (org_id, title, kind, held_on, opens_on, closes_on, created_at) "
                        "VALUES (?1, ?2, 'event', '2021-11-02', '2021-10-01', '2021-12-31', 0) RETURNING id",
                        {org_id, title});
}

inline Result<int64_t> add_idea(db::Connection& conn, int64_t forum, const std::string& title, const std::string& state,
                                int64_t author, std::optional<int64_t> coauthor = std::nullopt) {
  // An idea past its draft was sent once (submitted_at): only never-sent ideas are private.
  CHIDOAN_TRY(id, conn.insert_id("INSERT INTO ideas (forum_id, title, title_key, problem, proposal, state, created_at, updated_at, submitted_at) "
                                 "VALUES (?1, ?2, ?3, 'Vấn đề', 'Giải pháp', ?4, 0, 0, ?5) RETURNING id",
                                 {forum, title, text::search_fold(title), state, state == "draft" ? db::Value(nullptr) : db::Value(int64_t{0})}));
  CHIDOAN_TRY_VOID(conn.execute("INSERT INTO idea_authors (idea_id, member_id, role, status, requested_at, accepted_at) "
                                "VALUES (?1, ?2, 'author', 'accepted', 0, 0)",
                                {id, author}));
  if (coauthor)
    CHIDOAN_TRY_VOID(conn.execute("INSERT INTO idea_authors (idea_id, member_id, role, status, requested_at, accepted_at) "
                                  "VALUES (?1, ?2, 'coauthor', 'accepted', 0, 0)",
                                  {id, *coauthor}));
  return id;
}

// REQUIRES: a fresh migrated database. `cfg` with fast hashing.
inline Result<TalkWorld> make_world(db::Connection& conn, const Clock& clock, const auth::AuthConfig& cfg) {
  TalkWorld w;
  FixedClock later{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
  CHIDOAN_TRY_VOID(org::bundle::load(conn, later, chidoan::testing::demo_bundle()));
  org::Store store(conn, clock);
  CHIDOAN_TRY(branch, store.org_by_code("VPUBND"));
  CHIDOAN_TRY(top, store.org_by_code("TW"));
  if (!branch || !top) return fail(ErrorKind::not_found, "demo not loaded");
  w.vpubnd = (*branch).id;
  CHIDOAN_TRY(sang, conn.query_one("SELECT id FROM members WHERE family_name = 'Phan' AND given_name = 'Sang'"));
  if (!sang) return fail(ErrorKind::not_found, "no Sang");
  w.sang = sang->i64(0);
  CHIDOAN_TRY_VOID(conn.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(outside, chidoan::testing::add_outside_branch(store, today(clock)));
    std::tie(w.other_branch, w.outsider) = outside;
    CHIDOAN_TRY(t, chidoan::testing::add_test_member(store, w.vpubnd, "Lê", "Thảo", "female", "1996-03-01", "2021-04-01", today(clock)));
    w.thao = t;
    CHIDOAN_TRY(n, chidoan::testing::add_test_member(store, w.vpubnd, "Võ", "Ngọc", "female", "1997-05-01", "2021-04-01", today(clock)));
    w.ngoc = n;
    CHIDOAN_TRY(h, chidoan::testing::add_test_member(store, w.vpubnd, "Trần", "Hùng", "male", "1992-01-01", "2021-04-01", today(clock)));
    w.hung = h;
    CHIDOAN_TRY(l, chidoan::testing::add_test_member(store, w.vpubnd, "Đỗ", "Lan", "female", "1998-01-01", "2021-04-01", today(clock)));
    w.lan = l;
    CHIDOAN_TRY(m, chidoan::testing::add_test_member(store, w.vpubnd, "Bùi", "Minh", "male", "1994-01-01", "2021-04-01", today(clock)));
    w.minh = m;
    CHIDOAN_TRY(f, add_forum(conn, w.vpubnd, "Tuổi trẻ Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ"));
    w.forum = f;
    CHIDOAN_TRY(of, add_forum(conn, w.other_branch, "Ý tưởng ngành điện"));
    w.other_forum = of;
    CHIDOAN_TRY(i, add_idea(conn, f, "Ứng dụng số hóa hồ sơ thủ tục hành chính cho người dân", "mentoring", w.thao, w.ngoc));
    w.idea = i;
    CHIDOAN_TRY(d, add_idea(conn, f, "Bản nháp về hồ sơ số", "draft", w.thao));
    w.draft = d;
    CHIDOAN_TRY(o, add_idea(conn, of, "Số hóa hồ sơ khách hàng điện", "submitted", w.outsider));
    w.other_idea = o;
    return {};
  }));
  CHIDOAN_TRY(users, chidoan::testing::create_users(conn, clock, cfg,
                                                    {{"admin", auth::Role::system_admin, (*top).id, std::nullopt},
                                                     {"sangpv", auth::Role::branch_secretary, w.vpubnd, w.sang},
                                                     {"thao", auth::Role::member, w.vpubnd, w.thao},
                                                     {"ngoc", auth::Role::member, w.vpubnd, w.ngoc},
                                                     {"thanhvien", auth::Role::member, w.vpubnd, w.lan},
                                                     {"covan", auth::Role::member, w.vpubnd, w.hung},
                                                     {"kiemduyet", auth::Role::member, w.vpubnd, w.minh},
                                                     {"ngoai", auth::Role::member, w.other_branch, w.outsider}}));
  w.tokens = users;
  CHIDOAN_TRY(rows, conn.query("SELECT username, id FROM users"));
  for (const auto& r : rows) w.user_ids[r.str(0)] = r.i64(1);
  CHIDOAN_TRY_VOID(conn.execute("INSERT INTO idea_mentors (forum_id, user_id, title) VALUES (?1, ?2, 'Phó Giám đốc Sở KH&CN')",
                                {w.forum, w.user_ids["covan"]}));
  auth::AuthStore auths(conn, clock, cfg);
  CHIDOAN_TRY_VOID(conn.transaction([&] {
    return auths.add_grant(w.user_ids["kiemduyet"], auth::Grant::ideas_moderator, w.vpubnd, auth::Actor::system());
  }));
  return w;
}

// A test on both engines over the world, at 10:00 on 15/11/2021 in Vietnam.
class WorldTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    cfg.hash = auth::HashParams::min();
    auto made = make_world(*conn, clock, cfg);
    ASSERT_TRUE(made) << made.error().message;
    w = *made;
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 15} + std::chrono::hours(3)};
  auth::AuthConfig cfg;
  TalkWorld w;
};

}  // namespace chidoan::ideas::testing
