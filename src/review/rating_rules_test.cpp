// Pure rules of the member rating: each threshold of each level, the under-6-months rule, the
// guideline a year picks, the committee's entry and the states.
#include "review/rating_rules.hpp"

#include <gtest/gtest.h>

namespace chidoan::review::rating {
namespace {

RatingGuideline hd33() {
  RatingGuideline g;
  g.id = 1;
  g.code = "HD 33-HD/TWĐTN-BTC";
  g.from_year = 2019;
  g.to_year = 2022;
  g.thresholds = {{"excellent", 90, 90, 0, 100, 100, 4, "none", "good", ""},
                  {"good", 70, 75, 1, 80, 100, 0, "none", "good", ""},
                  {"completed", 50, 50, 2, 50, 75, 0, "reminded", "fair", ""}};
  return g;
}

// A member present at everything all year in the branch: excellent.
RatingInputs full() {
  RatingInputs in;
  in.months_in_branch = 12;
  in.in_branch_at_year_end = true;
  in.activities_recorded = 100, in.activities_present = 100;
  in.meetings_recorded = 12, in.meetings_present = 12;
  in.study_expected = 4, in.study_completed = 4;
  in.dues_due_months = 12, in.dues_paid_months = 12;
  in.volunteer_minutes = 4 * 60;
  in.dues_kept = in.hours_kept = true;
  return in;
}

std::string level_of(const RatingInputs& in, const RatingJudgement& j = {}) { return propose(hd33(), in, j).level.value_or("-"); }

bool says(const RatingProposal& p, const std::string& part) {
  for (const auto& r : p.reasons)
    if (r.find(part) != std::string::npos) return true;
  return false;
}

TEST(RatingRules, ExcellentNamesEveryCriterionWithItsFigure) {
  RatingInputs in = full();
  in.activities_present = 92;
  auto p = propose(hd33(), in, {});
  EXPECT_EQ(p.level, "excellent");
  EXPECT_EQ(p.tenure, Tenure::rated);
  EXPECT_TRUE(says(p, "Tham gia 92% hoạt động của chi đoàn (≥ 90%)"));
  EXPECT_TRUE(says(p, "Dự 100% buổi sinh hoạt chi đoàn (≥ 90%)"));
  EXPECT_TRUE(says(p, "Đóng đoàn phí 12/12 tháng (≥ 100%)"));
  EXPECT_TRUE(says(p, "4 giờ tình nguyện (≥ 4 giờ)"));
}

TEST(RatingRules, EachExcellentThresholdDropsToGoodAndSaysWhy) {
  {
    RatingInputs in = full();
    in.activities_present = 89;  // 89% < 90%
    auto p = propose(hd33(), in, {});
    EXPECT_EQ(p.level, "good");
    EXPECT_TRUE(says(p, "Chưa đạt mức “Hoàn thành xuất sắc nhiệm vụ”: tham gia 89% hoạt động của chi đoàn (cần ≥ 90%)"));
  }
  {
    RatingInputs in = full();
    in.activities_recorded = 1000, in.activities_present = 899;  // 89.9%: shown rounded down, still short
    auto p = propose(hd33(), in, {});
    EXPECT_EQ(p.level, "good");
    EXPECT_TRUE(says(p, "tham gia 89% hoạt động"));
  }
  RatingInputs meetings = full();
  meetings.meetings_present = 10;  // 83%
  EXPECT_EQ(level_of(meetings), "good");
  RatingInputs absent = full();
  absent.meeting_absences = 1;
  EXPECT_EQ(level_of(absent), "good");
  RatingInputs study = full();
  study.study_completed = 3;  // 75% < 80%: not good either
  EXPECT_EQ(level_of(study), "completed");
  RatingInputs hours = full();
  hours.volunteer_minutes = 239;
  EXPECT_EQ(level_of(hours), "good");
  EXPECT_EQ(level_of(full(), {"reminded", "good", ""}), "completed");
  EXPECT_EQ(level_of(full(), {"none", "fair", ""}), "completed");
}

TEST(RatingRules, GoodAndCompletedThresholds) {
  RatingInputs good = full();
  good.activities_present = 70, good.volunteer_minutes = 0;
  EXPECT_EQ(level_of(good), "good");
  good.activities_present = 69;
  EXPECT_EQ(level_of(good), "completed");
  RatingInputs dues = full();
  dues.dues_paid_months = 9;  // 75%: completed's minimum
  EXPECT_EQ(level_of(dues), "completed");
  dues.dues_paid_months = 8;
  auto p = propose(hd33(), dues, {});
  EXPECT_EQ(p.level, "not_completed");
  EXPECT_TRUE(says(p, "Chưa đạt mức “Hoàn thành nhiệm vụ”: đóng đoàn phí 8/12 tháng (cần ≥ 75%)"));
  RatingInputs absences = full();
  absences.meeting_absences = 3;
  EXPECT_EQ(level_of(absences), "not_completed");
  EXPECT_EQ(level_of(full(), {"disciplined", "good", ""}), "not_completed");
  EXPECT_EQ(level_of(full(), {"none", "poor", ""}), "not_completed");
}

TEST(RatingRules, CriteriaWithoutDataAreNotCounted) {
  RatingInputs in = full();
  in.activities_recorded = in.activities_present = 0;
  in.meetings_recorded = in.meetings_present = 0;
  in.study_expected = in.study_completed = 0;
  in.dues_due_months = in.dues_paid_months = 0;
  auto p = propose(hd33(), in, {});
  EXPECT_EQ(p.level, "excellent");
  EXPECT_FALSE(says(p, "hoạt động"));
  EXPECT_FALSE(says(p, "đoàn phí"));
}

TEST(RatingRules, ABranchWithoutAnHoursRegisterStillRatesExcellent) {
  RatingInputs in = full();
  in.volunteer_minutes = 0;
  EXPECT_EQ(level_of(in), "good");  // hours kept, none done: short of excellent
  in.hours_kept = false;
  auto p = propose(hd33(), in, {});
  EXPECT_EQ(p.level, "excellent");
  EXPECT_FALSE(says(p, "giờ tình nguyện"));
}

TEST(RatingRules, DuesOwedAndUnpaidCountWhenTheBranchKeepsARegister) {
  RatingInputs in = full();
  in.dues_paid_months = 0;
  EXPECT_EQ(level_of(in), "not_completed");
  EXPECT_TRUE(says(propose(hd33(), in, {}), "đóng đoàn phí 0/12 tháng (cần ≥ 75%)"));
  in.dues_kept = false;
  EXPECT_EQ(level_of(in), "excellent");
}

TEST(RatingRules, UnderSixMonths) {
  RatingInputs moved_in = full();
  moved_in.months_in_branch = 5;
  moved_in.previous_branch = "Chi đoàn Văn phòng Đoàn ĐBQH và HĐND tỉnh";
  auto p = propose(hd33(), moved_in, {});
  EXPECT_EQ(p.tenure, Tenure::rated_with_old_comments);
  EXPECT_EQ(p.level, "excellent");
  EXPECT_EQ(p.reasons.front(),
            "Sinh hoạt tại chi đoàn 5 tháng (dưới 6 tháng): đánh giá có ý kiến nhận xét của Chi đoàn Văn phòng Đoàn ĐBQH và HĐND tỉnh");
  moved_in.months_in_branch = 6;
  EXPECT_EQ(tenure_of(moved_in, 6), Tenure::rated);
  // The months needed are the guideline's.
  RatingGuideline nine = hd33();
  nine.min_months = 9;
  moved_in.months_in_branch = 8;
  EXPECT_EQ(tenure_of(moved_in, nine.min_months), Tenure::rated_with_old_comments);
  EXPECT_EQ(propose(nine, moved_in, {}).reasons.front(),
            "Sinh hoạt tại chi đoàn 8 tháng (dưới 9 tháng): đánh giá có ý kiến nhận xét của Chi đoàn Văn phòng Đoàn ĐBQH và HĐND tỉnh");
  moved_in.months_in_branch = 6;

  RatingInputs fresh = full();
  fresh.months_in_branch = 5;
  p = propose(hd33(), fresh, {});
  EXPECT_EQ(p.tenure, Tenure::not_rated_here);
  EXPECT_FALSE(p.level);

  RatingInputs left = full();
  left.in_branch_at_year_end = false;
  p = propose(hd33(), left, {});
  EXPECT_EQ(p.tenure, Tenure::not_rated_here);
  EXPECT_TRUE(says(p, "Không còn sinh hoạt tại chi đoàn đến cuối năm"));
}

TEST(RatingRules, MonthsCountTheFifteenths) {
  EXPECT_EQ(months_in_year({{"2021-04-01", ""}}, 2021), 9);
  EXPECT_EQ(months_in_year({{"2021-07-16", ""}}, 2021), 5);
  EXPECT_EQ(months_in_year({{"2021-07-15", ""}}, 2021), 6);
  EXPECT_EQ(months_in_year({{"2019-01-01", "2021-03-01"}, {"2021-10-01", ""}}, 2021), 5);
  EXPECT_EQ(months_in_year({{"2019-01-01", "2020-06-01"}}, 2021), 0);
}

TEST(RatingRules, TheYearPicksTheGuideline) {
  RatingGuideline later = hd33();
  later.id = 2, later.code = "HD 42-HD/TWĐTN-BTC", later.from_year = 2023, later.to_year.reset();
  std::vector<RatingGuideline> all{hd33(), later};
  EXPECT_EQ(guideline_for(2019, all)->code, "HD 33-HD/TWĐTN-BTC");
  EXPECT_EQ(guideline_for(2022, all)->code, "HD 33-HD/TWĐTN-BTC");
  EXPECT_EQ(guideline_for(2023, all)->code, "HD 42-HD/TWĐTN-BTC");
  EXPECT_EQ(guideline_for(2030, all)->code, "HD 42-HD/TWĐTN-BTC");
  EXPECT_EQ(guideline_for(2018, all).error().field, "year");
}

TEST(RatingRules, TheCommitteesEntry) {
  EXPECT_EQ(validate_entry({{"discipline", "lazy"}}).error().field, "discipline");
  EXPECT_EQ(validate_entry({{"conduct", "great"}}).error().field, "conduct");
  EXPECT_EQ(validate_entry({{"level", "best"}}).error().field, "level");
  auto e = validate_entry({{"discipline", "reminded"}, {"conduct", "fair"}, {"note", "Nhận xét của chi đoàn cũ"}, {"level", "good"}});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->judgement.discipline, "reminded");
  EXPECT_EQ(e->chosen_level, "good");
  // A different level needs a reason; the same level is no choice.
  EXPECT_EQ(against_proposal(*e, "excellent").error().field, "level_reason");
  EXPECT_FALSE(against_proposal(*e, "good")->chosen_level);
  e->level_reason = "Thành tích nổi bật trong phong trào";
  EXPECT_EQ(against_proposal(*e, "excellent")->chosen_level, "good");
  EXPECT_EQ(against_proposal(*e, std::nullopt).error().field, "level");
}

TEST(RatingRules, States) {
  EXPECT_TRUE(may_confirm(""));
  EXPECT_TRUE(may_confirm("returned"));
  EXPECT_FALSE(may_confirm("confirmed"));
  EXPECT_FALSE(may_edit("approved"));
  EXPECT_TRUE(may_decide("confirmed"));
  EXPECT_FALSE(may_decide("draft"));
  EXPECT_EQ(check_decision("returned", " ").error().field, "reason");
  EXPECT_EQ(check_decision("deleted", "").error().field, "to");
  EXPECT_EQ(*check_decision("returned", "Xem lại số liệu"), "Xem lại số liệu");
  EXPECT_EQ(level_label("excellent"), "Hoàn thành xuất sắc nhiệm vụ");
  EXPECT_EQ(level_label("not_completed"), "Không hoàn thành nhiệm vụ");
  EXPECT_EQ(level_in_sentence("excellent"), "hoàn thành xuất sắc nhiệm vụ");
}

}  // namespace
}  // namespace chidoan::review::rating
