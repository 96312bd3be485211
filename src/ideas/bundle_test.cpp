// The "ideas" bundle section on both engines: the demo's forum of 2/11/2021 loads and dumps as it
// is, round-trips exactly, and bad entries are refused with their JSON path.
#include "ideas/bundle.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "activity/bundle.hpp"
#include "ideas/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::ideas {
namespace {

using nlohmann::json;

json demo() { return chidoan::testing::demo_bundle({"activity", "ideas"}); }

class IdeasBundleTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  std::vector<chidoan::bundle::Section> sections{activity::bundle_section(), bundle_section()};
  int64_t org_id(const char* code) { return (*org::Store(*conn, clock).org_by_code(code))->id; }
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  // The demo with the first forum's idea `i` changed by `fn`; the error of loading it.
  Error refused(size_t i, const std::function<void(json&)>& fn) {
    json d = demo();
    fn(d["ideas"]["forums"][0]["ideas"][i]);
    auto r = org::bundle::load(*conn, clock, d, sections);
    EXPECT_FALSE(r);
    EXPECT_EQ(count("ideas"), 0);
    return r ? Error{} : r.error();
  }
};

TEST_P(IdeasBundleTest, TheForumOfTheArticleLoadsAndDumpsAsItIs) {
  json d = demo();
  ASSERT_TRUE(d.contains("ideas"));
  auto r = org::bundle::load(*conn, clock, d, sections);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  auto dumped = org::bundle::dump(*conn, clock, org_id("TW"), sections);
  ASSERT_TRUE(dumped) << dumped.error().message;
  EXPECT_EQ((*dumped)["ideas"], d["ideas"]);

  Store store(*conn, clock);
  auto forums = store.forums(org_id("VPUBND"));
  ASSERT_TRUE(forums);
  ASSERT_EQ(forums->size(), 1u);
  const Forum& f = forums->front();
  EXPECT_EQ(f.title, "Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ");
  EXPECT_EQ(f.held_on, "2021-11-02");
  ASSERT_TRUE(f.activity_id);
  auto activity = conn->query_one("SELECT starts_at FROM activities WHERE id = ?1", {*f.activity_id});
  EXPECT_EQ((*activity)->str(0), "2021-11-02T08:00");
  // A handful of ideas in various states, supported by members, with a dated timeline.
  auto r2 = store.results(f);
  ASSERT_TRUE(r2);
  EXPECT_GE(r2->ideas, 5);
  for (const char* s : {"submitted", "mentoring", "accepted", "rejected", "implemented"}) EXPECT_GE(r2->by_state.at(s), 1) << s;
  EXPECT_GE(r2->supports, 10);
  ASSERT_GE(r2->implemented.size(), 1u);
  EXPECT_FALSE(r2->implemented[0].outcome.empty());
  auto range = conn->query_one("SELECT MIN(at), MAX(at) FROM idea_events");
  EXPECT_GE((*range)->i64(0), unix_of_local("2021-11-02T00:00"));
  EXPECT_LT((*range)->i64(1), unix_of_local("2022-01-01T00:00"));
  auto rejected = conn->query_one("SELECT COUNT(*) FROM ideas WHERE state = 'rejected' AND answer <> ''");
  EXPECT_EQ((*rejected)->i64(0), r2->by_state.at("rejected"));
  // Every author and supporter is a member of the branch.
  auto outside = conn->query_one("SELECT COUNT(*) FROM idea_supports s JOIN members m ON m.id = s.member_id WHERE m.branch_id <> ?1",
                                 {org_id("VPUBND")});
  EXPECT_EQ((*outside)->i64(0), 0);
}

