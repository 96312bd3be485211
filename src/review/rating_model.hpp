// Plain types of the annual member rating (đánh giá, xếp loại đoàn viên, docs/review.md#member-rating;
// migrations/0016_rating.sql). Levels, as stored: excellent, good, completed, not_completed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chidoan::review {

// Best first; the report lists them in this order.
inline constexpr const char* kRatingLevels[] = {"excellent", "good", "completed", "not_completed"};
inline constexpr const char* kDisciplines[] = {"none", "reminded", "disciplined"};  // mildest first
inline constexpr const char* kConducts[] = {"good", "fair", "poor"};                // best first

// What a level needs under a guideline (a row of rating_thresholds).
struct RatingThresholds {
  std::string level;  // excellent | good | completed
  int64_t min_participation_pct = 0, min_meeting_pct = 0, max_meeting_absences = 0, min_study_pct = 0, min_dues_pct = 0,
          min_volunteer_hours = 0;
  std::string max_discipline = "none", min_conduct = "good";
  std::string basis;
};

// A guideline in force for from_year..to_year (open-ended: nullopt), with its thresholds.
struct RatingGuideline {
  int64_t id = 0;
  std::string code;   // "HD 33-HD/TWĐTN-BTC"
  std::string title;
  int64_t from_year = 0;
  std::optional<int64_t> to_year;
  std::string note;
  int64_t min_months = 6;  // months in a branch in the year to be rated by it
  std::vector<RatingThresholds> thresholds;  // excellent, good, completed
};

// The figures of a member for a year in the rating branch, computed from the data.
struct RatingInputs {
  int64_t months_in_branch = 0;          // months of the year whose 15th the member spent in the branch
  bool in_branch_at_year_end = false;    // still in the branch on 31 December
  std::string previous_branch;           // the branch they came from in the year ("" if none)
  // The branch's attendance registers; recorded: present or absent without excuse.
  int64_t activities_recorded = 0, activities_present = 0;
  int64_t meetings_recorded = 0, meetings_present = 0, meeting_absences = 0;  // absences: unexcused
  int64_t study_expected = 0, study_completed = 0;
  int64_t dues_due_months = 0, dues_paid_months = 0;
  int64_t volunteer_minutes = 0;
  bool dues_kept = false;   // the branch keeps a dues register (has recorded a dues payment)
  bool hours_kept = false;  // the branch recorded volunteer hours in the year
};

// The committee's judgement of a member.
struct RatingJudgement {
  std::string discipline = "none";  // kDisciplines
  std::string conduct = "good";     // kConducts
  std::string note;                 // e.g. the old branch's comments
};

// Who rates the member this year: this branch, this branch with the old branch's comments (fewer
// than the guideline's min_months here after a transfer), or not this branch (left it, or a new member of fewer
// than 6 months).
enum class Tenure { rated, rated_with_old_comments, not_rated_here };

struct RatingProposal {
  Tenure tenure = Tenure::rated;
  std::optional<std::string> level;  // nullopt when not rated here
  std::vector<std::string> reasons;  // Vietnamese sentences: "Tham gia 92% hoạt động (≥ 90%)"
};

// A stored rating (member_ratings) with the member's name.
struct MemberRating {
  int64_t id = 0, member_id = 0, branch_id = 0, year = 0, guideline_id = 0;
  std::string member_name;
  std::string state;  // draft | confirmed | approved | returned
  RatingJudgement judgement;
  std::optional<std::string> proposed_level, chosen_level, level;
  std::string inputs_json = "{}", reasons_json = "[]";
  std::string level_reason;
  std::optional<int64_t> confirmed_at, decided_at;
  std::optional<int64_t> confirmed_by;  // the user who confirmed (none when loaded from a bundle)
  std::string confirmed_by_name, decided_by_name, return_reason;
  int64_t version = 0;
};

// The committee's entry for a member: judgement and, optionally, a level other than the proposal.
struct RatingEntry {
  RatingJudgement judgement;
  std::optional<std::string> chosen_level;
  std::string level_reason;
};

}  // namespace chidoan::review
