#include "org/bundle.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::org {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

json demo() { return chidoan::testing::demo_bundle(); }

class BundleTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  int64_t id_of(const std::string& code) { return (*Store(*conn, clock).org_by_code(code))->id; }
};

TEST_P(BundleTest, DemoTellsTheArticlesBranch) {
  auto stats = bundle::load(*conn, clock, demo());
  ASSERT_TRUE(stats) << stats.error().field << ": " << stats.error().message;
  Store store(*conn, clock);
  int64_t branch = id_of("VPUBND");
  EXPECT_EQ(*store.member_count(branch, "2021-12-31"), 23);
  EXPECT_EQ(store.units(branch)->size(), 4u);
  // Before the split of 04/2021 the members were in the old joint branch.
  EXPECT_EQ(*store.member_count(branch, "2021-03-31"), 0);
  EXPECT_GT(*store.member_count(id_of("VPDBQH"), "2021-03-31"), 23);
  auto o = store.org(branch);
  EXPECT_EQ(o->name, "Chi đoàn Văn phòng UBND tỉnh");
  MemberQuery q;
  q.q = "phan van sang";
  auto page = store.members(*o, q, today(clock));
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].committee_role, "secretary");
}

TEST_P(BundleTest, LoadDumpLoadRoundTripsExactly) {
  ASSERT_TRUE(bundle::load(*conn, clock, demo()));
  auto first = bundle::dump(*conn, clock, id_of("TW"));
  ASSERT_TRUE(first);
  // The demo file is itself in the canonical dump form.
  EXPECT_EQ(*first, demo());
  auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  ASSERT_TRUE(fresh);
  auto other = db::Connection::open(fresh->url());
  ASSERT_TRUE(other);
  ASSERT_TRUE(bundle::load(**other, clock, *first));
  Store other_store(**other, clock);
  auto second = bundle::dump(**other, clock, (*other_store.org_by_code("TW"))->id);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->dump(2), second->dump(2));
  other->reset();
}

struct Corruption {
  const char* name;
  std::function<void(json&)> apply;
  const char* path;
};

class BundleErrors : public BundleTest {};

TEST_P(BundleErrors, NameTheJsonPathAndWriteNothing) {
  std::vector<Corruption> cases = {
      {"version", [](json& d) { d["version"] = 99; }, "$.version"},
      {"unknown top field", [](json& d) { d["extra"] = 1; }, "$.extra"},
      {"bad birth date", [](json& d) { d["members"][3]["birth_date"] = "2000-02-31"; }, "$.members[3].birth_date"},
      {"short cccd", [](json& d) { d["members"][5]["cccd"] = "06809012345"; }, "$.members[5].cccd"},
      {"duplicate cccd", [](json& d) { d["members"][6]["cccd"] = d["members"][2]["cccd"]; }, "$.members[6].cccd"},
      {"unknown branch", [](json& d) { d["members"][1]["periods"][0]["branch"] = "NOPE"; }, "$.members[1].periods[0].branch"},
      {"wrong type", [](json& d) { d["members"][0]["given_name"] = 5; }, "$.members[0].given_name"},
      {"parent order", [](json& d) { std::swap(d["orgs"][1], d["orgs"][2]); }, "$.orgs[1].parent"},
      {"unit elsewhere", [](json& d) { d["members"][0]["unit"] = "Không có"; }, "$.members[0].unit"},
      {"open then closed", [](json& d) { d["members"][0]["status"] = "removed"; }, "$.members[0].status"},
  };
  for (const auto& c : cases) {
    json doc = demo();
    c.apply(doc);
    auto r = bundle::load(*conn, clock, doc);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().field, c.path) << c.name << ": " << r.error().message;
    auto count = conn->query_one("SELECT COUNT(*) FROM orgs");
    EXPECT_EQ((*count)->i64(0), 0) << c.name;
  }
  // Loading twice: the second load finds its codes taken.
  ASSERT_TRUE(bundle::load(*conn, clock, demo()));
  auto again = bundle::load(*conn, clock, demo());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
}

CHIDOAN_INSTANTIATE_DB_TEST(BundleTest);
CHIDOAN_INSTANTIATE_DB_TEST(BundleErrors);

}  // namespace
}  // namespace chidoan::org
