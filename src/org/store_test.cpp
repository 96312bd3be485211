#include "org/store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <span>
#include <thread>
#include <tuple>
#include <utility>

#include "org/import.hpp"
#include "platform/text/text.hpp"
#include "tests/support/results.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::org {
namespace {

using namespace std::chrono_literals;

using chidoan::testing::ignore_value;

// A small tree: TW > LD > DKCQ > {A, B}; A has two units. Fills `level` (rank -> id) and
// `ids` {TW, LD, DKCQ, A, B, unit 1, unit 2}.
Result<void> make_tree(Store& store, std::map<int64_t, int64_t>& level, std::vector<int64_t>& ids) {
  CHIDOAN_TRY_VOID(store.install_default_levels());
  CHIDOAN_TRY(levels, store.levels());
  for (auto& l : levels) level[l.rank] = l.id;
  CHIDOAN_TRY(tw, store.create_org({"TW", "Trung ương Đoàn", level[0], std::nullopt, ""}));
  CHIDOAN_TRY(ld, store.create_org({"LD", "Tỉnh đoàn Lâm Đồng", level[1], tw, ""}));
  CHIDOAN_TRY(dk, store.create_org({"DKCQ", "Đoàn khối", level[2], ld, ""}));
  CHIDOAN_TRY(a, store.create_org({"CDA", "Chi đoàn A", level[4], dk, "2020-01-01"}));
  CHIDOAN_TRY(b, store.create_org({"CDB", "Chi đoàn B", level[4], dk, "2020-01-01"}));
  CHIDOAN_TRY(u1, store.add_unit(a, "Văn phòng"));
  CHIDOAN_TRY(u2, store.add_unit(a, "Trung tâm"));
  ids = {tw, ld, dk, a, b, u1, u2};
  return {};
}

class OrgStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    store = std::make_unique<Store>(*conn, clock);
    ASSERT_TRUE(conn->transaction([&] { return make_tree(*store, level, ids); }));
  }

  int64_t add(const std::string& family, const std::string& middle, const std::string& given, const std::string& since,
              int64_t branch = 0, const std::string& birth = "1995-05-05") {
    RawFields raw{{"family_name", family}, {"middle_name", middle}, {"given_name", given}, {"sex", "male"},
                         {"birth_date", birth}, {"branch_since", since}};
    auto in = rules::validate_member(raw, today());
    EXPECT_TRUE(in) << in.error().message;
    int64_t id = 0;
    auto r = conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(v, store->add_member(branch ? branch : a(), *in));
      id = v;
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return id;
  }
  Date today() const { return chidoan::today(clock); }
  int64_t a() const { return ids[3]; }
  int64_t b() const { return ids[4]; }
  Org org(int64_t id) { return *store->org(id); }
  std::vector<std::string> names(const MemberPage& p) {
    std::vector<std::string> out;
    for (const auto& m : p.items) out.push_back(m.full_name());
    return out;
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 12 / 31} + 3h};
  std::unique_ptr<Store> store;
  std::map<int64_t, int64_t> level;
  std::vector<int64_t> ids;
};

TEST_P(OrgStoreTest, TreePathsAndSubtrees) {
  auto sub = store->orgs(ids[2]);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->size(), 3u);
  EXPECT_EQ(Store::path_ids(org(a()).path), (std::vector<int64_t>{ids[0], ids[1], ids[2], a()}));
  auto dup = conn->transaction([&]() -> Result<void> { return ignore_value(store->create_org({"CDA", "x", level[4], ids[2], ""})); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().field, "code");
  auto under_branch = conn->transaction([&]() -> Result<void> { return ignore_value(store->create_org({"CDC", "x", level[4], a(), ""})); });
  ASSERT_FALSE(under_branch);
  EXPECT_EQ(under_branch.error().field, "parent_id");
}

TEST_P(OrgStoreTest, VietnameseOrderAndAccentInsensitiveSearch) {
  add("Phan", "Văn", "Sang", "2021-01-01");
  add("Nguyễn", "Minh", "Đức", "2021-01-01");
  add("Trần", "Văn", "Dũng", "2021-01-01");
  add("Lê", "Thị", "Anh", "2021-01-01");
  add("Hoàng", "", "Ánh", "2021-01-01");
  add("Đỗ", "Văn", "An", "2021-01-01");
  MemberQuery q;
  auto all = store->members(org(a()), q, today());
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 6);
  EXPECT_EQ(names(*all), (std::vector<std::string>{"Đỗ Văn An", "Lê Thị Anh", "Hoàng Ánh", "Trần Văn Dũng",
                                                   "Nguyễn Minh Đức", "Phan Văn Sang"}));
  q.q = "phan van sang";
  EXPECT_EQ(names(*store->members(org(a()), q, today())), std::vector<std::string>{"Phan Văn Sang"});
  q.q = "duc";
  EXPECT_EQ(names(*store->members(org(a()), q, today())), std::vector<std::string>{"Nguyễn Minh Đức"});
  q.q = "%";
  EXPECT_EQ(store->members(org(a()), q, today())->total, 0);
  q.q = "'; DROP TABLE members; --";
  EXPECT_EQ(store->members(org(a()), q, today())->total, 0);
  q.q = "";
  q.limit = 2;
  q.offset = 4;
  auto page = store->members(org(a()), q, today());
  EXPECT_EQ(page->total, 6);
  EXPECT_EQ(names(*page), (std::vector<std::string>{"Nguyễn Minh Đức", "Phan Văn Sang"}));
  // The same list from the Đoàn khối: members of the whole subtree.
  q.limit = 50;
  q.offset = 0;
  EXPECT_EQ(store->members(org(ids[2]), q, today())->total, 6);
}

TEST_P(OrgStoreTest, DueForMaturityFilter) {
  add("Cao", "Minh", "Tuấn", "2021-01-01", 0, "1988-06-06");
  add("Lê", "Văn", "Trẻ", "2021-01-01", 0, "1999-06-06");
  MemberQuery q;
  q.due_for_maturity = true;
  EXPECT_EQ(names(*store->members(org(a()), q, today())), std::vector<std::string>{"Cao Minh Tuấn"});
}

TEST_P(OrgStoreTest, SplitKeepsDatedHistory) {
  std::vector<int64_t> moved;
  for (auto n : {"An", "Bình", "Chi"}) moved.push_back(add("Lê", "Văn", n, "2020-02-01"));
  add("Lê", "Văn", "Ở lại", "2020-02-01");
  ASSERT_TRUE(conn->execute("UPDATE members SET unit_id = ?1 WHERE id = ?2", {ids[5], moved[1]}));  // Văn phòng
  int64_t c = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(id, store->split_branch(a(), NewOrg{"CDC", "Chi đoàn C", 0, std::nullopt, ""}, moved, "2021-04-01"));
    c = id;
    return {};
  }));
  EXPECT_EQ(*store->member_count(a(), "2021-03-31"), 4);
  EXPECT_EQ(*store->member_count(c, "2021-03-31"), 0);
  EXPECT_EQ(*store->member_count(a(), "2021-04-01"), 1);
  EXPECT_EQ(*store->member_count(c, "2021-04-01"), 3);
  EXPECT_EQ(*store->member_count(ids[2], "2021-04-01"), 4);  // the Đoàn khối counts both
  MemberQuery q;
  q.as_of = "2021-03-31";
  EXPECT_EQ(store->members(org(a()), q, today())->total, 4);
  auto m = store->member(moved[0]);
  EXPECT_EQ(m->branch_id, c);
  EXPECT_FALSE(m->unit_id.has_value());
  // The same people at the same workplace: a work unit goes along, as the new branch's unit.
  auto with_unit = store->member(moved[1]);
  ASSERT_TRUE(with_unit->unit_id);
  auto units = *store->units(c);
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0].name, "Văn phòng");
  EXPECT_EQ(*with_unit->unit_id, units[0].id);
  EXPECT_EQ(store->units(a())->size(), 2u);  // the old branch keeps its own
  auto events = store->org_events(a());
  ASSERT_TRUE(events);
  bool split = false;
  for (const auto& e : *events) split = split || (e.kind == "split" && e.related_org_id == c);
  EXPECT_TRUE(split);
  // A member of another branch cannot be split off from this one; nothing is written.
  int64_t other = add("Phạm", "", "Khác", "2020-02-01", b());
  auto bad = conn->transaction([&]() -> Result<void> {
    return ignore_value(store->split_branch(a(), NewOrg{"CDD", "Chi đoàn D", 0, std::nullopt, ""}, {other}, "2021-05-01"));
  });
  ASSERT_FALSE(bad);
  EXPECT_FALSE(*store->org_by_code("CDD"));
}

