#include "org/store.hpp"

#include <gtest/gtest.h>

#include "org/import.hpp"
#include "tests/support/results.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::org {
namespace {

using namespace std::chrono_literals;

using chidoan::testing::ignore_value;

// A small tree: TW > LD > DKCQ > {A, B}; A has two units.
class OrgStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    store = std::make_unique<Store>(*conn, clock);
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY_VOID(store->install_default_levels());
      CHIDOAN_TRY(levels, store->levels());
      for (auto& l : levels) level[l.rank] = l.id;
      CHIDOAN_TRY(tw, store->create_org({"TW", "Trung ương Đoàn", level[0], std::nullopt, ""}));
      CHIDOAN_TRY(ld, store->create_org({"LD", "Tỉnh đoàn Lâm Đồng", level[1], tw, ""}));
      CHIDOAN_TRY(dk, store->create_org({"DKCQ", "Đoàn khối", level[2], ld, ""}));
      CHIDOAN_TRY(a, store->create_org({"CDA", "Chi đoàn A", level[4], dk, "2020-01-01"}));
      CHIDOAN_TRY(b, store->create_org({"CDB", "Chi đoàn B", level[4], dk, "2020-01-01"}));
      CHIDOAN_TRY(u1, store->add_unit(a, "Văn phòng"));
      CHIDOAN_TRY(u2, store->add_unit(a, "Trung tâm"));
      ids = {tw, ld, dk, a, b, u1, u2};
      return {};
    }));
  }

  int64_t add(const std::string& family, const std::string& middle, const std::string& given, const std::string& since,
              int64_t branch = 0, const std::string& birth = "1995-05-05") {
    rules::RawFields raw{{"family_name", family}, {"middle_name", middle}, {"given_name", given}, {"sex", "male"},
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
  add("Lê", "Văn", "An", "2020-02-01");
  add("Lê", "Văn", "Bình", "2020-02-01", b());
  auto busy = conn->transaction([&] { return store->dissolve_org(a(), "2021-06-01", ""); });
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().kind, ErrorKind::conflict);
  ASSERT_TRUE(conn->transaction([&] { return store->merge_branch(a(), b(), "2021-06-01"); }));
  EXPECT_EQ(org(a()).status, "merged");
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
  ASSERT_TRUE(conn->transaction([&] { return store->apply_lifecycle(m1, rules::Lifecycle::transfer, "2021-05-01", "", b(), today()); }));
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

CHIDOAN_INSTANTIATE_DB_TEST(OrgStoreTest);

}  // namespace
}  // namespace chidoan::org
