// The pure rules of the ideas forum: the life cycle table and who may move, field validation
// with the field named, forum phases, who may post and support, attachments by magic bytes.
#include "ideas/rules.hpp"

#include <gtest/gtest.h>

#include <set>

namespace chidoan::ideas::rules {
namespace {

Date day(const char* iso) { return *parse_date(iso); }

TEST(IdeasRules, TheLifeCycleTable) {
  // Every state can be reached, and every move names known states.
  std::set<std::string> reached = {"draft"};
  for (const auto& t : kTransitions) {
    EXPECT_TRUE(is_state(t.from)) << t.from;
    EXPECT_TRUE(is_state(t.to)) << t.to;
    reached.insert(std::string(t.to));
  }
  EXPECT_EQ(reached.size(), std::size(kStates));
  EXPECT_EQ(moves_from("draft", kAuthor), (std::vector<std::string>{"submitted", "withdrawn"}));
  EXPECT_EQ(moves_from("draft", kCommittee), std::vector<std::string>{});
  EXPECT_EQ(moves_from("submitted", kMentor), std::vector<std::string>{"mentoring"});
  EXPECT_EQ(moves_from("mentoring", kCommittee), (std::vector<std::string>{"accepted", "rejected"}));
  EXPECT_EQ(moves_from("mentoring", kAuthor | kCommittee), (std::vector<std::string>{"accepted", "rejected", "withdrawn"}));
  EXPECT_EQ(moves_from("accepted", kCommittee), std::vector<std::string>{"implemented"});
  EXPECT_EQ(moves_from("archived", kAuthor | kMentor | kCommittee), std::vector<std::string>{});
}

TEST(IdeasRules, WhoMayMove) {
  EXPECT_TRUE(check_move("draft", "submitted", kAuthor));
  EXPECT_TRUE(check_move("submitted", "mentoring", kMentor));
  EXPECT_TRUE(check_move("submitted", "mentoring", kCommittee));
  EXPECT_TRUE(check_move("mentoring", "accepted", kCommittee));
  EXPECT_TRUE(check_move("withdrawn", "archived", kCommittee));
  // Someone else's move: forbidden.
  auto e = check_move("draft", "submitted", kCommittee);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(check_move("mentoring", "accepted", kMentor | kAuthor).error().kind, ErrorKind::forbidden);
  // Not in the table: a conflict naming both states.
  auto skip = check_move("draft", "accepted", kCommittee | kAuthor);
  ASSERT_FALSE(skip);
  EXPECT_EQ(skip.error().kind, ErrorKind::conflict);
  EXPECT_EQ(skip.error().field, "to_state");
  EXPECT_NE(skip.error().message.find("Bản nháp"), std::string::npos);
  EXPECT_NE(skip.error().message.find("Được chấp nhận"), std::string::npos);
  EXPECT_EQ(check_move("implemented", "mentoring", kCommittee).error().kind, ErrorKind::conflict);
  EXPECT_EQ(check_move("archived", "draft", kCommittee | kAuthor).error().kind, ErrorKind::conflict);
  // Not a state at all: invalid.
  EXPECT_EQ(check_move("draft", "published", kAuthor).error().kind, ErrorKind::invalid);
  EXPECT_EQ(check_move("draft", "", kAuthor).error().kind, ErrorKind::invalid);
}

TEST(IdeasRules, AnswersOutcomesAndDates) {
  const Date today = day("2021-12-20");
  auto no_answer = validate_move({{"to_state", "accepted"}}, today);
  ASSERT_FALSE(no_answer);
  EXPECT_EQ(no_answer.error().field, "answer");
  EXPECT_EQ(validate_move({{"to_state", "rejected"}, {"answer", "   "}}, today).error().field, "answer");
  auto ok = validate_move({{"to_state", "accepted"}, {"answer", "Chi đoàn hỗ trợ triển khai thử tại Trung tâm"}}, today);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->answer, "Chi đoàn hỗ trợ triển khai thử tại Trung tâm");
  EXPECT_EQ(validate_move({{"to_state", "implemented"}, {"implemented_on", "2021-12-15"}}, today).error().field, "outcome");
  EXPECT_EQ(validate_move({{"to_state", "implemented"}, {"outcome", "Đã số hoá 1.200 hồ sơ"}}, today).error().field, "implemented_on");
  EXPECT_EQ(validate_move({{"to_state", "implemented"}, {"outcome", "x"}, {"implemented_on", "2021-02-30"}}, today).error().field,
            "implemented_on");
  EXPECT_EQ(validate_move({{"to_state", "implemented"}, {"outcome", "x"}, {"implemented_on", "2021-12-21"}}, today).error().field,
            "implemented_on");
  EXPECT_TRUE(validate_move({{"to_state", "implemented"}, {"outcome", "x"}, {"implemented_on", "2021-12-20"}}, today));
  EXPECT_EQ(validate_move({}, today).error().field, "to_state");
  EXPECT_EQ(validate_move({{"to_state", "accepted"}, {"answer", std::string(kMaxAnswerChars + 1, 'a')}}, today).error().field, "answer");
  // Moves that need nothing ignore nothing either: a submitted idea keeps no answer.
  EXPECT_TRUE(validate_move({{"to_state", "submitted"}}, today));
}

TEST(IdeasRules, IdeaFieldsNameTheFieldAndKeepScriptAsText) {
  EXPECT_EQ(validate_idea({}).error().field, "title");
  EXPECT_EQ(validate_idea({{"title", "  "}}).error().field, "title");
  EXPECT_EQ(validate_idea({{"title", std::string(kMaxTitleChars + 1, 'y')}}).error().field, "title");
  // Characters, not bytes: 200 Vietnamese letters fit.
  std::string long_vn;
  for (size_t i = 0; i < kMaxTitleChars; ++i) long_vn += "ệ";
  EXPECT_TRUE(validate_idea({{"title", long_vn}}));
  EXPECT_EQ(validate_idea({{"title", "Số hoá"}, {"problem", std::string(kMaxTextChars + 1, 'p')}}).error().field, "problem");
  EXPECT_EQ(validate_idea({{"title", "Số hoá"}, {"proposal", "a\x01b"}}).error().field, "proposal");
  EXPECT_EQ(validate_idea({{"title", "Số hoá"}, {"benefit", "\xC3"}}).error().field, "benefit");
  auto script = validate_idea({{"title", "<script>alert(1)</script>"}, {"problem", "dòng 1\ndòng 2"}});
  ASSERT_TRUE(script);
  EXPECT_EQ(script->title, "<script>alert(1)</script>");
  EXPECT_EQ(script->problem, "dòng 1\ndòng 2");
  Idea draft;
  draft.title = "x";
  EXPECT_EQ(check_complete(draft).error().field, "problem");
  draft.problem = "p";
  EXPECT_EQ(check_complete(draft).error().field, "proposal");
  draft.proposal = "q";
  EXPECT_TRUE(check_complete(draft));
  EXPECT_TRUE(editable("draft"));
  EXPECT_TRUE(editable("submitted"));
  EXPECT_FALSE(editable("mentoring"));
}

TEST(IdeasRules, ForumFields) {
  RawFields good{{"title", "Tuổi trẻ với ý tưởng sáng tạo"}, {"kind", "event"}, {"held_on", "2021-11-02"}, {"opens_on", "2021-11-02"},
                 {"closes_on", "2021-12-31"}, {"support_threshold", "5"}, {"self_support", "0"}};
  auto f = validate_forum(good);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->support_threshold, 5);
  EXPECT_EQ(f->post_scope, "members");
  EXPECT_FALSE(f->self_support);
  auto with = [&](const char* k, const char* v) {
    RawFields r = good;
    r[k] = v;
    return validate_forum(r);
  };
  EXPECT_EQ(with("title", "").error().field, "title");
  EXPECT_EQ(with("kind", "party").error().field, "kind");
  EXPECT_EQ(with("held_on", "").error().field, "held_on");
  EXPECT_TRUE(with("kind", "standing"));
  EXPECT_FALSE(with("kind", "standing")->held_on);
  EXPECT_EQ(with("opens_on", "").error().field, "opens_on");
  EXPECT_EQ(with("closes_on", "2021-11-01").error().field, "closes_on");
  EXPECT_EQ(with("closes_on", "2021-13-01").error().field, "closes_on");
  EXPECT_EQ(with("post_scope", "everyone").error().field, "post_scope");
  EXPECT_EQ(with("support_scope", "x").error().field, "support_scope");
  EXPECT_EQ(with("support_threshold", "-1").error().field, "support_threshold");
  EXPECT_EQ(with("support_threshold", "abc").error().field, "support_threshold");
  EXPECT_EQ(with("self_support", "maybe").error().field, "self_support");
  EXPECT_EQ(with("activity_id", "0").error().field, "activity_id");
  EXPECT_TRUE(with("self_support", "1")->self_support);
}