TEST_P(IdeasBundleTest, RoundTripsExactlyWithMentorsLeftToTheDatabase) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), sections));
  // A mentor by username: dumped with the forum, dropped where the user does not exist.
  ASSERT_TRUE(conn->execute("INSERT INTO users (username, password_hash, role, org_id, display_name, created_at) "
                            "VALUES ('cvdoankhoi', 'x', 'org_manager', ?1, 'Cán bộ Đoàn khối', 0)",
                            {org_id("DKCQ")}));
  Store store(*conn, clock);
  int64_t forum = store.forums(org_id("VPUBND"))->front().id;
  int64_t user = (*conn->query_one("SELECT id FROM users WHERE username = 'cvdoankhoi'"))->i64(0);
  ASSERT_TRUE(conn->transaction([&] { return store.put_mentor(forum, user, "Phó Bí thư Đoàn khối"); }));
  auto first = org::bundle::dump(*conn, clock, org_id("TW"), sections);
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)["ideas"]["forums"][0]["mentors"][0]["user"], "cvdoankhoi");

  auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  ASSERT_TRUE(fresh);
  auto other = db::Connection::open(fresh->url());
  ASSERT_TRUE(other);
  auto again = org::bundle::load(**other, clock, *first, sections);
  ASSERT_TRUE(again) << again.error().field << ": " << again.error().message;
  auto tw = (*org::Store(**other, clock).org_by_code("TW"))->id;
  auto second = org::bundle::dump(**other, clock, tw, sections);
  ASSERT_TRUE(second);
  json expected = *first;
  expected["ideas"]["forums"][0]["mentors"] = json::array();
  EXPECT_EQ(expected.dump(), second->dump());
  other->reset();
}

TEST_P(IdeasBundleTest, OnlyTheSubtreesForums) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), sections));
  auto other = org::bundle::dump(*conn, clock, org_id("VPDBQH"), sections);
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->contains("ideas"));
}

TEST_P(IdeasBundleTest, BadEntriesNameTheirPath) {
  const std::string idea0 = "$.ideas.forums[0].ideas[0]";
  EXPECT_EQ(refused(0, [](json& i) { i["authors"][0]["member"] = "M9999"; }).field, idea0 + ".authors[0].member");
  EXPECT_EQ(refused(0, [](json& i) { i["supports"].push_back({{"member", "M9998"}, {"at", "2021-11-20T10:00:00"}}); }).field,
            idea0 + ".supports[" + std::to_string(demo()["ideas"]["forums"][0]["ideas"][0]["supports"].size()) + "].member");
  EXPECT_EQ(refused(0, [](json& i) { i["colour"] = "red"; }).field, idea0 + ".colour");
  EXPECT_EQ(refused(0, [](json& i) { i["title"] = ""; }).field, idea0 + ".title");
  EXPECT_EQ(refused(0, [](json& i) { i["state"] = "published"; }).field, idea0 + ".state");
  EXPECT_EQ(refused(0, [](json& i) { i["authors"][0]["role"] = "coauthor"; }).field, idea0 + ".authors");
  EXPECT_EQ(refused(0, [](json& i) { i["events"][0]["at"] = "2021-11-02 09:00"; }).field, idea0 + ".events[0].at");
  EXPECT_EQ(refused(0, [](json& i) { i["events"].push_back({{"at", "2021-11-03T09:00:00"}, {"from", nullptr}, {"to", "draft"}, {"by", nullptr}, {"note", ""}}); }).field,
            idea0 + ".events[" + std::to_string(demo()["ideas"]["forums"][0]["ideas"][0]["events"].size()) + "].at");
  EXPECT_EQ(refused(0, [](json& i) { i["supports"].push_back(i["supports"][0]); }).field,
            idea0 + ".supports[" + std::to_string(demo()["ideas"]["forums"][0]["ideas"][0]["supports"].size()) + "].member");
  // The last event's state is the idea's.
  EXPECT_EQ(refused(0, [](json& i) { i["events"].back()["to"] = "withdrawn"; }).field, idea0 + ".state");
  // An implemented idea without its date, an accepted one without an answer.
  json d = demo();
  for (auto& i : d["ideas"]["forums"][0]["ideas"])
    if (i["state"] == "implemented") i["implemented_on"] = nullptr;
  auto r = org::bundle::load(*conn, clock, d, sections);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().field.ends_with(".implemented_on")) << r.error().field;
  json forum_bad = demo();
  forum_bad["ideas"]["forums"][0]["activity"]["title"] = "Không có hoạt động này";
  auto no_activity = org::bundle::load(*conn, clock, forum_bad, sections);
  ASSERT_FALSE(no_activity);
  EXPECT_EQ(no_activity.error().field, "$.ideas.forums[0].activity");
  EXPECT_EQ(count("idea_forums"), 0);
}

CHIDOAN_INSTANTIATE_DB_TEST(IdeasBundleTest);

}  // namespace
}  // namespace chidoan::ideas