TEST_P(OrgStoreTest, MergeAndDissolve) {
  int64_t an = add("Lê", "Văn", "An", "2020-02-01");
  add("Lê", "Văn", "Bình", "2020-02-01", b());
  ASSERT_TRUE(conn->execute("UPDATE members SET unit_id = ?1 WHERE id = ?2", {ids[6], an}));  // Trung tâm
  auto busy = conn->transaction([&] { return store->dissolve_org(a(), "2021-06-01", ""); });
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().kind, ErrorKind::conflict);
  ASSERT_TRUE(conn->transaction([&] { return store->merge_branch(a(), b(), "2021-06-01"); }));
  EXPECT_EQ(org(a()).status, "merged");
  auto merged_units = *store->units(b());
  ASSERT_EQ(merged_units.size(), 1u);
  EXPECT_EQ(merged_units[0].name, "Trung tâm");
  EXPECT_EQ(store->member(an)->unit_id, merged_units[0].id);
  EXPECT_EQ(*store->member_count(b(), "2021-06-01"), 2);
  EXPECT_EQ(*store->member_count(b(), "2021-05-31"), 1);
  // Moving a member into a merged (ended) branch is refused.
  int64_t m = add("Lê", "Văn", "Cường", "2020-02-01", b());
  auto into_dead = conn->transaction([&] {
    return store->apply_lifecycle(m, rules::Lifecycle::transfer, "2021-07-01", "", a(), today());
  });
  ASSERT_FALSE(into_dead);
  EXPECT_EQ(into_dead.error().field, "target_branch_id");
  auto adding = conn->transaction([&]() -> Result<void> {
    auto in = rules::validate_member({{"family_name", "X"}, {"given_name", "Y"}, {"sex", "male"}, {"birth_date", "1995-01-01"}}, today());
    return ignore_value(store->add_member(a(), *in));
  });
  ASSERT_FALSE(adding);
  EXPECT_FALSE(conn->transaction([&] { return store->merge_branch(b(), a(), "2021-08-01"); }));
}

TEST_P(OrgStoreTest, LifecycleTransferMatureRemove) {
  int64_t m1 = add("Lê", "Văn", "An", "2020-02-01");
  int64_t m2 = add("Lê", "Văn", "Bình", "2020-02-01", 0, "1988-01-01");
  int64_t m3 = add("Lê", "Văn", "Cường", "2020-02-01");
  ASSERT_TRUE(conn->execute("UPDATE members SET unit_id = ?1 WHERE id = ?2", {ids[5], m1}));
  ASSERT_TRUE(conn->transaction([&] { return store->apply_lifecycle(m1, rules::Lifecycle::transfer, "2021-05-01", "", b(), today()); }));
  EXPECT_FALSE(store->member(m1)->unit_id.has_value());  // a transfer leaves the old agency's unit behind
  EXPECT_TRUE(store->units(b())->empty());
  ASSERT_TRUE(conn->transaction([&] { return store->apply_lifecycle(m2, rules::Lifecycle::mature, "2021-06-01", "", std::nullopt, today()); }));
  ASSERT_TRUE(conn->transaction([&] { return store->apply_lifecycle(m3, rules::Lifecycle::remove, "2021-07-01", "Bỏ sinh hoạt", std::nullopt, today()); }));
  EXPECT_EQ(store->member(m1)->branch_id, b());
  EXPECT_EQ(store->member(m2)->status, "matured");
  EXPECT_EQ(store->member(m3)->status, "removed");
  EXPECT_EQ(store->periods(m1)->size(), 2u);
  EXPECT_EQ(*store->member_count(a(), "2021-04-30"), 3);
  EXPECT_EQ(*store->member_count(a(), "2021-12-31"), 0);
  // An effective date before the current stay began is refused.
  auto early = conn->transaction([&] { return store->apply_lifecycle(m1, rules::Lifecycle::remove, "2021-04-01", "x", std::nullopt, today()); });
  ASSERT_FALSE(early);
  MemberQuery q;
  q.status = "removed";
  EXPECT_EQ(store->members(org(a()), q, today())->total, 1);
}

TEST_P(OrgStoreTest, DatedChangesAreNeitherInTheFutureNorBeforeTheOrg) {
  int64_t m = add("Lê", "Văn", "An", "2020-02-01");
  add("Lê", "Văn", "Bình", "2020-02-01", b());
  auto refused = [&](const char* what, const std::function<Result<void>()>& change) {
    auto r = conn->transaction(change);
    ASSERT_FALSE(r) << what;
    EXPECT_EQ(r.error().field, "effective_on") << what << ": " << r.error().message;
  };
  // Today is 31/12/2021.
  refused("merge tomorrow", [&] { return store->merge_branch(a(), b(), "2022-01-01"); });
  refused("split in 2099", [&] { return ignore_value(store->split_branch(a(), NewOrg{"CDD", "Chi đoàn D", 0, std::nullopt, ""}, {m}, "2099-01-01")); });
  refused("rename next year", [&] { return store->rename_org(a(), "Chi đoàn A mới", "2022-03-01"); });
  refused("move next year", [&] { return store->move_org(b(), ids[1], "2022-03-01"); });
  refused("merge before A was founded", [&] { return store->merge_branch(a(), b(), "2019-12-01"); });
  EXPECT_EQ(org(a()).status, "active");
  EXPECT_EQ(*store->member_count(a(), "2021-12-31"), 1);
  EXPECT_FALSE(*store->org_by_code("CDD"));
  // A rename dated before the last one would make the history disagree with the current name.
  ASSERT_TRUE(conn->transaction([&] { return store->rename_org(a(), "Chi đoàn A mới", "2021-08-01"); }));
  refused("rename before the last rename", [&] { return store->rename_org(a(), "Chi đoàn A cũ", "2021-07-01"); });
  EXPECT_EQ(org(a()).name, "Chi đoàn A mới");
  EXPECT_EQ(*store->org_name_on(a(), "2021-07-15"), "Chi đoàn A");
  // A transfer into a branch founded after the day.
  int64_t young = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(id, store->create_org({"CDE", "Chi đoàn E", level[4], ids[2], "2021-06-01"}));
    young = id;
    return {};
  }));
  refused("transfer before E was founded", [&] { return store->apply_lifecycle(m, rules::Lifecycle::transfer, "2021-03-01", "", young, today()); });
  EXPECT_EQ(store->member(m)->branch_id, a());
  // Dissolving: not ahead of time either.
  ASSERT_TRUE(conn->transaction([&] { return store->apply_lifecycle(m, rules::Lifecycle::transfer, "2021-09-01", "", young, today()); }));
  refused("dissolve next month", [&] { return store->dissolve_org(a(), "2022-01-31", ""); });
  EXPECT_TRUE(conn->transaction([&] { return store->dissolve_org(a(), "2021-12-31", ""); }));
}