Forum forum(const char* opens, std::optional<std::string> closes) {
  Forum f;
  f.id = 1;
  f.opens_on = opens;
  f.closes_on = std::move(closes);
  return f;
}

TEST(IdeasRules, PhasesAndPosting) {
  Forum f = forum("2021-11-02", "2021-12-31");
  EXPECT_EQ(forum_phase(f, day("2021-11-01")), "upcoming");
  EXPECT_EQ(forum_phase(f, day("2021-11-02")), "open");
  EXPECT_EQ(forum_phase(f, day("2021-12-31")), "open");
  EXPECT_EQ(forum_phase(f, day("2022-01-01")), "closed");
  EXPECT_EQ(forum_phase(forum("2021-11-02", std::nullopt), day("2030-01-01")), "open");

  Asker member{true, false}, stranger{false, false}, committee{false, true};
  EXPECT_TRUE(may_post(f, member, day("2021-11-10")));
  EXPECT_EQ(may_post(f, stranger, day("2021-11-10")).error().kind, ErrorKind::forbidden);
  EXPECT_EQ(may_post(f, member, day("2022-01-05")).error().kind, ErrorKind::conflict);
  EXPECT_NE(may_post(f, member, day("2022-01-05")).error().message.find("31/12/2021"), std::string::npos);
  EXPECT_EQ(may_post(f, member, day("2021-10-05")).error().kind, ErrorKind::conflict);
  f.post_scope = "committee";
  EXPECT_EQ(may_post(f, member, day("2021-11-10")).error().kind, ErrorKind::forbidden);
  EXPECT_TRUE(may_post(f, committee, day("2021-11-10")));
}

