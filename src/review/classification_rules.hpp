// Branch classification, pure rules (no I/O, no clock, no SQL): the scheme of a year, a
// criterion's points from its measure, the sheet's total and the proposed level with its reasons,
// the committee's input, and which step a sheet's state allows (docs/review.md "Branch
// classification").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "review/classification_model.hpp"

namespace chidoan::review::classification {

// A measure chidoan computes from the year's data.
struct MeasureInfo {
  const char* code;
  const char* label;  // Vietnamese, for the sheet: "tỷ lệ hoàn thành học tập"
  bool rate;          // a share in basis points, else a count
};
inline constexpr MeasureInfo kMeasures[] = {
    {"study_rate", "tỷ lệ lượt hoàn thành học tập nghị quyết", true},
    {"meetings_rate", "tỷ lệ tháng có sinh hoạt chi đoàn", true},
    {"activities_held", "số hoạt động tổ chức và tham gia", false},
    {"volunteer_rate", "tỷ lệ đoàn viên tham gia hoạt động tình nguyện", true},
    {"dues_rate", "tỷ lệ đoàn phí đã thu trên số phải thu", true},
    {"ratings_good_rate", "tỷ lệ đoàn viên hoàn thành tốt nhiệm vụ trở lên", true},
};
const MeasureInfo* measure_info(std::string_view code);
// The value as the sheet shows it: "100%", "47,5%", "12".
std::string measure_text(std::string_view code, int64_t value);

// The scheme whose years cover `year` (the latest valid_from if several), or none.
const Scheme* scheme_for_year(const std::vector<Scheme>& schemes, int64_t year);

// max_points × min(value, full_at) / full_at, rounded half up; 0 for a negative value.
int64_t points_for(const Criterion& c, int64_t value);

// The lines of a sheet not yet confirmed: computed criteria from `m` (without data: entered),
// entered ones from what the committee gave (criterion id -> points and note).
std::vector<Line> live_lines(const Scheme& s, const Measures& m, const std::map<int64_t, Entered>& entered);

// The total, and the best level whose min_score the total reaches and whose condition holds (an
// unknown condition — no ratings — does not hold a level back; the reasons say so). Incomplete
// (an entered criterion not scored): no level.
Proposal propose(const Scheme& s, const std::vector<Line>& lines, const Measures& m);

// a / b in basis points, rounded half up; b > 0.
int64_t basis_points(int64_t a, int64_t b);

// The level's name in the scheme ("Vững mạnh xuất sắc"), or the code when unknown.
std::string level_name(const Scheme& s, std::string_view level);
// Is `level` one of the scheme's levels?
bool is_level(const Scheme& s, std::string_view level);

// A sheet's reasons are stored one a line.
std::string reasons_text(const std::vector<std::string>& reasons);
std::vector<std::string> reasons_of(std::string_view text);

// The committee's points for criterion `code` of the scheme: an integer 0..max_points (field
// "points"), a note of at most 500 characters (field "note"); the criterion must be one the
// committee scores given the data (field "criterion").
Result<std::pair<const Criterion*, Entered>> validate_entered(const Scheme& s, const Measures& m, std::string_view code,
                                                              std::string_view points, std::string_view note);

// The steps: "score" and "confirm" by the branch on a draft or returned sheet; "approve" and
// "return" by the level above on a confirmed one. Otherwise a conflict naming the state.
Result<void> check_step(std::string_view state, std::string_view step);
std::string state_label(std::string_view state);  // "Đang chấm", "Chi đoàn đã xác nhận", "Đã duyệt", "Trả lại"

// The level above's decision: approve -> the level approved, one of the sheet's scheme's levels
// (empty: the proposal; another level needs a reason in `note`); return -> a reason is required.
// Fields "level", "note".
struct Decision {
  std::string level;  // approve only
  std::string note;
};
Result<Decision> validate_decision(const Scheme& s, std::string_view step, std::string_view proposed_level, std::string_view level,
                                   std::string_view note);

// One sentence for the year-end report. Approved: "Năm 2021, Chi đoàn được xếp loại “Vững mạnh
// xuất sắc” (96/100 điểm), được Đoàn khối … công nhận ngày 20/01/2022."; confirmed only: "Năm
// 2022, Chi đoàn tự đánh giá, đề xuất xếp loại “Khá” (70/100 điểm), đang chờ cấp trên duyệt."
std::string narrative(int64_t year, const std::string& label, int64_t score, int64_t max_score, std::string_view state,
                      const std::string& approved_by, const std::string& approved_on);

}  // namespace chidoan::review::classification