// Two changes of one member at once (a transfer while a removal is being written): the second
// waits for the first and is then refused, so the member never keeps a stay open in two branches.
TEST_P(OrgStoreTest, TwoChangesOfOneMemberAtOnceLeaveOneStay) {
  int64_t m = add("Lê", "Văn", "An", "2020-02-01");
  auto second = db::Connection::open(url());
  ASSERT_TRUE(second) << second.error().message;
  Store other(**second, clock);
  std::atomic<bool> finished{false};
  Result<void> moved = fail(ErrorKind::internal, "not run");
  std::thread transfer;
  auto removed = conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store->apply_lifecycle(m, rules::Lifecycle::remove, "2021-07-01", "Bỏ sinh hoạt", std::nullopt, today()));
    transfer = std::thread([&] {
      moved = (*second)->transaction([&] { return other.apply_lifecycle(m, rules::Lifecycle::transfer, "2021-08-01", "", b(), today()); });
      finished = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(finished) << "the transfer did not wait for the removal";
    return {};
  });
  ASSERT_TRUE(removed) << removed.error().message;
  transfer.join();
  EXPECT_FALSE(moved) << "a removed member was transferred";
  EXPECT_EQ(store->member(m)->status, "removed");
  auto open = conn->query_one("SELECT COUNT(*) FROM member_periods WHERE member_id = ?1 AND to_on IS NULL", {m});
  EXPECT_EQ((*open)->i64(0), 0);
  EXPECT_EQ(*store->member_count(b(), "2021-12-31"), 0);
  second->reset();
}

// A member's own account, and a secretary's, belong to the member's stay: moved to another
// branch they are a plain member there; gone from the roll, the account is disabled and signed out.
TEST_P(OrgStoreTest, AMembersAccountsFollowTheMember) {
  int64_t an = add("Lê", "Văn", "An", "2020-02-01");
  int64_t binh = add("Lê", "Văn", "Bình", "2020-02-01");
  auto user = [&](const char* name, const char* role, int64_t org_id, int64_t member) {
    return *conn->insert_id("INSERT INTO users (username, password_hash, role, org_id, member_id, display_name, created_at) "
                            "VALUES (?1, 'x', ?2, ?3, ?4, ?1, 0) RETURNING id",
                            {name, role, org_id, member});
  };
  const int64_t an_own = user("an", "member", a(), an), an_secretary = user("an.bt", "branch_secretary", a(), an);
  const int64_t an_above = user("an.dk", "org_manager", ids[2], an), binh_own = user("binh", "member", a(), binh);
  ASSERT_TRUE(conn->execute("INSERT INTO user_grants (user_id, grant_name, org_id, granted_at) VALUES (?1, 'blood_coordinator', ?2, 0), "
                            "(?3, 'desk_coordinator', ?4, 0)",
                            {an_own, a(), an_above, ids[2]}));
  ASSERT_TRUE(conn->execute("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
                            "VALUES ('s1', ?1, 'c', 0, 0, 99), ('s2', ?2, 'c', 0, 0, 99)",
                            {binh_own, an_above}));
  auto account = [&](int64_t id) {
    auto r = *conn->query_one("SELECT role, org_id, disabled FROM users WHERE id = ?1", {id});
    return std::tuple{r->str(0), r->i64(1), r->i64(2)};
  };
  auto count = [&](const char* sql, int64_t id) { return (*conn->query_one(sql, {id}))->i64(0); };
  ASSERT_TRUE(conn->transaction([&] { return store->apply_lifecycle(an, rules::Lifecycle::transfer, "2021-05-01", "", b(), today()); }));
  EXPECT_EQ(account(an_own), std::tuple(std::string("member"), b(), int64_t{0}));
  EXPECT_EQ(account(an_secretary), std::tuple(std::string("member"), b(), int64_t{0}));
  EXPECT_EQ(account(an_above), std::tuple(std::string("org_manager"), ids[2], int64_t{0}));  // not the branch's
  EXPECT_EQ(count("SELECT COUNT(*) FROM user_grants WHERE user_id = ?1", an_own), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM user_grants WHERE user_id = ?1", an_above), 1);
  ASSERT_TRUE(conn->transaction([&] { return store->apply_lifecycle(binh, rules::Lifecycle::remove, "2021-06-01", "Bỏ sinh hoạt", std::nullopt, today()); }));
  EXPECT_EQ(std::get<2>(account(binh_own)), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE user_id = ?1", binh_own), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE user_id = ?1", an_above), 1);
  EXPECT_EQ(std::get<2>(account(an_own)), 0);
}

TEST_P(OrgStoreTest, DuplicateCccdIsAConflictNamingTheField) {
  auto in = rules::validate_member({{"family_name", "Lê"}, {"given_name", "An"}, {"sex", "male"}, {"birth_date", "1990-08-14"}, {"cccd", "068090123456"}}, today());
  ASSERT_TRUE(in);
  ASSERT_TRUE(conn->transaction([&] { return ignore_value(store->add_member(a(), *in)); }));
  auto again = conn->transaction([&] { return ignore_value(store->add_member(b(), *in)); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(again.error().field, "cccd");
}

TEST_P(OrgStoreTest, UnitMustBelongToTheBranch) {
  auto in = rules::validate_member({{"family_name", "Lê"}, {"given_name", "An"}, {"sex", "male"}, {"birth_date", "1990-08-14"},
                                    {"unit_id", std::to_string(ids[5])}}, today());
  auto wrong = conn->transaction([&] { return ignore_value(store->add_member(b(), *in)); });
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().field, "unit_id");
}

TEST_P(OrgStoreTest, MoveRewritesTheSubtreePaths) {
  int64_t other_dk = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(id, store->create_org({"DK2", "Đoàn khối 2", level[2], ids[1], ""}));
    other_dk = id;
    return store->move_org(a(), other_dk, "2021-06-01");
  }));
  EXPECT_EQ(org(a()).parent_id, other_dk);
  EXPECT_TRUE(org(a()).path.starts_with(org(other_dk).path));
  auto cycle = conn->transaction([&] { return store->move_org(ids[1], other_dk, "2021-06-01"); });
  ASSERT_FALSE(cycle);
  EXPECT_EQ(cycle.error().field, "parent_id");
}

TEST_P(OrgStoreTest, ImportIsAllOrNothing) {
  tabular::Table t;
  t.header = {"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Đơn vị công tác", "Chức vụ"};
  t.rows = {{"1", "Phan Văn Sang", "14/08/1990", "Nam", "068090123456", "Văn phòng", "Bí thư"},
            {"2", "Lê Thị Hà", "31/02/2000", "Nữ", "", "", ""},
            {"3", "Trần Minh Đức", "20/11/1991", "Nam", "068091000001", "Không có", ""}};
  t.row_numbers = {2, 3, 4};
  auto plan = plan_import(t, *store, a(), today());
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->bad, 2u);
  EXPECT_EQ(plan->rows[1].error->field, "birth_date");
  EXPECT_EQ(plan->rows[2].error->field, "unit");
  auto commit = conn->transaction([&] { return ignore_value(commit_import(*plan, *store, a())); });
  ASSERT_FALSE(commit);
  EXPECT_EQ(store->members(org(a()), MemberQuery{}, today())->total, 0);
  t.rows.erase(t.rows.begin() + 1, t.rows.end());
  t.row_numbers.resize(1);
  plan = plan_import(t, *store, a(), today());
  ASSERT_TRUE(plan->ok());
  ASSERT_TRUE(conn->transaction([&] { return ignore_value(commit_import(*plan, *store, a())); }));
  auto page = store->members(org(a()), MemberQuery{}, today());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].committee_role, "secretary");
  EXPECT_EQ(page->items[0].unit_name, "Văn phòng");
  // Re-importing the same CCCD is caught at preview.
  plan = plan_import(t, *store, a(), today());
  EXPECT_EQ(plan->bad, 1u);
  EXPECT_EQ(plan->rows[0].error->field, "cccd");
}

