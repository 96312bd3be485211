// Branch classification (xếp loại chi đoàn, BranchClassification): plain types. A scheme is the
// score sheet of a guideline — criteria and level thresholds are data (migrations/0017) — and a
// sheet is one branch's year on it (docs/review.md "Branch classification").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chidoan::review::classification {

// A sheet's states: draft -> confirmed (the branch) -> approved | returned (the level above).
inline constexpr const char* kStates[] = {"draft", "confirmed", "approved", "returned"};

// A criterion of the score sheet. Computed ones are scored from `measure` (full points from
// `full_at` on); entered ones by the branch committee.
struct Criterion {
  int64_t id = 0;
  std::string code;
  std::string name;      // Vietnamese
  int64_t max_points = 0;
  std::string source;    // "computed" | "entered"
  std::string measure;   // computed: a kMeasures code
  int64_t full_at = 0;   // computed: the measure's value that earns max_points
};

// A level and what it takes: a total from min_score on and, when set, at most
// max_not_completed_bp of the rated members rated "không hoàn thành nhiệm vụ".
struct LevelRule {
  std::string level;  // its code, e.g. "strong_excellent" (classification_levels.level)
  std::string name;   // "Vững mạnh xuất sắc"
  int64_t min_score = 0;
  std::optional<int64_t> max_not_completed_bp;
};

struct Scheme {
  int64_t id = 0;
  std::string code, name, source;
  int64_t valid_from = 0;
  std::optional<int64_t> valid_to;  // none: still in force
  std::vector<Criterion> criteria;  // in sheet order
  std::vector<LevelRule> levels;    // best first
};

// The year's data as the measures read it; a measure absent from `values` has no data (its
// criterion is then entered by the committee).
struct Measures {
  std::map<std::string, int64_t> values;        // measure code -> value (rates in basis points)
  int64_t rated = 0;                             // members rated by the branch (confirmed or approved); 0: no ratings
  int64_t not_completed = 0;                     // of them rated "không hoàn thành nhiệm vụ"
};

// What the committee gave a criterion.
struct Entered {
  int64_t points = 0;
  std::string note;
};

// One line of a sheet as shown and totalled.
struct Line {
  Criterion criterion;
  std::string source;             // as scored: "computed", or "entered" (also a computed criterion without data)
  std::optional<int64_t> value;   // computed: the measure's value
  std::optional<int64_t> points;  // none: entered and not scored yet
  std::string note;
};

// The system's proposal.
struct Proposal {
  int64_t score = 0, max_score = 0;
  std::string level;                 // a level of the scheme; "" when the sheet is incomplete
  std::vector<std::string> reasons;  // Vietnamese sentences
  int64_t missing = 0;               // entered criteria not scored yet
};

// A stored sheet.
struct Sheet {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t year = 0;
  int64_t scheme_id = 0;
  std::string state = "draft";
  int64_t version = 0;
  std::optional<int64_t> score;
  std::string proposed_level, reasons, level, note;
  std::string confirmed_on, confirmed_by_name;
  std::optional<int64_t> confirmed_by;
  std::string decided_on, decided_by_name, decision_note;
  std::optional<int64_t> decided_by, decided_by_org_id;
  std::string decided_by_org_name;  // read
};

// A stored line: criterion id -> what is recorded for it.
struct StoredScore {
  std::string source;
  int64_t points = 0;
  std::optional<int64_t> value;
  std::string note;
};

}  // namespace chidoan::review::classification
