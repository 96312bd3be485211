// The ideas forum's SQL on both engines: forums, ideas with authors and timeline, moves that
// race, co-authors, attachments, and supports that count exactly once under concurrent clicks.
#include "ideas/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::ideas {
namespace {

using namespace std::chrono_literals;

class IdeasStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    FixedClock later{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};  // the demo runs to the end of 2021
    ASSERT_TRUE(org::bundle::load(*conn, later, chidoan::testing::demo_bundle()));
    org::Store orgs(*conn, clock);
    vpubnd = (*orgs.org_by_code("VPUBND"))->id;
    auto rows = conn->query("SELECT id FROM members WHERE branch_id = ?1 AND status = 'active' ORDER BY id", {vpubnd});
    ASSERT_TRUE(rows);
    for (const auto& r : *rows) members.push_back(r.i64(0));
    ASSERT_GE(members.size(), 20u);
    rules::ForumInput f;
    f.title = "Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ";
    f.held_on = "2021-11-02";
    f.opens_on = "2021-11-02";
    f.closes_on = "2021-12-31";
    f.support_threshold = 10;
    Store store(*conn, clock);
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(id, store.create_forum(vpubnd, f));
      forum = id;
      CHIDOAN_TRY(i, store.create_idea(forum, members[0], {"Số hoá hồ sơ tại Trung tâm", "Giấy tờ nhiều", "Quét và lưu trữ", "Nhanh hơn"},
                                       std::nullopt));
      idea = i;
      return {};
    }));
  }
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 10} + 3h};
  int64_t vpubnd = 0, forum = 0, idea = 0;
  std::vector<int64_t> members;
};

TEST_P(IdeasStoreTest, AnIdeaWithItsAuthorTimelineAndTitleKey) {
  Store store(*conn, clock);
  auto i = store.idea(idea);
  ASSERT_TRUE(i) << i.error().message;
  EXPECT_EQ(i->state, "draft");
  ASSERT_EQ(i->authors.size(), 1u);
  EXPECT_EQ(i->authors[0].member_id, members[0]);
  EXPECT_EQ(i->authors[0].role, "author");
  auto key = conn->query_one("SELECT title_key FROM ideas WHERE id = ?1", {idea});
  EXPECT_EQ((*key)->str(0), "so hoa ho so tai trung tam");
  auto events = store.events(idea);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].to_state, "draft");
  EXPECT_FALSE((*events)[0].from_state);
  // Drafts are seen by their authors only.
  IdeaFilter f;
  f.forum_id = forum;
  EXPECT_EQ(store.ideas(f)->size(), 0u);
  f.drafts_of_member = members[1];
  EXPECT_EQ(store.ideas(f)->size(), 0u);
  f.drafts_of_member = members[0];
  EXPECT_EQ(store.ideas(f)->size(), 1u);
  EXPECT_EQ(store.ideas(f, vpubnd)->size(), 1u);
  auto other = conn->query_one("SELECT id FROM orgs WHERE code = 'VPDBQH'");
  EXPECT_EQ(store.ideas(f, (*other)->i64(0))->size(), 0u);
}

TEST_P(IdeasStoreTest, MovesAreDatedAndAStaleMoveIsAConflict) {
  Store store(*conn, clock);
  ASSERT_TRUE(conn->transaction([&] { return store.move(idea, "draft", {"submitted", "", "", std::nullopt}, std::nullopt); }));
  clock.advance(24h);
  ASSERT_TRUE(conn->transaction([&] { return store.move(idea, "submitted", {"mentoring", "", "", std::nullopt}, std::nullopt); }));
  clock.advance(24h);
  ASSERT_TRUE(conn->transaction([&] { return store.move(idea, "mentoring", {"accepted", "Triển khai thử", "", std::nullopt}, std::nullopt); }));
  // Someone else moved it meanwhile: the second move from "mentoring" finds it accepted.
  auto stale = conn->transaction([&] { return store.move(idea, "mentoring", {"rejected", "Không", "", std::nullopt}, std::nullopt); });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().kind, ErrorKind::conflict);
  clock.advance(24h * 20);
  ASSERT_TRUE(conn->transaction([&] { return store.move(idea, "accepted", {"implemented", "", "Đã số hoá 1.200 hồ sơ", "2021-12-01"}, std::nullopt); }));
  auto i = store.idea(idea);
  EXPECT_EQ(i->state, "implemented");
  EXPECT_EQ(i->answer, "Triển khai thử");
  EXPECT_EQ(i->outcome, "Đã số hoá 1.200 hồ sơ");
  EXPECT_EQ(i->implemented_on, "2021-12-01");
  EXPECT_TRUE(i->submitted_at);
  auto events = store.events(idea);
  ASSERT_EQ(events->size(), 5u);
  EXPECT_EQ((*events)[3].note, "Triển khai thử");
  EXPECT_EQ((*events)[4].from_state, "accepted");
  EXPECT_LT((*events)[1].at, (*events)[2].at);
  // The database refuses an implemented idea without its date, whatever the caller.
  auto bad = conn->execute("UPDATE ideas SET implemented_on = NULL WHERE id = ?1", {idea});
  EXPECT_FALSE(bad);
}