TEST_P(OrgStoreTest, ExportUsesTheImportHeaders) {
  add("Phan", "Văn", "Sang", "2021-01-01");
  auto t = export_table(*store, org(a()), today());
  ASSERT_TRUE(t);
  for (const auto& h : t->header) {
    if (h == "STT") continue;
    EXPECT_FALSE(map_header(h).empty()) << h;
  }
  EXPECT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(t->rows[0][1], "Phan Văn Sang");
}

TEST_P(OrgStoreTest, ExportIsWholePastTheCountingCap) {
  for (int k = 0; k < 23; ++k) add("Phan", "Văn", "Sang " + std::to_string(k), "2021-01-01");
  // Counting stops at 5 (as it does at 10,000): the export still reads every page to the last.
  store->set_search_limits(Store::SearchLimits{.count_cap = 5, .search_cap = 5, .first_chunk = 16, .count_names = 256});
  for (int64_t page : {4, 5, 23, 1000}) {
    auto t = export_table(*store, org(a()), today(), page);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->rows.size(), 23u) << page;
    EXPECT_EQ(t->rows.back()[0], "23") << page;
  }
}

// ---- bulk writing: add_members and the import write what add_member would, row for row ----

// `n` members for branch A (units `u1`, `u2`): accented names, with and without CCCD, unit,
// phone and e-mail, admitted in the branch ("admit") or entering it later ("enter"). CCCDs are
// 068095000000 + first + i.
std::vector<MemberInput> varied_inputs(size_t n, int64_t u1, int64_t u2, size_t first = 0) {
  static const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng"};
  static const char* middle[] = {"Văn", "Thị", "", "Ngọc", "Hữu"};
  static const char* given[] = {"An", "Ánh", "Bình", "Đức", "Hà", "Trang", "Yến"};
  std::vector<MemberInput> out;
  for (size_t k = 0; k < n; ++k) {
    const size_t i = first + k;
    MemberInput m;
    m.family_name = family[i % 6];
    m.middle_name = middle[i % 5];
    m.given_name = given[i % 7];
    m.sex = i % 2 ? "female" : "male";
    m.birth_date = "1995-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10);
    if (i % 3 != 0) {
      std::string digits = std::to_string(i);
      m.cccd = "068095" + std::string(6 - digits.size(), '0') + digits;
    }
    if (i % 4 == 0) m.phone = "0912" + std::to_string(100000 + i);
    if (i % 5 == 0) m.email = "dv" + std::to_string(i) + "@example.vn";
    m.joined_union_on = i % 7 == 0 ? "" : "2011-03-26";
    m.card_number = i % 2 ? std::to_string(200000 + i) : "";
    m.branch_since = i % 3 == 1 ? "2011-03-26" : "2021-01-0" + std::to_string(1 + i % 9);
    if (i % 4 == 1) m.unit_id = u1;
    if (i % 4 == 2) m.unit_id = u2;
    m.committee_role = i == 0 ? "secretary" : "";
    out.push_back(std::move(m));
  }
  return out;
}

// Every row of a query as text ("∅" for NULL), in the query's order.
std::vector<std::string> dump(db::Connection& c, const std::string& sql) {
  auto rows = c.query(sql);
  EXPECT_TRUE(rows) << rows.error().message;
  std::vector<std::string> out;
  if (!rows) return out;
  for (const auto& r : *rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) line += (i ? "|" : "") + (r.is_null(i) ? std::string("∅") : r.str(i));
    out.push_back(std::move(line));
  }
  return out;
}

// What adding members writes: the tables, whole.
std::vector<std::vector<std::string>> member_tables(db::Connection& c) {
  return {dump(c, "SELECT * FROM members ORDER BY id"), dump(c, "SELECT * FROM member_periods ORDER BY id"),
          dump(c, "SELECT * FROM member_events ORDER BY id"),
          dump(c, "SELECT sort_key, search_text FROM member_names ORDER BY sort_key, search_text"),
          dump(c, "SELECT * FROM audit_log ORDER BY id")};
}

