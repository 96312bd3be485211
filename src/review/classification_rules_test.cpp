// Branch classification's pure rules: the scheme of a year, points from a measure, the sheet's
// lines and total, the proposed level with its thresholds and the not-completed condition, the
// committee's input named by field, the steps a state allows, the level above's decision.
#include "review/classification_rules.hpp"

#include <gtest/gtest.h>

namespace chidoan::review::classification {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
bool any_has(const std::vector<std::string>& texts, const std::string& part) {
  for (const auto& t : texts)
    if (has(t, part)) return true;
  return false;
}

// A scheme of the 2021 shape: two computed criteria and two entered ones, 50 points in all.
Scheme scheme() {
  Scheme s;
  s.id = 1;
  s.code = "T";
  s.name = "Thử";
  s.valid_from = 2021;
  s.criteria = {{11, "study", "Học tập", 20, "computed", "study_rate", 10000},
                {12, "activities", "Hoạt động", 10, "computed", "activities_held", 12},
                {13, "ratings", "Chất lượng đoàn viên", 10, "computed", "ratings_good_rate", 8000},
                {14, "initiatives", "Sáng kiến", 10, "entered", "", 0}};
  s.levels = {{"strong_excellent", "Vững mạnh xuất sắc", 45, 0},
              {"strong", "Vững mạnh", 40, 500},
              {"fair", "Khá", 30, 1000},
              {"average", "Trung bình", 20, std::nullopt},
              {"weak", "Yếu", 0, std::nullopt}};
  return s;
}

TEST(ClassificationRules, TheYearPicksTheScheme) {
  Scheme a = scheme(), b = scheme(), c = scheme();
  a.code = "2019", a.valid_from = 2019, a.valid_to = 2020;
  b.code = "2021", b.valid_from = 2021, b.valid_to = std::nullopt;
  c.code = "2025", c.valid_from = 2025, c.valid_to = 2027;
  std::vector<Scheme> all{a, b, c};
  EXPECT_EQ(scheme_for_year(all, 2018), nullptr);
  EXPECT_EQ(scheme_for_year(all, 2019)->code, "2019");
  EXPECT_EQ(scheme_for_year(all, 2020)->code, "2019");
  EXPECT_EQ(scheme_for_year(all, 2021)->code, "2021");
  // Two schemes cover 2025–2027: the later one rules; after it ends the open one again.
  EXPECT_EQ(scheme_for_year(all, 2026)->code, "2025");
  EXPECT_EQ(scheme_for_year(all, 2028)->code, "2021");
  EXPECT_EQ(scheme_for_year({}, 2021), nullptr);
}

TEST(ClassificationRules, PointsGrowWithTheMeasureUpToFullPoints) {
  const Criterion rate{1, "study", "", 15, "computed", "study_rate", 10000};
  EXPECT_EQ(points_for(rate, 10000), 15);
  EXPECT_EQ(points_for(rate, 12000), 15);  // never above the maximum
  EXPECT_EQ(points_for(rate, 5000), 8);    // 7.5 rounds half up
  EXPECT_EQ(points_for(rate, 4900), 7);    // 7.35
  EXPECT_EQ(points_for(rate, 0), 0);
  EXPECT_EQ(points_for(rate, -3), 0);
  const Criterion count{2, "activities", "", 10, "computed", "activities_held", 12};
  EXPECT_EQ(points_for(count, 6), 5);
  EXPECT_EQ(points_for(count, 23), 10);
  EXPECT_EQ(points_for(count, 1), 1);  // 0.83
  EXPECT_EQ(measure_text("study_rate", 10000), "100%");
  EXPECT_EQ(measure_text("study_rate", 4750), "47,5%");
  EXPECT_EQ(measure_text("study_rate", 6667), "66,67%");
  EXPECT_EQ(measure_text("activities_held", 1234), "1.234");
}

TEST(ClassificationRules, LinesScoreComputedCriteriaFromDataAndTheRestByHand) {
  const Scheme s = scheme();
  Measures m;
  m.values = {{"study_rate", 10000}, {"activities_held", 6}};  // no ratings recorded
  auto lines = live_lines(s, m, {{13, {7, "theo nhận xét của chi bộ"}}});
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].source, "computed");
  EXPECT_EQ(lines[0].value, std::optional<int64_t>(10000));
  EXPECT_EQ(lines[0].points, std::optional<int64_t>(20));
  EXPECT_EQ(lines[1].points, std::optional<int64_t>(5));
  // A computed criterion without data is the committee's.
  EXPECT_EQ(lines[2].source, "entered");
  EXPECT_EQ(lines[2].points, std::optional<int64_t>(7));
  EXPECT_EQ(lines[2].note, "theo nhận xét của chi bộ");
  EXPECT_EQ(lines[3].source, "entered");
  EXPECT_FALSE(lines[3].points);

  // With data, what the committee once gave it no longer counts.
  m.values["ratings_good_rate"] = 8000;
  lines = live_lines(s, m, {{13, {2, ""}}, {14, {9, ""}}});
  EXPECT_EQ(lines[2].source, "computed");
  EXPECT_EQ(lines[2].points, std::optional<int64_t>(10));
  EXPECT_EQ(lines[3].points, std::optional<int64_t>(9));
}