TEST_P(IdeasStoreTest, CoauthorsAskAndAreAccepted) {
  Store store(*conn, clock);
  ASSERT_TRUE(conn->transaction([&] { return store.request_coauthor(idea, members[1]); }));
  auto twice = conn->transaction([&] { return store.request_coauthor(idea, members[1]); });
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  EXPECT_EQ(conn->transaction([&] { return store.request_coauthor(idea, members[0]); }).error().kind, ErrorKind::conflict);
  EXPECT_FALSE(*store.is_author(idea, members[1]));
  EXPECT_EQ(conn->transaction([&] { return store.accept_coauthor(idea, members[2]); }).error().kind, ErrorKind::not_found);
  ASSERT_TRUE(conn->transaction([&] { return store.accept_coauthor(idea, members[1]); }));
  EXPECT_TRUE(*store.is_author(idea, members[1]));
  auto i = store.idea(idea);
  ASSERT_EQ(i->authors.size(), 2u);
  EXPECT_EQ(i->authors[0].role, "author");
  EXPECT_EQ(i->authors[1].role, "coauthor");
  EXPECT_EQ(i->authors[1].status, "accepted");
}

TEST_P(IdeasStoreTest, AttachmentsKeepTheirBytes) {
  Store store(*conn, clock);
  std::string png = std::string("\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR", 16) + std::string(1000, '\xAB');
  auto in = rules::check_attachment("so-do.png", png, 0);
  ASSERT_TRUE(in);
  int64_t id = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(a, store.add_attachment(idea, members[0], *in, png));
    id = a;
    return {};
  }));
  EXPECT_EQ(*store.attachment_bytes(id), png);
  EXPECT_EQ(store.attachment(id)->mime, "image/png");
  EXPECT_EQ(store.attachments(idea)->size(), 1u);
  ASSERT_TRUE(conn->transaction([&] { return store.remove_attachment(id); }));
  EXPECT_EQ(store.attachment(id).error().kind, ErrorKind::not_found);
}