// Migration 0020: whatever changes what a branch's member list shows moves the branch's
// roll_version in the same transaction (the kept lists in org/routes.cpp depend on it), and
// nothing else's. Migration 0023: every org's active_members (the tree page's counts) is its
// members with status active, counted, after each change.
TEST_P(OrgStoreTest, RollVersionAndActiveCountFollowEveryChangeToABranchsList) {
  auto v = [&](int64_t id) { return org(id).roll_version; };
  auto counts_agree = [&](const char* what) {
    auto counted = conn->query("SELECT branch_id, COUNT(*) FROM members WHERE status = 'active' GROUP BY branch_id");
    ASSERT_TRUE(counted);
    std::map<int64_t, int64_t> expected;
    for (const auto& r : *counted) expected[r.i64(0)] = r.i64(1);
    auto orgs = store->orgs(std::nullopt);
    ASSERT_TRUE(orgs);
    for (const auto& o : *orgs) EXPECT_EQ(o.active_members, expected[o.id]) << what << ", " << o.name;
    // The open stays kept by branch (0026), and every org's dated count from them against the
    // stays that cover the day, counted: before, between and after the changes' dates.
    auto open = conn->query("SELECT branch_id, COUNT(*) FROM member_periods WHERE to_on IS NULL GROUP BY branch_id "
                            "EXCEPT SELECT branch_id, stays FROM open_stays WHERE stays <> 0");
    ASSERT_TRUE(open);
    EXPECT_TRUE(open->empty()) << what << ": open_stays differs for branch " << open->front().i64(0);
    auto zero_or_kept = conn->query("SELECT branch_id FROM open_stays WHERE stays <> 0 EXCEPT "
                                    "SELECT branch_id FROM member_periods WHERE to_on IS NULL");
    ASSERT_TRUE(zero_or_kept);
    EXPECT_TRUE(zero_or_kept->empty()) << what << ": open_stays counts a branch with no open stay";
    for (const auto& o : *orgs) {
      for (const char* day : {"2019-12-31", "2020-02-01", "2021-04-30", "2021-05-01", "2021-06-30", "2021-07-01", "2030-01-01"}) {
        auto counted_on = conn->query_one(
            "SELECT COUNT(*) FROM member_periods p JOIN orgs o ON o.id = p.branch_id "
            "WHERE o.path LIKE ?1 AND p.from_on <= ?2 AND (p.to_on IS NULL OR p.to_on > ?2)",
            {o.path + "%", std::string(day)});
        ASSERT_TRUE(counted_on);
        auto kept = store->member_count(o.id, day);
        ASSERT_TRUE(kept) << kept.error().message;
        EXPECT_EQ(*kept, (*counted_on)->i64(0)) << what << ", " << o.name << " on " << day;
      }
    }
  };
  struct Seen {
    int64_t a, b, dk;
  };
  auto seen = [&] { return Seen{v(a()), v(b()), v(ids[2])}; };
  // Expects `a` and `b` to have moved as said, and the Đoàn khối (no members) never.
  auto expect_moved = [&](const Seen& before, bool a_moved, bool b_moved, const char* what) {
    Seen now = seen();
    EXPECT_EQ(now.a > before.a, a_moved) << what;
    EXPECT_EQ(now.b > before.b, b_moved) << what;
    EXPECT_GE(now.a, before.a) << what;
    EXPECT_GE(now.b, before.b) << what;
    EXPECT_EQ(now.dk, before.dk) << what;
    counts_agree(what);
  };

  Seen s = seen();
  int64_t m = add("Lê", "Văn", "An", "2020-02-01");
  expect_moved(s, true, false, "a member added");

  s = seen();
  ASSERT_TRUE(conn->transaction([&] { return ignore_value(store->add_members(b(), varied_inputs(2, 0, 0, 7003))); }));
  expect_moved(s, false, true, "members imported in bulk");

  s = seen();
  auto in = rules::validate_member({{"family_name", "Lê"}, {"middle_name", "Văn"}, {"given_name", "Ân"}, {"sex", "male"},
                                    {"birth_date", "1995-05-05"}, {"unit_id", std::to_string(ids[5])}},
                                   today());
  ASSERT_TRUE(in);
  ASSERT_TRUE(conn->transaction([&] { return store->update_member(m, *in); }));
  expect_moved(s, true, false, "a member edited");

  s = seen();
  ASSERT_TRUE(conn->transaction([&] { return ignore_value(store->add_unit(b(), "Phòng mới")); }));
  expect_moved(s, false, true, "a unit added");

  s = seen();
  ASSERT_TRUE(conn->execute("UPDATE units SET name = 'Văn phòng Đoàn' WHERE id = ?1", {ids[5]}));
  expect_moved(s, true, false, "a unit renamed");

  s = seen();
  ASSERT_TRUE(conn->transaction([&] { return store->apply_lifecycle(m, rules::Lifecycle::transfer, "2021-05-01", "", b(), today()); }));
  expect_moved(s, true, true, "a member moved from A to B");

  s = seen();
  int64_t leaving = add("Lê", "Văn", "Bình", "2020-02-01");
  ASSERT_TRUE(conn->transaction([&] { return store->apply_lifecycle(leaving, rules::Lifecycle::remove, "2021-07-01", "Bỏ sinh hoạt", std::nullopt, today()); }));
  expect_moved(s, true, false, "a member added, then removed from the roll");

  s = seen();
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(conn->execute("DELETE FROM member_events WHERE member_id = ?1", {leaving}));
    CHIDOAN_TRY_VOID(conn->execute("DELETE FROM member_periods WHERE member_id = ?1", {leaving}));
    return ignore_value(conn->execute("DELETE FROM members WHERE id = ?1", {leaving}));
  }));
  expect_moved(s, true, false, "a member's row deleted");

  // One statement over many rows, as a repair by hand might: B's members to A, every other one
  // matured on the way (PostgreSQL's triggers see the statement's rows as a table).
  s = seen();
  ASSERT_TRUE(conn->execute("UPDATE members SET branch_id = ?1, status = CASE WHEN id % 2 = 0 THEN 'matured' ELSE status END "
                            "WHERE branch_id = ?2",
                            {a(), b()}));
  expect_moved(s, true, true, "a branch's members moved and half matured in one statement");
  EXPECT_EQ(org(b()).active_members, 0);
  EXPECT_GT(org(a()).active_members, 0);

  // And the active ones deleted in one statement (their stays and events first).
  s = seen();
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    const std::string active = "SELECT id FROM members WHERE branch_id = ?1 AND status = 'active'";
    CHIDOAN_TRY_VOID(conn->execute("DELETE FROM member_events WHERE member_id IN (" + active + ")", {a()}));
    CHIDOAN_TRY_VOID(conn->execute("DELETE FROM member_periods WHERE member_id IN (" + active + ")", {a()}));
    return ignore_value(conn->execute("DELETE FROM members WHERE id IN (" + active + ")", {a()}));
  }));
  expect_moved(s, true, false, "a branch's active members deleted in one statement");
  EXPECT_EQ(org(a()).active_members, 0);

  // What does not change a list moves nothing: reading it, renaming the branch (the page's
  // cache key has the name), a write that is rolled back.
  s = seen();
  ASSERT_TRUE(store->members(org(a()), MemberQuery{}, today()));
  ASSERT_TRUE(conn->transaction([&] { return store->rename_org(a(), "Chi đoàn A mới", "2021-08-01"); }));
  auto failed = conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(ignore_value(store->add_member(a(), *in)));
    return fail(ErrorKind::invalid, "undone");
  });
  ASSERT_FALSE(failed);
  expect_moved(s, false, false, "reads, a rename and a rolled-back write");
}

TEST_P(OrgStoreTest, AddMembersWritesWhatAddMemberWrites) {
  // A second database with the same tree: one-by-one here, in bulk there.
  auto bulk_db = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  ASSERT_TRUE(bulk_db) << bulk_db.error().message;
  auto opened = db::Connection::open(bulk_db->url());
  ASSERT_TRUE(opened) << opened.error().message;
  db::Connection& bulk_conn = **opened;
  Store bulk(bulk_conn, clock);
  std::map<int64_t, int64_t> bulk_level;
  std::vector<int64_t> bulk_ids;
  ASSERT_TRUE(bulk_conn.transaction([&] { return make_tree(bulk, bulk_level, bulk_ids); }));
  ASSERT_EQ(bulk_ids, ids);

  // A few members in both first (one in B), so the new ids do not start at 1; then 1,100 more in
  // three calls: past the CCCD lookup's chunk (512) and several statements of each table.
  auto seed = varied_inputs(5, ids[5], ids[6], 5000);
  seed[4].unit_id.reset();  // the one in B
  for (auto [c, s] : {std::pair{conn.get(), store.get()}, std::pair{&bulk_conn, &bulk}}) {
    ASSERT_TRUE(c->transaction([&]() -> Result<void> {
      for (size_t i = 0; i < seed.size(); ++i) CHIDOAN_TRY_VOID(ignore_value(s->add_member(i == 4 ? b() : a(), seed[i])));
      return {};
    }));
  }
  const auto inputs = varied_inputs(1100, ids[5], ids[6]);
  const std::vector<std::span<const MemberInput>> calls = {std::span(inputs).subspan(0, 1), std::span(inputs).subspan(1, 1049),
                                                           std::span(inputs).subspan(1050)};
  std::vector<int64_t> one_ids, bulk_new;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    for (const auto& m : inputs) {
      CHIDOAN_TRY(id, store->add_member(a(), m));
      one_ids.push_back(id);
    }
    return {};
  }));
  ASSERT_TRUE(bulk_conn.transaction([&]() -> Result<void> {
    for (auto part : calls) {
      CHIDOAN_TRY(got, bulk.add_members(a(), part));
      EXPECT_EQ(got.size(), part.size());
      bulk_new.insert(bulk_new.end(), got.begin(), got.end());
    }
    return {};
  }));
  EXPECT_EQ(bulk_new, one_ids);
  auto one_tables = member_tables(*conn), bulk_tables = member_tables(bulk_conn);
  ASSERT_EQ(one_tables.size(), bulk_tables.size());
  EXPECT_EQ(one_tables[0].size(), 1105u);
  for (size_t t = 0; t < one_tables.size(); ++t) EXPECT_EQ(one_tables[t], bulk_tables[t]) << "table " << t;
  // The ids after them are the same too (the sequences moved alike).
  int64_t next_one = add("Võ", "Thị", "Sáu", "2021-02-02");
  int64_t next_bulk = 0;
  ASSERT_TRUE(bulk_conn.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(got, bulk.add_members(a(), varied_inputs(1, ids[5], ids[6], 9000)));
    next_bulk = got.at(0);
    return {};
  }));
  EXPECT_EQ(next_bulk, next_one);
}

