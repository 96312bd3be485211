// Pure rules of news: the life cycle and who may move a post, field checks, and what a public page
// may not carry, also when it is hidden behind Markdown, character references or invisible
// characters.
#include "news/rules.hpp"

#include <gtest/gtest.h>

namespace chidoan::news::rules {
namespace {

bool finds(const std::vector<Finding>& f, const std::string& part) {
  for (const auto& x : f)
    if (x.what.find(part) != std::string::npos) return true;
  return false;
}

TEST(NewsRules, OnlyTheCommitteePublishesAndOnlyWhatAwaitsApproval) {
  EXPECT_TRUE(check_move("draft", "awaiting", kAuthor));
  EXPECT_EQ(check_move("draft", "published", kCommittee).error().kind, ErrorKind::conflict);
  EXPECT_EQ(check_move("awaiting", "published", kAuthor).error().kind, ErrorKind::forbidden);
  EXPECT_TRUE(check_move("awaiting", "published", kCommittee));
  EXPECT_EQ(check_move("published", "withdrawn", kAuthor).error().kind, ErrorKind::forbidden);
  EXPECT_EQ(check_move("draft", "nonsense", kCommittee).error().field, "to_state");
  EXPECT_EQ(landing("returned"), "draft");
  EXPECT_EQ(check_note("withdrawn", " ").error().field, "note");
  EXPECT_EQ(*check_note("withdrawn", "Sai số liệu"), "Sai số liệu");
  EXPECT_TRUE(may_edit("published", kCommittee));
  EXPECT_FALSE(may_edit("published", kAuthor));
  EXPECT_FALSE(may_edit("withdrawn", kCommittee | kAuthor));
}

TEST(NewsRules, FieldsAreCheckedAndNamed) {
  EXPECT_EQ(validate_post({{"title", ""}}).error().field, "title");
  EXPECT_EQ(validate_post({{"title", std::string(201, 'x')}}).error().field, "title");
  EXPECT_EQ(validate_post({{"title", "Tin"}, {"forum_id", "-3"}}).error().field, "forum_id");
  auto ok = validate_post({{"title", "  Tin  "}, {"body", "Một\n\nHai"}, {"activity_id", "7"}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->title, "Tin");
  EXPECT_EQ(ok->body, "Một\n\nHai");
  EXPECT_EQ(ok->links.activity_id, 7);
  EXPECT_EQ(validate_alt("  ").error().field, "alt");
  EXPECT_EQ(parse_source("campaign:12")->second, 12);
  EXPECT_EQ(parse_source("campaign:x").error().field, "source");
  EXPECT_EQ(parse_source("salary:1").error().field, "source");
}

TEST(NewsRules, PhonesAndIdentityNumbersInEveryDisguise) {
  auto check = [](const std::string& body) { return personal_data({{"body", body}}, {}); };
  EXPECT_TRUE(finds(check("Gọi 0972 222 874"), "số điện thoại"));
  EXPECT_TRUE(finds(check("Gọi +84972222874"), "số điện thoại"));
  EXPECT_TRUE(finds(check("Gọi 0263.3822.222"), "số điện thoại"));
  EXPECT_TRUE(finds(check("Gọi 0972*222*874"), "số điện thoại"));             // emphasis inside
  EXPECT_TRUE(finds(check("Gọi 0972&#32;222&#32;874"), "số điện thoại"));     // character references
  EXPECT_TRUE(finds(check("Gọi 097&#50;222874"), "số điện thoại"));
  EXPECT_TRUE(finds(check("Gọi 0972\u200B222\u200B874"), "số điện thoại"));  // zero-width spaces
  EXPECT_TRUE(finds(check("CCCD 052198232230"), "CCCD"));
  EXPECT_TRUE(finds(check("CMND 012345678"), "CCCD"));                        // 9 digits starting with 0
  // Figures of the news are not personal data.
  EXPECT_TRUE(check("Ngày 02/11/2021, 22 đoàn viên; 130.000.000 đồng; 47.416 hồ sơ; 47,64%").empty());
}

TEST(NewsRules, NamesWithoutConsentAreFoundWhateverTheirCaseAccentsOrMarkup) {
  std::vector<std::string> names{"Nguyễn Văn An", "Hoàng Thị Lan Anh"};
  EXPECT_TRUE(finds(personal_data({{"body", "Đồng chí Nguyễn Văn An phát biểu"}}, names), "Nguyễn Văn An"));
  EXPECT_TRUE(finds(personal_data({{"body", "đồng chí nguyen van an"}}, names), "Nguyễn Văn An"));
  EXPECT_TRUE(finds(personal_data({{"body", "Đồng chí Ng**uy**ễn Văn An"}}, names), "Nguyễn Văn An"));
  EXPECT_TRUE(finds(personal_data({{"alt", "Hoàng Thị Lan Anh trao quà"}}, names), "Hoàng Thị Lan Anh"));
  // Whole words only: "An" inside another name is not An.
  EXPECT_TRUE(personal_data({{"body", "Nguyễn Văn Anh đã tham gia"}}, {"Nguyễn Văn An"}).empty());
  EXPECT_EQ(check_publishable(personal_data({{"title", "Nguyễn Văn An"}}, names)).error().field, "title");
}

TEST(NewsRules, ExcerptsAreCutAtAWord) {
  EXPECT_EQ(excerpt("**Đậm** và [liên kết](https://x.vn)", 100), "Đậm và liên kết");
  std::string long_text(300, 'a');
  long_text[150] = ' ';
  EXPECT_EQ(excerpt(long_text, 200), std::string(150, 'a') + "…");
  Post p;
  p.body = "Nội dung";
  EXPECT_EQ(description(p), "Nội dung");
  p.summary = "Tóm tắt";
  EXPECT_EQ(description(p), "Tóm tắt");
}

}  // namespace
}  // namespace chidoan::news::rules