TEST(ClassificationRules, TheTotalAndTheThresholdsGiveTheLevel) {
  const Scheme s = scheme();
  Measures m;
  m.values = {{"study_rate", 10000}, {"activities_held", 12}, {"ratings_good_rate", 8000}};
  m.rated = 10;
  auto p = propose(s, live_lines(s, m, {{14, {10, ""}}}), m);
  EXPECT_EQ(p.score, 50);
  EXPECT_EQ(p.max_score, 50);
  EXPECT_EQ(p.missing, 0);
  EXPECT_EQ(p.level, "strong_excellent");
  EXPECT_TRUE(any_has(p.reasons, "Tổng điểm: 50/50.")) << p.reasons[0];
  EXPECT_TRUE(any_has(p.reasons, "Đề xuất xếp loại Vững mạnh xuất sắc"));

  // Exactly on a threshold reaches it; one point under does not.
  EXPECT_EQ(propose(s, live_lines(s, m, {{14, {5, ""}}}), m).level, "strong_excellent");  // 45
  EXPECT_EQ(propose(s, live_lines(s, m, {{14, {4, ""}}}), m).level, "strong");            // 44
  m.values["study_rate"] = 0;
  EXPECT_EQ(propose(s, live_lines(s, m, {{14, {0, ""}}}), m).level, "average");  // 20
  m.values["activities_held"] = 0;
  EXPECT_EQ(propose(s, live_lines(s, m, {{14, {9, ""}}}), m).level, "weak");  // 19
}

TEST(ClassificationRules, MembersNotCompletingHoldALevelBack) {
  const Scheme s = scheme();
  Measures m;
  m.values = {{"study_rate", 10000}, {"activities_held", 12}, {"ratings_good_rate", 8000}};
  const std::map<int64_t, Entered> full{{14, {10, ""}}};  // 50 points
  m.rated = 100, m.not_completed = 3;                    // 3%: over 0%, within 5%
  auto p = propose(s, live_lines(s, m, full), m);
  EXPECT_EQ(p.level, "strong");
  EXPECT_TRUE(any_has(p.reasons, "Chưa đủ điều kiện mức Vững mạnh xuất sắc"));
  EXPECT_TRUE(any_has(p.reasons, "3%"));
  m.rated = 100, m.not_completed = 5;  // exactly 5%
  EXPECT_EQ(propose(s, live_lines(s, m, full), m).level, "strong");
  m.rated = 1000, m.not_completed = 51;
  EXPECT_EQ(propose(s, live_lines(s, m, full), m).level, "fair");
  // The share is compared exactly: 100 of 1999 is 5,0025%, over 5% though it rounds to 500 basis points.
  m.rated = 1999, m.not_completed = 100;
  EXPECT_EQ(basis_points(100, 1999), 500);
  EXPECT_EQ(propose(s, live_lines(s, m, full), m).level, "fair");
  m.rated = 10, m.not_completed = 2;  // 20%: levels without the condition are not held back
  EXPECT_EQ(propose(s, live_lines(s, m, full), m).level, "average");
  // No ratings recorded: the condition cannot be checked; the level stands and the reasons say so.
  m.rated = 0, m.not_completed = 0;
  p = propose(s, live_lines(s, m, full), m);
  EXPECT_EQ(p.level, "strong_excellent");
  EXPECT_TRUE(any_has(p.reasons, "Chưa có kết quả xếp loại đoàn viên"));
}