TEST(IdeasRules, Supporting) {
  Forum f = forum("2021-11-02", "2021-12-31");
  Idea i;
  i.state = "submitted";
  Asker member{true, false};
  const Date open = day("2021-11-20");
  EXPECT_TRUE(may_support(f, i, member, false, open));
  // One's own idea: refused unless the forum allows it.
  auto own = may_support(f, i, member, true, open);
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(own.error().field, "support");
  f.self_support = true;
  EXPECT_TRUE(may_support(f, i, member, true, open));
  // After the close.
  auto late = may_support(f, i, member, false, day("2022-01-01"));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().kind, ErrorKind::conflict);
  EXPECT_EQ(may_withdraw_support(f, day("2022-01-01")).error().kind, ErrorKind::conflict);
  EXPECT_TRUE(may_withdraw_support(f, open));
  // Outside the org, or a committee-only forum.
  EXPECT_EQ(may_support(f, i, Asker{false, true}, false, open).error().kind, ErrorKind::forbidden);
  f.support_scope = "committee";
  EXPECT_EQ(may_support(f, i, member, false, open).error().kind, ErrorKind::forbidden);
  EXPECT_TRUE(may_support(f, i, Asker{true, true}, false, open));
  // Only ideas on the table.
  f.support_scope = "members";
  for (const char* s : {"draft", "rejected", "implemented", "withdrawn", "archived"}) {
    i.state = s;
    EXPECT_EQ(may_support(f, i, member, false, open).error().kind, ErrorKind::conflict) << s;
  }
}

TEST(IdeasRules, ProgressTowardsTheThreshold) {
  EXPECT_EQ(progress_percent(0, 10), 0);
  EXPECT_EQ(progress_percent(3, 10), 30);
  EXPECT_EQ(progress_percent(10, 10), 100);
  EXPECT_EQ(progress_percent(14, 10), 100);
  EXPECT_EQ(progress_percent(5, 0), 0);
}

TEST(IdeasRules, AttachmentsByMagicBytes) {
  const std::string jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "JFIF";
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + "rest";
  const std::string webp = std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16);
  const std::string pdf = "%PDF-1.7\n";
  EXPECT_EQ(sniff_mime(jpeg), "image/jpeg");
  EXPECT_EQ(sniff_mime(png), "image/png");
  EXPECT_EQ(sniff_mime(webp), "image/webp");
  EXPECT_EQ(sniff_mime(pdf), "application/pdf");
  EXPECT_EQ(sniff_mime("MZ\x90\x00 an executable"), std::nullopt);
  EXPECT_EQ(sniff_mime("<html><script>"), std::nullopt);
  EXPECT_EQ(sniff_mime(std::string("RIFF\x10\x00\x00\x00WAVE", 12)), std::nullopt);

  auto ok = check_attachment("C:\\Users\\Lan\\so-hoa.pdf", pdf, 0);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->file_name, "so-hoa.pdf");
  EXPECT_EQ(ok->mime, "application/pdf");
  // A disguised type: an executable named .jpg.
  auto disguised = check_attachment("anh.jpg", "MZ\x90\x00 not an image", 0);
  ASSERT_FALSE(disguised);
  EXPECT_EQ(disguised.error().field, "file");
  EXPECT_EQ(disguised.error().kind, ErrorKind::invalid);
  // Over the limit, empty, or one file too many.
  EXPECT_EQ(check_attachment("lon.pdf", pdf + std::string(kMaxAttachmentBytes, 'x'), 0).error().field, "file");
  EXPECT_TRUE(check_attachment("vua.pdf", pdf + std::string(kMaxAttachmentBytes - pdf.size(), 'x'), 0));
  EXPECT_EQ(check_attachment("rong.pdf", "", 0).error().field, "file");
  EXPECT_FALSE(check_attachment("x.png", png, kMaxAttachments));
  EXPECT_TRUE(check_attachment("x.png", png, kMaxAttachments - 1));
}

TEST(IdeasRules, BundleTimes) {
  auto t = parse_local_seconds("2021-11-02T09:10:05", "at");
  ASSERT_TRUE(t);
  EXPECT_EQ(local_seconds(*t), "2021-11-02T09:10:05");
  EXPECT_EQ(parse_local_seconds("2021-11-02T09:10", "x").error().field, "x");
  EXPECT_FALSE(parse_local_seconds("2021-11-31T09:10:00", "x"));
  EXPECT_FALSE(parse_local_seconds("2021-11-02T24:00:00", "x"));
}

}  // namespace
}  // namespace chidoan::ideas::rules