TEST_P(OrgStoreTest, AddMembersRefusesWhatAddMemberRefuses) {
  // add_member's error on `input` (nothing written), and add_members' on `batch` with the index
  // it names.
  auto one_error = [&](int64_t branch, const MemberInput& input) {
    auto r = conn->transaction([&] { return ignore_value(store->add_member(branch, input)); });
    EXPECT_FALSE(r);
    return r ? Error{} : r.error();
  };
  auto bulk_error = [&](int64_t branch, const std::vector<MemberInput>& batch, size_t& failed) {
    failed = 99;
    auto r = conn->transaction([&] { return ignore_value(store->add_members(branch, batch, &failed)); });
    EXPECT_FALSE(r);
    return r ? Error{} : r.error();
  };
  auto same = [](const Error& x, const Error& y) {
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.message, y.message);
    EXPECT_EQ(x.field, y.field);
  };
  auto count = [&] { return conn->query_one("SELECT COUNT(*) FROM members")->value().i64(0); };
  auto inputs = varied_inputs(700, ids[5], ids[6]);

  // An empty batch writes and checks nothing.
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(none, store->add_members(a(), std::span<const MemberInput>()));
    EXPECT_TRUE(none.empty());
    CHIDOAN_TRY(none_elsewhere, store->add_members(ids[2], {}));
    EXPECT_TRUE(none_elsewhere.empty());
    return {};
  }));
  EXPECT_EQ(count(), 0);

  // Not a branch; a dissolved branch.
  size_t failed = 0;
  same(bulk_error(ids[2], inputs, failed), one_error(ids[2], inputs[0]));
  EXPECT_EQ(failed, 0u);
  int64_t gone = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(id, store->create_org({"CDC", "Chi đoàn C", level[4], ids[2], "2020-01-01"}));
    gone = id;
    return store->dissolve_org(gone, "2021-06-01", "");
  }));
  same(bulk_error(gone, inputs, failed), one_error(gone, inputs[0]));
  EXPECT_EQ(failed, 0u);

  // A unit of another branch, at row 600.
  int64_t unit_b = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(id, store->add_unit(b(), "Kho"));
    unit_b = id;
    return {};
  }));
  auto bad_unit = inputs;
  bad_unit[600].unit_id = unit_b;
  same(bulk_error(a(), bad_unit, failed), one_error(a(), bad_unit[600]));
  EXPECT_EQ(failed, 600u);
  EXPECT_EQ(bad_unit[600].unit_id, unit_b);

  // A CCCD twice in the batch (rows 1 and 650): the second is refused as add_member would
  // refuse it after the first.
  auto twice = inputs;
  twice[650].cccd = twice[1].cccd;
  Error dup = bulk_error(a(), twice, failed);
  EXPECT_EQ(failed, 650u);
  EXPECT_EQ(dup.kind, ErrorKind::conflict);
  EXPECT_EQ(dup.field, "cccd");
  EXPECT_EQ(dup.message, "Số CCCD đã được dùng cho một đoàn viên khác");
  EXPECT_EQ(count(), 0);

  // A CCCD already in the database, at row 620 (past the lookup's first chunk of 512).
  ASSERT_TRUE(conn->transaction([&] { return ignore_value(store->add_member(b(), inputs[620])); }));
  same(bulk_error(a(), inputs, failed), one_error(a(), inputs[620]));
  EXPECT_EQ(failed, 620u);
  EXPECT_EQ(count(), 1);
}

// A table of `n` valid members in the import template (CCCDs 068095000000 + first + i).
tabular::Table import_table(size_t n, size_t first = 0) {
  tabular::Table t;
  t.header = {"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Đơn vị công tác"};
  for (size_t i = 0; i < n; ++i) {
    std::string digits = std::to_string(first + i);
    t.rows.push_back({std::to_string(i + 1), i % 2 ? "Nguyễn Văn Đức" : "Trần Thị Ánh", "14/08/1995", i % 2 ? "Nam" : "Nữ",
                      "068" + std::string(i % 2 ? "0" : "1") + "95" + std::string(6 - digits.size(), '0') + digits,
                      i % 3 ? "Văn phòng" : ""});
    t.row_numbers.push_back(i + 2);
  }
  return t;
}

TEST_P(OrgStoreTest, ImportChecksCccdsInChunksAndCommitsInBatches) {
  // In the database before: the CCCD of row 700 (line 702).
  auto before = import_table(1100);
  {
    tabular::Table one = before;
    one.rows = {before.rows[700]};
    one.row_numbers = {2};
    auto plan = plan_import(one, *store, a(), today());
    ASSERT_TRUE(plan && plan->ok());
    ASSERT_TRUE(conn->transaction([&] { return ignore_value(commit_import(*plan, *store, a())); }));
  }
  // Row 1,050 repeats row 4's CCCD (line 6).
  auto t = before;
  t.rows[1050][4] = t.rows[4][4];
  auto plan = plan_import(t, *store, a(), today());
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->bad, 2u);
  ASSERT_TRUE(plan->rows[700].error);
  EXPECT_EQ(plan->rows[700].error->field, "cccd");
  EXPECT_EQ(plan->rows[700].error->message, "Số CCCD đã có trong danh sách đoàn viên");
  EXPECT_FALSE(plan->rows[700].input);
  ASSERT_TRUE(plan->rows[1050].error);
  EXPECT_EQ(plan->rows[1050].error->field, "cccd");
  EXPECT_EQ(plan->rows[1050].error->message, "Số CCCD trùng với dòng 6");
  EXPECT_FALSE(plan->rows[4].error);

  // Without row 700: 1,099 rows, in two batches.
  t = before;
  t.rows.erase(t.rows.begin() + 700);
  t.row_numbers.erase(t.row_numbers.begin() + 700);
  plan = plan_import(t, *store, a(), today());
  ASSERT_TRUE(plan && plan->ok()) << (plan ? plan->bad : 0);
  // Someone takes row 1,000's CCCD between preview and commit: the commit names its line (1,003:
  // line numbers skip the removed row) and writes nothing.
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    MemberInput other = *plan->rows[1000].input;
    other.unit_id.reset();
    return ignore_value(store->add_member(b(), other));
  }));
  std::vector<std::pair<size_t, size_t>> steps;
  auto progress = [&](size_t done, size_t total) { steps.emplace_back(done, total); };
  auto failed = conn->transaction([&] { return ignore_value(commit_import(*plan, *store, a(), progress)); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "Dòng 1003: Số CCCD đã được dùng cho một đoàn viên khác");
  EXPECT_EQ(failed.error().field, "cccd");
  EXPECT_EQ(store->members(org(a()), MemberQuery{}, today())->total, 1);
  // Without it, every row goes in.
  t.rows.erase(t.rows.begin() + 1000);
  t.row_numbers.erase(t.row_numbers.begin() + 1000);
  plan = plan_import(t, *store, a(), today());
  ASSERT_TRUE(plan && plan->ok());
  steps.clear();
  size_t n = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(done, commit_import(*plan, *store, a(), progress));
    n = done;
    return {};
  }));
  EXPECT_EQ(n, 1098u);
  EXPECT_EQ(steps, (std::vector<std::pair<size_t, size_t>>{{1000, 1098}, {1098, 1098}}));
  EXPECT_EQ(store->members(org(a()), MemberQuery{}, today())->total, 1 + 1098);
  // In "Văn phòng": the rows i with i % 3 != 0 (733 of the 1,100), all but row 1,000 (B's).
  EXPECT_EQ(store->members(org(a()), MemberQuery{.unit_id = ids[5]}, today())->total, 732);
}