TEST(ClassificationRules, ReasonsAreStoredOneALine) {
  const std::vector<std::string> reasons{"Tổng điểm: 96/100.", "Đề xuất xếp loại Vững mạnh xuất sắc."};
  EXPECT_EQ(reasons_text(reasons), "Tổng điểm: 96/100.\nĐề xuất xếp loại Vững mạnh xuất sắc.\n");
  EXPECT_EQ(reasons_of(reasons_text(reasons)), reasons);
  EXPECT_EQ(reasons_of("a\n\nb"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(reasons_of("").empty());
}

TEST(ClassificationRules, AnIncompleteSheetProposesNothing) {
  const Scheme s = scheme();
  Measures m;
  m.values = {{"study_rate", 10000}, {"activities_held", 12}};
  auto p = propose(s, live_lines(s, m, {}), m);
  EXPECT_EQ(p.missing, 2);
  EXPECT_EQ(p.level, "");
  EXPECT_EQ(p.score, 30);
  EXPECT_TRUE(any_has(p.reasons, "Còn 2 tiêu chí"));
  EXPECT_TRUE(any_has(p.reasons, "\u201CSáng kiến\u201D"));
}

TEST(ClassificationRules, TheCommitteesPointsAreCheckedByField) {
  const Scheme s = scheme();
  Measures m;
  m.values = {{"study_rate", 10000}};
  auto ok = validate_entered(s, m, "initiatives", "10", "  Mô hình \"Chuyến xe yêu thương\" ");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->first->id, 14);
  EXPECT_EQ(ok->second.points, 10);
  EXPECT_EQ(ok->second.note, "Mô hình \"Chuyến xe yêu thương\"");
  // A computed criterion without data takes points by hand.
  EXPECT_TRUE(validate_entered(s, m, "ratings", "0", ""));
  struct Case {
    const char *code, *points, *field;
    std::string note;
  };
  for (const auto& c : std::vector<Case>{{"nope", "1", "criterion", ""},
                                         {"study", "5", "criterion", ""},  // computed from the data
                                         {"initiatives", "11", "points", ""},
                                         {"initiatives", "-1", "points", ""},
                                         {"initiatives", "", "points", ""},
                                         {"initiatives", "4.5", "points", ""},
                                         {"initiatives", "abc", "points", ""},
                                         {"initiatives", "5", "note", std::string(501, 'a')},
                                         {"initiatives", "5", "note", std::string("a\x01")}}) {
    auto r = validate_entered(s, m, c.code, c.points, c.note);
    ASSERT_FALSE(r) << c.code << " " << c.points;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, c.field) << c.code << " " << c.points;
  }
}

TEST(ClassificationRules, EachStateAllowsItsSteps) {
  for (const char* state : kStates)
    for (const char* step : {"score", "confirm", "approve", "return"}) {
      const bool branch = std::string(step) == "score" || std::string(step) == "confirm";
      const bool want = branch ? (std::string(state) == "draft" || std::string(state) == "returned") : std::string(state) == "confirmed";
      auto r = check_step(state, step);
      EXPECT_EQ(r.has_value(), want) << state << " " << step;
      if (!r) {
        EXPECT_EQ(r.error().kind, ErrorKind::conflict);
      }
    }
  EXPECT_EQ(check_step("draft", "publish").error().kind, ErrorKind::invalid);
}

TEST(ClassificationRules, TheLevelAboveDecidesWithReasons) {
  const Scheme s = scheme();
  auto same = validate_decision(s, "approve", "strong", "", "");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->level, "strong");
  EXPECT_TRUE(validate_decision(s, "approve", "strong", "strong", ""));
  auto other = validate_decision(s, "approve", "strong", "fair", "");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().field, "note");
  auto with_reason = validate_decision(s, "approve", "strong", "fair", "Chưa nộp báo cáo đúng hạn");
  ASSERT_TRUE(with_reason);
  EXPECT_EQ(with_reason->level, "fair");
  EXPECT_EQ(validate_decision(s, "approve", "strong", "excellent", "x").error().field, "level");
  // The levels are the scheme's own, not a fixed list.
  Scheme three = s;
  three.levels = {{"good", "Tốt", 40, std::nullopt}, {"pass", "Đạt", 20, std::nullopt}, {"fail", "Chưa đạt", 0, std::nullopt}};
  EXPECT_TRUE(validate_decision(three, "approve", "good", "pass", "Thiếu minh chứng"));
  auto unknown = validate_decision(three, "approve", "good", "strong", "x");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "level");
  EXPECT_TRUE(has(unknown.error().message, "good, pass, fail")) << unknown.error().message;
  EXPECT_EQ(validate_decision(s, "return", "strong", "", " ").error().field, "note");
  auto back = validate_decision(s, "return", "strong", "", "Thiếu minh chứng tiêu chí sáng kiến");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->level, "");
}

TEST(ClassificationRules, TheReportsSentence) {
  EXPECT_EQ(narrative(2021, "Vững mạnh xuất sắc", 96, 100, "approved", "Đoàn khối Các cơ quan tỉnh Lâm Đồng", "2022-01-14"),
            "Năm 2021, Chi đoàn được xếp loại \u201CVững mạnh xuất sắc\u201D (96/100 điểm), được Đoàn khối Các cơ quan tỉnh Lâm Đồng "
            "công nhận ngày 14/01/2022.");
  // Confirmed by the branch only: its own proposal, not a classification.
  EXPECT_EQ(narrative(2022, "Khá", 70, 100, "confirmed", "", ""),
            "Năm 2022, Chi đoàn tự đánh giá, đề xuất xếp loại \u201CKhá\u201D (70/100 điểm), đang chờ cấp trên duyệt.");
}

}  // namespace
}  // namespace chidoan::review::classification
