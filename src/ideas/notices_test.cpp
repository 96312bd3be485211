// Notices to an idea's authors on both engines: who is told, once per cause, read and unread per
// recipient, and the daily digest e-mail through the outbox (once a day, only to an address on
// the roll, only the unread notices of the days before).
#include "ideas/notices.hpp"

#include <gtest/gtest.h>

#include "ideas/talk_test_world.hpp"

namespace chidoan::ideas::notices {
namespace {

using namespace std::chrono_literals;

class IdeasNoticesTest : public testing::WorldTest {
 protected:
  int64_t count(const std::string& sql, const std::vector<db::Value>& params = {}) { return (*conn->query_one(sql, params))->i64(0); }
  Result<void> in_tx(const std::function<Result<void>()>& fn) { return conn->transaction(fn); }
  Result<int> digest(const std::string& day) {
    int n = 0;
    CHIDOAN_TRY_VOID(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(k, enqueue_digests(*conn, clock, texts, *parse_date(day)));
      n = k;
      return {};
    }));
    return n;
  }
  Recipient of(const std::string& user, std::optional<int64_t> member) { return Recipient{w.user_ids[user], member}; }

  render::Renderer texts;
};

TEST_P(IdeasNoticesTest, TellsTheOtherAcceptedAuthorsOncePerCause) {
  const int64_t now = clock.unix_seconds();
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "comment", "Lan đã bình luận.", now, std::nullopt, "comment:1"); }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices"), 2);  // Thảo and Ngọc
  // The same cause again: nothing more.
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "comment", "Lan đã bình luận.", now, std::nullopt, "comment:1"); }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices"), 2);
  // The one who acted is not told.
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "mentor", "Ngọc trả lời người hướng dẫn.", now, w.ngoc, "comment:2"); }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE kind = 'mentor'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE kind = 'mentor' AND member_id = ?1", {w.thao}), 1);
  // Without a ref, every call is a notice.
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "state", "Đổi trạng thái.", now); }));
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "state", "Đổi trạng thái.", now); }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE kind = 'state'"), 4);
  // A requested co-author is not told yet.
  ASSERT_TRUE(conn->execute("INSERT INTO idea_authors (idea_id, member_id, role, status, requested_at) VALUES (?1, ?2, 'coauthor', 'requested', 0)",
                            {w.idea, w.lan}));
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "answer", "Được chấp nhận.", now, std::nullopt, "answer"); }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE member_id = ?1", {w.lan}), 0);
  // An unknown kind is refused by the table.
  EXPECT_FALSE(in_tx([&] { return tell_authors(*conn, w.idea, "gossip", "x", now); }));
}

TEST_P(IdeasNoticesTest, TellUserReachesTheMemberOrTheUser) {
  const int64_t now = clock.unix_seconds();
  ASSERT_TRUE(in_tx([&] { return tell_user(*conn, w.user_ids["covan"], w.idea, "mentor", "Tác giả đã trả lời.", now, "comment:3"); }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE member_id = ?1", {w.hung}), 1);
  ASSERT_TRUE(in_tx([&] { return tell_user(*conn, w.user_ids["admin"], w.idea, "mentor", "Tác giả đã trả lời.", now, "comment:3"); }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE member_id IS NULL AND user_id = ?1", {w.user_ids["admin"]}), 1);
  ASSERT_TRUE(in_tx([&] { return tell_user(*conn, w.user_ids["admin"], w.idea, "mentor", "Tác giả đã trả lời.", now, "comment:3"); }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices"), 2);
  auto admin = list(*conn, of("admin", std::nullopt), 10);
  ASSERT_TRUE(admin);
  ASSERT_EQ(admin->size(), 1u);
  EXPECT_EQ((*admin)[0].idea_title, "Ứng dụng số hóa hồ sơ thủ tục hành chính cho người dân");
  EXPECT_FALSE(in_tx([&] { return tell_user(*conn, 999999, w.idea, "mentor", "x", now); }));
}

TEST_P(IdeasNoticesTest, ReadAndUnreadPerRecipient) {
  const int64_t now = clock.unix_seconds();
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "comment", "Một.", now, std::nullopt, "comment:1"); }));
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "comment", "Hai.", now + 60, std::nullopt, "comment:2"); }));
  auto thao = of("thao", w.thao), ngoc = of("ngoc", w.ngoc);
  EXPECT_EQ(*unread_count(*conn, thao), 2);
  auto mine = list(*conn, thao, 10);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].text, "Hai.");  // newest first
  // Ngọc's notice is not Thảo's to mark.
  auto theirs = list(*conn, ngoc, 10);
  auto foreign = mark_read(*conn, thao, (*theirs)[0].id, now);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().kind, ErrorKind::not_found);
  EXPECT_EQ(*mark_read(*conn, thao, (*mine)[0].id, now), 1);
  EXPECT_EQ(*mark_read(*conn, thao, (*mine)[0].id, now), 0);
  EXPECT_EQ(*unread_count(*conn, thao), 1);
  EXPECT_EQ(*mark_read(*conn, thao, std::nullopt, now), 1);
  EXPECT_EQ(*unread_count(*conn, thao), 0);
  EXPECT_EQ(*unread_count(*conn, ngoc), 2);
  EXPECT_EQ(list(*conn, thao, 1)->size(), 1u);
}