CHIDOAN_INSTANTIATE_DB_TEST(OrgStoreTest);

// ---- the member search at scale: every way of finding a page gives the brute-force answer ----

class MemberSearchTest : public OrgStoreTest {
 protected:
  struct Row {
    int64_t id, branch_id;
    std::string folded, sort_key, status, name;
  };

  // `n` members spread over branches A and B, with generated Vietnamese names; about one in
  // eight is not active.
  void add_many(int n) {
    static const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "NGUYỄN", "Ngô"};
    static const char* middle[] = {"Văn", "Thị", "Minh", "Đức", "Thị Thu", "Ngọc", "", "Hữu", "Quốc", "Thanh", "văn"};
    static const char* given[] = {"An", "Anh", "Ánh", "Bình", "Cường", "Dũng", "Đức", "Hà", "Hải", "Hùng", "Linh", "Long",
                                  "Nam", "Ngọc", "Phương", "Quân", "Sang", "Thảo", "Trang", "Tuấn", "Uyên", "Yến", "Nguyên"};
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      uint32_t x = 12345;
      auto next = [&x](size_t mod) {
        x = x * 1103515245u + 12345u;
        return static_cast<size_t>((x >> 8) % mod);
      };
      for (int k = 0; k < n; ++k) {
        RawFields raw{{"family_name", family[next(std::size(family))]}, {"middle_name", middle[next(std::size(middle))]},
                             {"given_name", given[next(std::size(given))]}, {"sex", k % 2 ? "male" : "female"},
                             {"birth_date", "1995-05-05"}, {"branch_since", "2021-01-01"}};
        auto in = rules::validate_member(raw, today());
        if (!in) return std::unexpected(in.error());
        CHIDOAN_TRY(id, store->add_member(k % 3 ? a() : b(), *in));
        if (next(8) == 0) CHIDOAN_TRY_VOID(conn->execute("UPDATE members SET status = 'removed' WHERE id = ?1", {id}));
      }
      return {};
    }));
  }

  std::vector<Row> all_rows() {
    auto rows = conn->query("SELECT id, branch_id, family_name, middle_name, given_name, status FROM members");
    EXPECT_TRUE(rows);
    std::vector<Row> out;
    for (const auto& r : *rows) {
      Member m{.family_name = r.str(2), .middle_name = r.str(3), .given_name = r.str(4)};
      out.push_back(Row{r.i64(0), r.i64(1), text::search_fold(m.full_name()),
                        text::name_sort_key(r.str(2), r.str(3), r.str(4)), r.str(5), m.full_name()});
    }
    return out;
  }

  // The ids a brute-force filter finds, in list order.
  static std::vector<int64_t> brute_force(std::vector<Row> rows, const std::string& query, const std::vector<int64_t>& branches,
                                          const std::string& status) {
    const std::string needle = text::search_fold(query);
    std::erase_if(rows, [&](const Row& r) {
      return std::find(branches.begin(), branches.end(), r.branch_id) == branches.end() ||
             (status != "all" && r.status != status) || r.folded.find(needle) == std::string::npos;
    });
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return std::tie(x.sort_key, x.id) < std::tie(y.sort_key, y.id); });
    std::vector<int64_t> out;
    for (const auto& r : rows) out.push_back(r.id);
    return out;
  }

  static std::vector<int64_t> ids_of(const MemberPage& p) {
    std::vector<int64_t> out;
    for (const auto& m : p.items) out.push_back(m.id);
    return out;
  }

  // Every page of the list for `query`, checked against the brute-force answer.
  void check(const std::vector<Row>& rows, const std::string& query, const std::string& status, int64_t page_size,
             const Store::SearchLimits& limits, const std::string& label) {
    store->set_search_limits(limits);
    const std::pair<int64_t, std::vector<int64_t>> scopes[] = {
        {ids[0], {a(), b()}}, {ids[1], {a(), b()}}, {ids[2], {a(), b()}}, {a(), {a()}}, {b(), {b()}}};
    for (const auto& [scope, branches] : scopes) {
      auto want = brute_force(rows, query, branches, status);
      const auto total = static_cast<int64_t>(want.size());
      std::string where = label + " q='" + query + "' status=" + status + " scope=" + std::to_string(scope) +
                          " page=" + std::to_string(page_size);
      for (int64_t offset = 0; offset <= total; offset += page_size) {
        MemberQuery q;
        q.q = query;
        q.status = status;
        q.limit = page_size;
        q.offset = offset;
        auto page = store->members(org(scope), q, today());
        // A search in more than one branch pages through its first search_cap matches only.
        const bool searched = !query.empty() && scope != a() && scope != b();
        if (searched && offset >= limits.search_cap) {
          ASSERT_FALSE(page) << where << " offset=" << offset;
          EXPECT_EQ(page.error().field, "offset");
          break;
        }
        ASSERT_TRUE(page) << where << ": " << page.error().message;
        std::vector<int64_t> slice(want.begin() + offset, want.begin() + std::min(total, offset + page_size));
        ASSERT_EQ(ids_of(*page), slice) << where << " offset=" << offset;
        const auto shown = static_cast<int64_t>(page->items.size());
        // A page that is not full (and not past the end) tells the total; else it is counted.
        const bool told = shown < page_size && (offset == 0 || shown > 0);
        if (shown == 0 && offset > 0) {
          // Past the end: the exact total, or (when it had to count) "at least" the cap.
          if (page->total_is_lower_bound) {
            EXPECT_GT(total, limits.count_cap) << where << " offset=" << offset;
            EXPECT_EQ(page->total, std::max(limits.count_cap, offset)) << where << " offset=" << offset;
          } else {
            EXPECT_EQ(page->total, total) << where << " offset=" << offset;
          }
        } else if (!told && total > limits.count_cap) {
          EXPECT_TRUE(page->total_is_lower_bound) << where << " offset=" << offset;
          EXPECT_EQ(page->total, std::max(limits.count_cap, offset + shown)) << where << " offset=" << offset;
        } else {
          EXPECT_FALSE(page->total_is_lower_bound) << where << " offset=" << offset;
          EXPECT_EQ(page->total, total) << where << " offset=" << offset;
        }
        if (page_size > 40) break;  // one page is enough for the long pages
      }
    }
  }
};

