// A synthetic province (`chidoan gen`, gen/gen.hpp, and the benchmarks): the tree, units,
// members with their periods, and a year of activities with a full attendance register.
//
//   Tỉnh đoàn -> `districts` Đoàn khối / Huyện đoàn -> `branches` Chi đoàn (spread evenly)
//   -> `members_per_branch` members each (± `members_spread` %; one member_periods row each),
//   aged 16–30 in `year`, with names drawn by frequency (gen/names.hpp); `units_per_branch`
//   units per branch, and `activities_per_branch` activities per branch in `year` (12 monthly
//   meetings with expects_all = 1, study campaigns, volunteer days, ...), each with one
//   attendance row per member of the branch: present ~85 %, excused ~5 %, absent ~10 %.
//
// Deterministic for a given seed and sizes (names, dates, statuses; ids depend on the engine's
// sequences, which start empty). Orgs go through org::Store::create_org (so paths and events
// are the real ones); members, units, activities and attendance are bulk SQL: multi-row
// INSERT ... VALUES batches for what needs computing in C++ (ICU sort keys, titles), and
// INSERT ... SELECT for the attendance register, which the database expands itself.
//
// REQUIRES: a migrated database. generate_province() runs its own transaction (all or
// nothing); generate_province_in() and add_activities() run inside the caller's. The
// connection must not be used by another thread meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"
#include "gen/names.hpp"

namespace chidoan::gen {

struct ProvinceSize {
  int districts = 40;
  int branches = 2000;
  int members_per_branch = 50;
  int members_spread = 0;  // ± this % around members_per_branch, drawn per branch (0: all equal)
  int units_per_branch = 2;
  int activities_per_branch = 50;
  int year = 2021;
};

struct ProvinceInfo {
  int64_t province_id = 0;
  std::string path;  // the province's org path, "/12/" or "/1/12/"
  std::vector<int64_t> district_ids;
  std::vector<int64_t> branch_ids;
  int64_t members = 0;
  int64_t activities = 0;
  int64_t attendance = 0;
};

// Called at each stage with a short description (e.g. "attendance 12/40"); may be empty.
using Progress = std::function<void(std::string_view)>;

// Where a province goes: its code (2–28 characters, see org::rules::check_org_code; children
// get "-Kdd" and "-Kdd-Cdddd" suffixes), its name and its parent (none: a new root).
struct Place {
  std::string code;
  std::string name;
  std::optional<int64_t> parent;
};

// Builds the province inside the caller's transaction; `names` memoises sort keys across
// provinces. Members are written in batches, so memory stays bounded.
Result<ProvinceInfo> generate_province_in(db::Connection& conn, const Clock& clock, uint64_t seed, const ProvinceSize& size,
                                          const Place& place, NameKeys& names, const Progress& progress = {});

// Builds the province under a new root org with code `code` (2–28 characters, see
// org::rules::check_org_code; children get "-Kdd" and "-Kdd-Cdddd" suffixes).
Result<ProvinceInfo> generate_province(db::Connection& conn, const Clock& clock, uint64_t seed, const ProvinceSize& size,
                                       const std::string& code = "BENCH", const Progress& progress = {});

// Adds `per_branch` activities in `year` to every active branch of the subtree whose path
// starts with `path_prefix` (e.g. "/1/3/"), with activity_orgs rows and an attendance row per
// current active member of the branch. Returns the number of attendance rows written.
// REQUIRES: inside a transaction.
Result<int64_t> add_activities(db::Connection& conn, const Clock& clock, uint64_t seed, const std::string& path_prefix,
                               int year, int per_branch, const Progress& progress = {});

// "seed=2021 districts=40 branches=2000 …": what a cached province was generated with.
std::string sizes_line(uint64_t seed, const ProvinceSize& size);

// Prints each stage to stderr with the seconds since `t0`.
Progress progress_printer(std::chrono::steady_clock::time_point t0);

// What the generators (province.cpp, extras.cpp) share: the largest id in `table` (0 when empty),
// and a day as YYYY-MM-DD.
Result<int64_t> max_id(db::Connection& conn, const std::string& table);
std::string iso(std::chrono::sys_days d);

}  // namespace chidoan::gen
