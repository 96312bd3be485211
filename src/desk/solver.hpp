// The automatic duty roster: who takes which shift of a roster period. Pure: no database, no
// clock. Hard rules and the objective are documented in docs/desk.md ("Automatic roster").
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

namespace chidoan::desk::solver {

struct Shift {
  int64_t id = 0;
  int64_t start = 0, end = 0;  // unix seconds; weeks and days are counted in local time (UTC+7)
  int min_staff = 1, max_staff = 1;
  std::vector<int64_t> fixed;  // volunteers already on this shift (sign-ups); kept as they are
};

struct Volunteer {
  int64_t id = 0;
  std::string name;
  std::vector<int64_t> available;  // shift ids this volunteer can take
  std::vector<int64_t> preferred;  // a subset of available: shifts they would like
};

struct Rules {
  int max_shifts_per_week = 3;  // per volunteer, Monday–Sunday, fixed sign-ups included
  int min_rest_minutes = 0;     // between the end of one shift and the start of the next
};

struct Assignment {
  int64_t shift_id = 0, volunteer_id = 0;
  friend bool operator==(const Assignment&, const Assignment&) = default;
};

struct Solution {
  std::vector<Assignment> added;  // new assignments, by shift then volunteer
  int64_t sum_squared_minutes = 0;  // Σ over volunteers of (minutes on duty in the period)²
  int preferred = 0;                // assignments (fixed + added) on a preferred shift
};

// Why a roster cannot be filled: one entry per shift that cannot reach its minimum.
struct Shortfall {
  int64_t shift_id = 0;
  int needed = 0;      // staff still missing after the best possible assignment
  std::string reason;  // Vietnamese, for the coordinator
};

// Knobs of the formulation (solver.cpp). The answer never depends on them, only the speed does;
// the tests run with extreme values to prove it.
struct Tuning {
  int initial_reach = 2;         // hull points kept up to this many longest shifts above the mean
  size_t max_hull_points = 500;  // per volunteer, before counting minutes instead of shifts
};

std::expected<Solution, std::vector<Shortfall>> solve(const std::vector<Shift>& shifts,
                                                      const std::vector<Volunteer>& volunteers,
                                                      const Rules& rules, const Tuning& tuning = {});

}  // namespace chidoan::desk::solver