TEST_P(IdeasStoreTest, SupportingTwiceIsAConflictAndWithdrawingCounts) {
  Store store(*conn, clock);
  ASSERT_TRUE(conn->transaction([&] { return store.support(idea, members[1]); }));
  auto twice = conn->transaction([&] { return store.support(idea, members[1]); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  EXPECT_EQ(twice.error().field, "support");
  EXPECT_EQ(*store.support_count(idea), 1);
  EXPECT_TRUE(*store.supports(idea, members[1]));
  ASSERT_TRUE(conn->transaction([&] { return store.withdraw_support(idea, members[1]); }));
  EXPECT_EQ(conn->transaction([&] { return store.withdraw_support(idea, members[1]); }).error().kind, ErrorKind::conflict);
  EXPECT_EQ(*store.support_count(idea), 0);
}

// Many members click "support" at once, each several times, on connections of their own: every
// member counts exactly once.
TEST_P(IdeasStoreTest, ConcurrentClicksCountOnce) {
  const size_t people = 6, clicks = 3;
  std::atomic<int> ok{0}, conflicts{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (size_t p = 0; p < people; ++p)
    for (size_t c = 0; c < clicks; ++c)
      threads.emplace_back([&, p] {
        auto own = open_connection();
        if (!own) {
          ++other;
          return;
        }
        Store store(*own, clock);
        while (!go.load()) std::this_thread::yield();
        auto r = own->transaction([&] { return store.support(idea, members[p + 1]); });
        if (r) ++ok;
        else if (r.error().kind == ErrorKind::conflict) ++conflicts;
        else {
          ++other;
          ADD_FAILURE() << r.error().message;
        }
      });
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), static_cast<int>(people));
  EXPECT_EQ(conflicts.load(), static_cast<int>(people * (clicks - 1)));
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(*Store(*conn, clock).support_count(idea), static_cast<int64_t>(people));
  EXPECT_EQ(count("idea_supports"), static_cast<int64_t>(people));
}

TEST_P(IdeasStoreTest, ResultsCountByState) {
  Store store(*conn, clock);
  int64_t second = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.move(idea, "draft", {"submitted", "", "", std::nullopt}, std::nullopt));
    CHIDOAN_TRY(s, store.create_idea(forum, members[3], {"Điểm danh bằng mã QR", "", "", ""}, std::nullopt));
    second = s;
    CHIDOAN_TRY_VOID(store.move(second, "draft", {"submitted", "", "", std::nullopt}, std::nullopt));
    CHIDOAN_TRY_VOID(store.move(second, "submitted", {"mentoring", "", "", std::nullopt}, std::nullopt));
    CHIDOAN_TRY_VOID(store.move(second, "mentoring", {"accepted", "Đồng ý", "", std::nullopt}, std::nullopt));
    CHIDOAN_TRY_VOID(store.move(second, "accepted", {"implemented", "", "Dùng từ tháng 12", "2021-11-10"}, std::nullopt));
    CHIDOAN_TRY_VOID(store.create_idea(forum, members[4], {"Bản nháp", "", "", ""}, std::nullopt));
    for (size_t k = 5; k < 8; ++k) CHIDOAN_TRY_VOID(store.support(second, members[k]));
    return store.support(idea, members[9]);
  }));
  auto r = store.results(*store.forum(forum));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->ideas, 2);
  EXPECT_EQ(r->supports, 4);
  EXPECT_EQ(r->by_state.at("submitted"), 1);
  EXPECT_EQ(r->by_state.at("implemented"), 1);
  EXPECT_FALSE(r->by_state.contains("draft"));
  ASSERT_EQ(r->implemented.size(), 1u);
  EXPECT_EQ(r->implemented[0].outcome, "Dùng từ tháng 12");
  EXPECT_EQ(r->ranked.front().id, second);
  // Hidden ideas leave the results.
  ASSERT_TRUE(conn->execute("UPDATE ideas SET hidden = 1 WHERE id = ?1", {second}));
  EXPECT_EQ(store.results(*store.forum(forum))->ideas, 1);
}

TEST_P(IdeasStoreTest, MentorsAndUsersWhoSeeTheForum) {
  Store store(*conn, clock);
  auto dk = conn->query_one("SELECT id FROM orgs WHERE code = 'DKCQ'");
  auto other = conn->query_one("SELECT id FROM orgs WHERE code = 'VPDBQH'");
  for (auto [name, org] : {std::pair{"doankhoi", (*dk)->i64(0)}, std::pair{"khac", (*other)->i64(0)}})
    ASSERT_TRUE(conn->execute("INSERT INTO users (username, password_hash, role, org_id, display_name, created_at) VALUES (?1, 'x', 'org_manager', ?2, ?1, 0)",
                              {std::string(name), org}));
  auto seer = store.user_who_sees("doankhoi", vpubnd);
  ASSERT_TRUE(seer && *seer);
  EXPECT_FALSE(*store.user_who_sees("khac", vpubnd));
  EXPECT_FALSE(*store.user_who_sees("nobody", vpubnd));
  ASSERT_TRUE(conn->transaction([&] { return store.put_mentor(forum, **seer, "Phó Bí thư Đoàn khối"); }));
  ASSERT_TRUE(conn->transaction([&] { return store.put_mentor(forum, **seer, "Bí thư Đoàn khối"); }));
  auto list = store.mentors(forum);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].title, "Bí thư Đoàn khối");
  EXPECT_TRUE(*store.is_mentor(forum, **seer));
  ASSERT_TRUE(conn->transaction([&] { return store.remove_mentor(forum, **seer); }));
  EXPECT_EQ(conn->transaction([&] { return store.remove_mentor(forum, **seer); }).error().kind, ErrorKind::not_found);
}

CHIDOAN_INSTANTIATE_DB_TEST(IdeasStoreTest);

}  // namespace
}  // namespace chidoan::ideas