TEST_P(IdeasNoticesTest, DailyDigestOnceToTheRollsAddress) {
  const int64_t yesterday = clock.unix_seconds() - 24 * 3600;
  ASSERT_TRUE(conn->execute("UPDATE members SET email = 'thao@example.vn' WHERE id = ?1", {w.thao}));
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "mentor", "Người hướng dẫn Hùng đã góp ý cho ý tưởng “Ứng dụng <số hóa>”.", yesterday, std::nullopt, "comment:1"); }));
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "comment", "Đã đọc rồi.", yesterday, std::nullopt, "comment:2"); }));
  auto read = conn->query_one("SELECT id FROM idea_notices WHERE member_id = ?1 AND text = 'Đã đọc rồi.'", {w.thao});
  ASSERT_TRUE(read && *read);
  ASSERT_TRUE(mark_read(*conn, of("thao", w.thao), (*read)->i64(0), clock.unix_seconds()));
  // Today's notice waits for tomorrow's digest.
  ASSERT_TRUE(in_tx([&] { return tell_authors(*conn, w.idea, "comment", "Hôm nay.", clock.unix_seconds(), std::nullopt, "comment:3"); }));

  auto n = digest("2021-11-15");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 1);  // Thảo has an address; Ngọc has none
  auto mail = conn->query_one("SELECT channel, recipient, subject, body, kind, ref FROM outbox");
  ASSERT_TRUE(mail && *mail);
  EXPECT_EQ((*mail)->str(0), "email");
  EXPECT_EQ((*mail)->str(1), "thao@example.vn");
  EXPECT_EQ((*mail)->str(4), "ideas.digest");
  EXPECT_EQ((*mail)->str(5), "member:" + std::to_string(w.thao) + ":2021-11-15");
  EXPECT_NE((*mail)->str(2).find("1 thông báo"), std::string::npos) << (*mail)->str(2);
  const std::string body = (*mail)->str(3);
  EXPECT_NE(body.find("Người hướng dẫn Hùng đã góp ý cho ý tưởng “Ứng dụng <số hóa>”."), std::string::npos) << body;  // plain text, not escaped
  EXPECT_EQ(body.find("Đã đọc rồi."), std::string::npos) << body;
  EXPECT_EQ(body.find("Hôm nay."), std::string::npos) << body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE digested_at IS NULL"), 2);  // today's, for both authors
  // Again the same day: nothing.
  EXPECT_EQ(*digest("2021-11-15"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 1);
  // The next day: today's notice.
  clock.advance(24h);
  EXPECT_EQ(*digest("2021-11-16"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE ref = ?1", {"member:" + std::to_string(w.thao) + ":2021-11-16"}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE digested_at IS NULL"), 0);
}

CHIDOAN_INSTANTIATE_DB_TEST(IdeasNoticesTest);

}  // namespace
}  // namespace chidoan::ideas::notices
