#include "gen/gen.hpp"

#include <gtest/gtest.h>

#include "platform/core/clock.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::gen {
namespace {

using testing::DbTest;

class GenTest : public DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};

  int64_t count(const std::string& sql) {
    auto r = conn->query_one(sql);
    EXPECT_TRUE(r) << r.error().message;
    return r ? (*r)->i64(0) : -1;
  }

  // Everything a seed decides, as text: the tree, the roll, the register and the extras.
  std::string digest(db::Connection& c) {
    std::string out;
    for (const char* sql : {"SELECT code || '|' || name || '|' || path FROM orgs ORDER BY id",
                            "SELECT family_name || '|' || middle_name || '|' || given_name || '|' || sex || '|' || birth_date || "
                            "'|' || branch_id || '|' || status FROM members ORDER BY id",
                            "SELECT activity_id || '|' || member_id || '|' || status FROM attendance ORDER BY activity_id, member_id",
                            "SELECT member_id || '|' || kind || '|' || effective_on FROM member_events ORDER BY id"}) {
      auto rows = c.query(sql);
      EXPECT_TRUE(rows) << rows.error().message;
      if (!rows) continue;
      for (const auto& r : *rows) out += r.str(0) + "\n";
    }
    return out;
  }
};

TEST_P(GenTest, BranchScaleMakesAWholeYearOfOneBranch) {
  auto t = generate(*conn, clock, 2021, plan_for(Scale::branch));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->provinces, 1);
  EXPECT_EQ(t->branches, 1);
  // 25 on the roll at the start, and one admitted in the year.
  EXPECT_EQ(t->extras.admitted, 1);
  EXPECT_EQ(t->members, 26);
  EXPECT_EQ(t->activities, 50);
  EXPECT_GT(t->attendance, 25 * 40);
  // The totals are the rows the database holds.
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), t->members);
  EXPECT_EQ(count("SELECT COUNT(*) FROM activities"), t->activities);
  EXPECT_EQ(count("SELECT COUNT(*) FROM attendance"), t->attendance);
  auto root = conn->query_one("SELECT code, name, parent_id FROM orgs WHERE id = ?1", {t->root_id});
  ASSERT_TRUE(root && *root);
  EXPECT_EQ((*root)->str(0), "P46");
  EXPECT_EQ((*root)->str(1), "Tỉnh đoàn Lâm Đồng");
  EXPECT_TRUE((*root)->is_null(2));
  // The extras ran inside the same transaction: events, dues, a campaign, donors.
  EXPECT_GT(t->extras.events, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_events"), t->extras.events);
  EXPECT_GT(t->extras.dues, 0);
  EXPECT_GT(t->extras.campaigns, 0);
  // Ages 16–30 in the year, names with a family and a given name.
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE birth_date < '1991-01-01' OR birth_date > '2005-12-31'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE family_name = '' OR given_name = ''"), 0);
}

TEST_P(GenTest, TheSameSeedGivesTheSameDataAndAnotherSeedOther) {
  auto a = generate(*conn, clock, 7, plan_for(Scale::branch));
  ASSERT_TRUE(a) << a.error().message;
  const std::string mine = digest(*conn);
  ASSERT_FALSE(mine.empty());
  for (uint64_t seed : {7u, 8u}) {
    auto other = testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
    ASSERT_TRUE(other) << other.error().message;
    auto c = db::Connection::open(other->url());
    ASSERT_TRUE(c) << c.error().message;
    auto b = generate(**c, clock, seed, plan_for(Scale::branch));
    ASSERT_TRUE(b) << b.error().message;
    if (seed == 7) EXPECT_EQ(digest(**c), mine);
    else EXPECT_NE(digest(**c), mine);
    c->reset();
  }
}

TEST_P(GenTest, RefusesToRunTwiceAndChangesNothing) {
  ASSERT_TRUE(generate(*conn, clock, 1, plan_for(Scale::branch)));
  const int64_t members = count("SELECT COUNT(*) FROM members"), orgs = count("SELECT COUNT(*) FROM orgs");
  auto again = generate(*conn, clock, 1, plan_for(Scale::branch));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_NE(again.error().message.find("P46"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), members);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orgs"), orgs);
}

TEST_P(GenTest, ANationAfterAProvinceStopsBeforeWritingAnything) {
  ASSERT_TRUE(generate(*conn, clock, 1, plan_for(Scale::branch)));  // Lâm Đồng, P46
  const int64_t orgs = count("SELECT COUNT(*) FROM orgs");
  Plan plan = plan_for(Scale::nation);
  plan.province.branches = 1;
  plan.province.districts = 1;
  auto t = generate(*conn, clock, 1, plan);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::conflict);
  EXPECT_NE(t.error().message.find("P46"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orgs"), orgs);
}

TEST_P(GenTest, ANationPutsEveryProvinceUnderTheCentralRoot) {
  // The nation's shape with small provinces: the root, then P01, P02, P03 under it.
  Plan plan = plan_for(Scale::nation);
  plan.provinces = 3;
  plan.province.districts = 2;
  plan.province.branches = 4;
  plan.province.members_per_branch = 10;
  plan.province.activities_per_branch = 3;
  int last_done = 0, steps = 0;
  auto t = generate(*conn, clock, 2021, plan, [&](const Step& s) {
    ++steps;
    if (s.stage.empty()) last_done = s.province;
    EXPECT_EQ(s.of, 3);
  });
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(last_done, 3);
  EXPECT_GT(steps, 3);
  auto root = conn->query_one("SELECT code, path FROM orgs WHERE id = ?1", {t->root_id});
  ASSERT_TRUE(root && *root);
  EXPECT_EQ((*root)->str(0), "TW");
  const std::string path = (*root)->str(1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orgs WHERE parent_id = " + std::to_string(t->root_id)), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orgs WHERE code IN ('P01', 'P02', 'P03')"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orgs WHERE path NOT LIKE '" + path + "%'"), 0);
  EXPECT_EQ(t->branches, 12);
  // ± 50 % around 10 a branch.
  EXPECT_GE(t->members, 12 * 5);
  EXPECT_LE(t->members, 12 * 15);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.branch_id WHERE o.path LIKE '" + path + "%'"),
            count("SELECT COUNT(*) FROM members"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), t->members);
  EXPECT_EQ(count("SELECT COUNT(*) FROM attendance"), t->attendance);
  EXPECT_GT(t->extras.admitted, 0);
}

TEST(GenPlan, TheNationIsAboutSixPointFourMillionMembers) {
  Plan p = plan_for(Scale::nation);
  const int64_t members = static_cast<int64_t>(p.provinces) * p.province.branches * p.province.members_per_branch;
  EXPECT_EQ(p.provinces, 63);
  EXPECT_TRUE(p.national_root);
  EXPECT_GT(members, 6'000'000);
  EXPECT_LT(members, 6'800'000);
  EXPECT_GT(static_cast<int64_t>(p.provinces) * p.province.branches, 100'000);
  EXPECT_EQ(parse_scale("nation"), Scale::nation);
  EXPECT_EQ(parse_scale("branch"), Scale::branch);
  EXPECT_FALSE(parse_scale("world"));
}

CHIDOAN_INSTANTIATE_DB_TEST(GenTest);

}  // namespace
}  // namespace chidoan::gen