TEST_P(MemberSearchTest, EveryPlanGivesTheBruteForceAnswer) {
  add_many(320);
  const auto rows = all_rows();
  // Lengths 1 to 10, with and without accents and capitals, across words, LIKE's own
  // characters and an FTS5 quote.
  const std::vector<std::string> queries = {
      "a",        "Đ",         "ng",          "AN",          "thị",        "uyễn",       "nguyen",     "NGUYỄN V",
      "văn an",   "thi thu t", "ễn thị thu",  "tran van",    "h",          "xyz",        "đức",        "duc",
      "an",       "ANH",       "ng thi thu",  "n v",         "%",          "n_v",        "a\"b",       "van",
      "uyen van a", "ên",      "phương",      "ò",           "guyen thi t", "le thi",    "ho"};
  // The defaults; one name a chunk (every chunk boundary, the page filled mid-chunk); and a low
  // cap, so that counting stops.
  // (The names' budget for counting has a test of its own below.)
  const Store::SearchLimits normal{.count_cap = kMemberCountCap, .search_cap = kMemberSearchCountCap, .first_chunk = 16,
                                   .count_names = 100000};
  const Store::SearchLimits one_by_one{.count_cap = 10000, .search_cap = 10000, .first_chunk = 1, .count_names = 4096};
  const Store::SearchLimits low_cap{.count_cap = 20, .search_cap = 20, .first_chunk = 1, .count_names = 4096};
  for (const auto& query : queries) {
    for (const auto& [limits, label] : {std::pair{normal, "normal"}, {one_by_one, "one by one"}, {low_cap, "low cap"}}) {
      check(rows, query, "active", 50, limits, label);
      check(rows, query, "all", 7, limits, label);
      if (HasFatalFailure()) return;
    }
  }
}

TEST_P(MemberSearchTest, NamesFollowRenamesAndDeletes) {
  add_many(40);
  const int64_t id = add("Nguyễn", "Văn", "Quyết", "2021-01-01");
  auto find = [&](const std::string& query) {
    MemberQuery q;
    q.q = query;
    auto page = store->members(org(ids[0]), q, today());
    EXPECT_TRUE(page) << page.error().message;
    return page ? ids_of(*page) : std::vector<int64_t>{};
  };
  auto named = [&](const std::string& folded) {
    auto row = conn->query_one("SELECT COUNT(*) FROM member_names WHERE search_text = ?1", {folded});
    EXPECT_TRUE(row) << row.error().message;
    return row && *row ? (*row)->i64(0) : -1;
  };
  EXPECT_EQ(find("quyết"), std::vector<int64_t>{id});
  EXPECT_EQ(find("VAN QUYET"), std::vector<int64_t>{id});
  EXPECT_EQ(named("nguyen van quyet"), 1);
  // Every member's name is there, once.
  auto missing = conn->query_one("SELECT COUNT(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_names n "
                                 "WHERE n.sort_key = m.sort_key AND n.search_text = m.search_text)");
  ASSERT_TRUE(missing && *missing);
  EXPECT_EQ((*missing)->i64(0), 0);

  RawFields raw{{"family_name", "Trần"}, {"middle_name", "Thị"}, {"given_name", "Xoan"}, {"sex", "female"},
                       {"birth_date", "1995-05-05"}, {"branch_since", "2021-01-01"}};
  auto in = rules::validate_member(raw, today());
  ASSERT_TRUE(in);
  ASSERT_TRUE(conn->transaction([&] { return store->update_member(id, *in); }));
  EXPECT_EQ(find("quyết"), std::vector<int64_t>{});
  EXPECT_EQ(find("thị xoan"), std::vector<int64_t>{id});
  EXPECT_EQ(named("tran thi xoan"), 1);

  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    for (const char* table : {"member_events", "member_periods"})
      CHIDOAN_TRY_VOID(conn->execute(std::string("DELETE FROM ") + table + " WHERE member_id = ?1", {id}));
    CHIDOAN_TRY_VOID(conn->execute("DELETE FROM members WHERE id = ?1", {id}));
    return {};
  }));
  // The name stays in member_names and finds nobody.
  EXPECT_EQ(find("xoan"), std::vector<int64_t>{});
  EXPECT_EQ(named("tran thi xoan"), 1);
}

// On PostgreSQL a search turns bitmap scans off for its members' statements (Store::members):
// inside a caller's transaction, the statements after it plan as before.
TEST_P(MemberSearchTest, ASearchInACallersTransactionLeavesThePlannerAsItWas) {
  if (engine() != db::Engine::postgres) GTEST_SKIP() << "a PostgreSQL planner setting";
  for (int k = 0; k < 3; ++k) add("Nguyễn", "Văn", "Sang", "2021-01-01");
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    MemberQuery q;
    q.q = "sang";
    CHIDOAN_TRY(page, store->members(org(ids[0]), q, today()));
    EXPECT_EQ(page.items.size(), 3u);
    CHIDOAN_TRY(setting, conn->query_one("SELECT current_setting('enable_bitmapscan')"));
    EXPECT_EQ(setting->str(0), "on");
    return {};
  }));
}

TEST_P(MemberSearchTest, TotalIsCappedAndSaysSo) {
  for (int k = 0; k < 12; ++k) add("Nguyễn", "Văn", "Sang", "2021-01-01");
  add("Trần", "Văn", "Sang", "2021-01-01");
  store->set_search_limits({.count_cap = 10, .search_cap = 10, .first_chunk = 16, .count_names = 4096});
  MemberQuery q;
  q.q = "nguyen";
  q.limit = 5;
  auto first = store->members(org(ids[0]), q, today());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->items.size(), 5u);
  EXPECT_EQ(first->total, 10);
  EXPECT_TRUE(first->total_is_lower_bound);
  q.offset = 5;
  auto second = store->members(org(ids[0]), q, today());
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->total, 10);
  EXPECT_TRUE(second->total_is_lower_bound);
  // A search pages through its first `search_cap` matches only: deeper is refused, on offset.
  q.offset = 10;
  auto deep = store->members(org(ids[0]), q, today());
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().field, "offset");
  // In one branch the list is a plain query: any offset, and a short last page tells the total.
  q.offset = 10;
  auto last = store->members(org(a()), q, today());
  ASSERT_TRUE(last) << last.error().message;
  const int64_t in_a = static_cast<int64_t>(last->items.size()) + 10;
  EXPECT_EQ(last->total, in_a);
  EXPECT_FALSE(last->total_is_lower_bound);
  // Within the cap the count is exact.
  q.q = "tran";
  q.offset = 0;
  q.limit = 1;
  auto few = store->members(org(ids[0]), q, today());
  EXPECT_EQ(few->total, 1);
  EXPECT_FALSE(few->total_is_lower_bound);
  q.q = "sang";
  store->set_search_limits({.count_cap = 20, .search_cap = 20, .first_chunk = 16, .count_names = 4096});
  auto all = store->members(org(ids[0]), q, today());
  EXPECT_EQ(all->total, 13);
  EXPECT_FALSE(all->total_is_lower_bound);
  // The default cap.
  EXPECT_EQ(Store::SearchLimits{}.count_cap, kMemberCountCap);
  EXPECT_EQ(kMemberCountCap, 10000);
}

TEST_P(MemberSearchTest, CountingPastThePageHasABudgetOfNames) {
  // Five bearers of five names: a page of one, and counting may read two more names only.
  for (const char* given : {"An", "Bình", "Chi", "Dung", "Giang"}) add("Nguyễn", "Thị", given, "2021-01-01");
  store->set_search_limits({.count_cap = 10000, .search_cap = 10000, .first_chunk = 1, .count_names = 2});
  MemberQuery q;
  q.q = "nguyen thi";
  q.limit = 1;
  auto page = store->members(org(ids[0]), q, today());
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].given_name, "An");
  EXPECT_TRUE(page->total_is_lower_bound);
  EXPECT_GE(page->total, 1);
  EXPECT_LT(page->total, 5);
  // With room to count, the total is exact.
  store->set_search_limits({});
  page = store->members(org(ids[0]), q, today());
  ASSERT_TRUE(page);
  EXPECT_FALSE(page->total_is_lower_bound);
  EXPECT_EQ(page->total, 5);
}

CHIDOAN_INSTANTIATE_DB_TEST(MemberSearchTest);


}  // namespace
}  // namespace chidoan::org
