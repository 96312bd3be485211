// Pure rules of the annual member rating (docs/review.md#member-rating): which guideline a year
// uses, who rates a member (the under-6-months rule), the level the system proposes with its
// reasons, the committee's entry and the states of a rating. No I/O.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"
#include "review/rating_model.hpp"

namespace chidoan::review::rating {

// "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
// "Không hoàn thành nhiệm vụ"; the level itself if unknown.
std::string level_label(std::string_view level);
// The label inside a sentence: "hoàn thành xuất sắc nhiệm vụ".
std::string level_in_sentence(std::string_view level);
std::string discipline_label(std::string_view discipline);  // "Không vi phạm", "Bị nhắc nhở, phê bình", "Bị kỷ luật"
std::string conduct_label(std::string_view conduct);        // "Tốt", "Khá", "Chưa tốt"
std::string state_label(std::string_view state);            // "Đang đánh giá", "Chi đoàn đã xác nhận", …
bool is_level(std::string_view level);

// The guideline in force for `year` among `guidelines`; invalid on "year" when none is.
Result<RatingGuideline> guideline_for(int64_t year, const std::vector<RatingGuideline>& guidelines);

// "2021-04" of (2021, 4).
std::string month_of(int year, int month);
// Is the ISO date in one of the periods [from, to) (to "" = open)?
bool within(const std::vector<std::pair<std::string, std::string>>& periods, const std::string& date);
// Months of `year` whose 15th lies in one of the periods [from, to) (ISO dates; to "" = open).
int64_t months_in_year(const std::vector<std::pair<std::string, std::string>>& periods, int year);

// Who rates the member, given the guideline's min_months.
Tenure tenure_of(const RatingInputs& in, int64_t min_months);

// The level the guideline gives these figures and this judgement, with one sentence per
// criterion of that level and, below excellent, what fell short of the level above.
RatingProposal propose(const RatingGuideline& g, const RatingInputs& in, const RatingJudgement& j);

// The committee's form: discipline, conduct, note (≤ 1000), level (optional: one of the four),
// level_reason (≤ 500). Invalid on the field, in Vietnamese.
Result<RatingEntry> validate_entry(const RawFields& raw);
// A chosen level equal to the proposal is no choice; a different one needs level_reason.
Result<RatingEntry> against_proposal(RatingEntry e, const std::optional<std::string>& proposed);

// What a system administrator may correct in a guideline: code (required, ≤ 60: the number the
// province's documents cite), title (required, ≤ 300), note (≤ 1000). Invalid on the field.
struct GuidelineInput {
  std::string code, title, note;
};
Result<GuidelineInput> validate_guideline(const RawFields& raw);

// States: "" (nothing stored yet), draft, confirmed, approved, returned.
bool may_edit(std::string_view state);     // "", draft, returned
bool may_confirm(std::string_view state);  // "", draft, returned
bool may_decide(std::string_view state);   // confirmed
// A return needs a reason (≤ 500): invalid on "reason" otherwise.
Result<std::string> check_decision(std::string_view to, std::string_view reason);

}  // namespace chidoan::review::rating
