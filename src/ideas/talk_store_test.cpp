// The discussion's SQL on both engines: comments in order with their mentors marked, one report
// per user (the second refused without spoiling the transaction), hiding and resolving, the
// moderation queue of an org's subtree, and the titles offered as similar.
#include "ideas/talk_store.hpp"

#include <gtest/gtest.h>

#include "ideas/talk_test_world.hpp"

namespace chidoan::ideas {
namespace {

using namespace std::chrono_literals;

class IdeasTalkStoreTest : public testing::WorldTest {
 protected:
  Result<int64_t> add(const std::string& thread, const std::string& user, int64_t member, const std::string& body,
                      std::optional<int64_t> parent = std::nullopt) {
    int64_t id = 0;
    CHIDOAN_TRY_VOID(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(n, store().add_comment(w.idea, thread, talk_rules::CommentInput{body, parent}, w.user_ids[user], member, user));
      id = n;
      return {};
    }));
    return id;
  }

  TalkStore store() { return TalkStore(*conn, clock); }
};

TEST_P(IdeasTalkStoreTest, CommentsInOrderWithMentorsMarked) {
  auto g = add("mentor", "covan", w.hung, "Góp ý");
  ASSERT_TRUE(g) << g.error().message;
  clock.advance(60s);
  auto r = add("mentor", "thao", w.thao, "Trả lời", *g);
  ASSERT_TRUE(r);
  auto c = add("comment", "thanhvien", w.lan, "Bình luận");
  ASSERT_TRUE(c);
  auto all = store().comments(w.idea);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].mentor_title, "Phó Giám đốc Sở KH&CN");
  EXPECT_EQ((*all)[1].parent_id, *g);
  EXPECT_EQ((*all)[1].mentor_title, "");
  EXPECT_EQ((*all)[2].thread, "comment");
  EXPECT_EQ(store().comment(999999).error().kind, ErrorKind::not_found);
  // A parent from nowhere is refused by the table.
  EXPECT_FALSE(add("comment", "thanhvien", w.lan, "x", 999999));
  EXPECT_EQ(store().idea(w.idea)->org_id, w.vpubnd);
  EXPECT_EQ(store().idea(999999).error().kind, ErrorKind::not_found);
}

TEST_P(IdeasTalkStoreTest, OneReportPerUserAndTheTransactionGoesOn) {
  auto c = add("comment", "ngoc", w.ngoc, "Bình luận");
  ASSERT_TRUE(c);
  auto done = conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(first, store().report("comment", *c, w.idea, w.user_ids["thanhvien"], w.lan, "Lạc đề"));
    EXPECT_EQ(first, 1);
    auto again = store().report("comment", *c, w.idea, w.user_ids["thanhvien"], w.lan, "Lần nữa");
    EXPECT_FALSE(again);
    if (!again) {
      EXPECT_EQ(again.error().kind, ErrorKind::conflict);
    }
    // Still usable (on PostgreSQL a failed statement would abort the transaction).
    CHIDOAN_TRY(second, store().report("comment", *c, w.idea, w.user_ids["sangpv"], w.sang, "Xúc phạm"));
    EXPECT_EQ(second, 2);
    return {};
  });
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(*store().reported_comments(w.idea, w.user_ids["thanhvien"]), (std::set<int64_t>{*c}));
  EXPECT_TRUE(*store().reported_by("comment", *c, w.user_ids["sangpv"]));
  EXPECT_FALSE(*store().reported_by("comment", *c, w.user_ids["thao"]));
  ASSERT_TRUE(store().set_hidden("comment", *c, true));
  EXPECT_TRUE(store().comment(*c)->hidden);
  EXPECT_EQ(*store().resolve("comment", *c, "hidden", w.user_ids["kiemduyet"]), 2);
  EXPECT_EQ(*store().resolve("comment", *c, "hidden", w.user_ids["kiemduyet"]), 0);
  EXPECT_EQ(store().comment(*c)->pending_reports, 0);
}

TEST_P(IdeasTalkStoreTest, QueueOfTheSubtreeAndSimilarTitles) {
  auto c = add("comment", "ngoc", w.ngoc, "Bình luận bị báo cáo");
  ASSERT_TRUE(c);
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store().report("comment", *c, w.idea, w.user_ids["thanhvien"], w.lan, "Lạc đề"));
    CHIDOAN_TRY_VOID(store().report("idea", w.other_idea, w.other_idea, w.user_ids["ngoai"], w.outsider, "Trùng"));
    return store().set_hidden("idea", w.draft, true);
  }));
  auto q = store().queue(w.vpubnd);
  ASSERT_TRUE(q) << q.error().message;
  ASSERT_EQ(q->size(), 2u);  // the hidden draft, the reported comment; not the other branch's idea
  EXPECT_EQ((*q)[0].target, "idea");
  EXPECT_EQ((*q)[0].target_id, w.draft);
  EXPECT_TRUE((*q)[0].hidden);
  EXPECT_TRUE((*q)[0].pending.empty());
  EXPECT_EQ((*q)[1].target, "comment");
  EXPECT_EQ((*q)[1].author, "ngoc");
  ASSERT_EQ((*q)[1].pending.size(), 1u);
  EXPECT_EQ((*q)[1].pending[0].reason, "Lạc đề");
  org::Store orgs(*conn, clock);
  auto province = orgs.org_by_code("LD");
  EXPECT_EQ(store().queue((**province).id)->size(), 3u);  // the province sees both branches
  auto titles = store().titles(w.forum);
  ASSERT_TRUE(titles);
  ASSERT_EQ(titles->size(), 1u);  // not the draft
  EXPECT_EQ((*titles)[0].title_key, "ung dung so hoa ho so thu tuc hanh chinh cho nguoi dan");
}

CHIDOAN_INSTANTIATE_DB_TEST(IdeasTalkStoreTest);

}  // namespace
}  // namespace chidoan::ideas
