// The rules of an idea's discussion: fields, who posts in which thread, one level of replies,
// reasons, the automatic hiding, and the likeness of titles.
#include "ideas/talk_rules.hpp"

#include <gtest/gtest.h>

#include "platform/text/text.hpp"

namespace chidoan::ideas::talk_rules {
namespace {

TEST(IdeasTalkRules, CommentFields) {
  auto ok = validate_comment({{"body", "  Ý tưởng hay!\nCần thêm số liệu.  "}, {"parent_id", "12"}});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->body, "Ý tưởng hay!\nCần thêm số liệu.");
  EXPECT_EQ(ok->parent_id, 12);
  EXPECT_FALSE(validate_comment({{"body", "x"}})->parent_id);
  struct Case {
    RawFields raw;
    std::string field;
  };
  for (const auto& c : std::vector<Case>{{{{"body", ""}}, "body"},
                                         {{{"body", "   \n "}}, "body"},
                                         {{}, "body"},
                                         {{{"body", std::string(kMaxBodyChars + 1, 'a')}}, "body"},
                                         {{{"body", "a\x01"}}, "body"},
                                         {{{"body", "\xC3\x28"}}, "body"},
                                         {{{"body", "x"}, {"parent_id", "0"}}, "parent_id"},
                                         {{{"body", "x"}, {"parent_id", "-3"}}, "parent_id"},
                                         {{{"body", "x"}, {"parent_id", "1a"}}, "parent_id"}}) {
    auto r = validate_comment(c.raw);
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_FALSE(r.error().message.empty());
  }
  // 5000 Vietnamese letters are 5000 characters, not bytes.
  std::string long_vi;
  for (size_t i = 0; i < kMaxBodyChars; ++i) long_vi += "ệ";
  EXPECT_TRUE(validate_comment({{"body", long_vi}}));
  // Script is kept as typed: it is text, escaped or rendered by markdown::to_html.
  EXPECT_EQ(validate_comment({{"body", "<script>alert(1)</script>"}})->body, "<script>alert(1)</script>");
}

Comment top(int64_t id, const std::string& thread, int64_t idea = 1) {
  Comment c;
  c.id = id;
  c.idea_id = idea;
  c.thread = thread;
  return c;
}

TEST(IdeasTalkRules, WhoPostsWhere) {
  const Writer member{true, false, false}, mentor{true, true, false}, author{true, false, true};
  EXPECT_TRUE(may_post("comment", "submitted", false, member, 1, std::nullopt));
  EXPECT_TRUE(may_post("comment", "implemented", false, author, 1, std::nullopt));
  EXPECT_TRUE(may_post("mentor", "mentoring", false, mentor, 1, std::nullopt));
  EXPECT_TRUE(may_post("mentor", "mentoring", false, mentor, 1, top(5, "mentor")));
  // Authors answer a mentor; they do not start the mentors' thread.
  EXPECT_TRUE(may_post("mentor", "mentoring", false, author, 1, top(5, "mentor")));
  auto start = may_post("mentor", "mentoring", false, author, 1, std::nullopt);
  ASSERT_FALSE(start);
  EXPECT_EQ(start.error().field, "parent_id");
  auto stranger = may_post("mentor", "mentoring", false, member, 1, top(5, "mentor"));
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(may_post("comment", "submitted", false, Writer{}, 1, std::nullopt).error().kind, ErrorKind::forbidden);
  // Closed: drafts, archived ideas, hidden ideas.
  EXPECT_EQ(may_post("comment", "draft", false, author, 1, std::nullopt).error().kind, ErrorKind::conflict);
  EXPECT_EQ(may_post("comment", "archived", false, member, 1, std::nullopt).error().kind, ErrorKind::conflict);
  EXPECT_EQ(may_post("comment", "submitted", true, member, 1, std::nullopt).error().kind, ErrorKind::conflict);
  EXPECT_EQ(may_post("other", "submitted", false, member, 1, std::nullopt).error().field, "thread");
}

TEST(IdeasTalkRules, OneLevelOfReplies) {
  const Writer member{true, false, false};
  Comment reply = top(6, "comment");
  reply.parent_id = 5;
  EXPECT_EQ(may_post("comment", "submitted", false, member, 1, reply).error().field, "parent_id");
  EXPECT_EQ(may_post("comment", "submitted", false, member, 1, top(5, "comment", 2)).error().field, "parent_id");  // another idea
  EXPECT_EQ(may_post("comment", "submitted", false, member, 1, top(5, "mentor")).error().field, "parent_id");     // another thread
  Comment hidden = top(5, "comment");
  hidden.hidden = true;
  EXPECT_EQ(may_post("comment", "submitted", false, member, 1, hidden).error().kind, ErrorKind::conflict);
}

TEST(IdeasTalkRules, ReasonsAndHiding) {
  EXPECT_EQ(*validate_reason({{"reason", " Nội dung xúc phạm "}}), "Nội dung xúc phạm");
  EXPECT_EQ(validate_reason({{"reason", ""}}).error().field, "reason");
  EXPECT_EQ(validate_reason({}).error().field, "reason");
  EXPECT_EQ(validate_reason({{"reason", std::string(kMaxReasonChars + 1, 'x')}}).error().field, "reason");
  EXPECT_FALSE(hides(2));
  EXPECT_TRUE(hides(3));
  EXPECT_TRUE(hides(4));
  EXPECT_TRUE(is_target("idea"));
  EXPECT_TRUE(is_target("comment"));
  EXPECT_FALSE(is_target("forum"));
}

TEST(IdeasTalkRules, SimilarTitlesAccentInsensitive) {
  auto f = [](const char* s) { return text::search_fold(s); };
  const std::string stored = f("Ứng dụng số hóa hồ sơ thủ tục hành chính cho người dân");
  EXPECT_TRUE(alike(f("so hoa ho so"), stored));           // typed without accents
  EXPECT_TRUE(alike(f("Số hoá hồ sơ"), stored));           // another spelling of the tone
  EXPECT_TRUE(alike(f("hồ sơ hành chính số hóa"), stored));  // the words in another order
  EXPECT_FALSE(alike(f("hồ"), stored));
  EXPECT_FALSE(alike(f("Trồng cây xanh ở trường học"), stored));
  EXPECT_FALSE(alike(f("cho người dân"), stored));  // only function words and one word in common
  EXPECT_GT(likeness(f("số hóa hồ sơ"), stored), likeness(f("hồ sơ"), f("Hồ sơ sức khỏe đoàn viên")) - 0.01);
  EXPECT_EQ(key_words(f("Ứng dụng và các hồ sơ của đoàn viên")), (std::vector<std::string>{"ung", "dung", "ho", "so", "doan", "vien"}));
  EXPECT_EQ(likeness("", stored), 0);
}

TEST(IdeasTalkRules, Excerpt) {
  EXPECT_EQ(excerpt("Một\nhai   ba", 100), "Một hai ba");
  EXPECT_EQ(excerpt("Thanh niên tình nguyện", 10), "Thanh niên…");
  EXPECT_EQ(excerpt("", 5), "");
}

}  // namespace
}  // namespace chidoan::ideas::talk_rules
