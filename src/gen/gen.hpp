// `chidoan gen`: synthetic Union data at three scales, for trying the system out and for the
// benchmarks (docs/operations.md "Synthetic data", docs/benchmarks.md).
//
//   branch    one Tỉnh đoàn → one Huyện đoàn → one Chi đoàn of 25 members, a full year;
//   province  one Tỉnh đoàn → 12 districts → 1,600 branches, ≈ 100,000 members;
//   nation    Trung ương Đoàn → the 63 provinces and cities, each as above: ≈ 6.4 million
//             members in ≈ 100,800 branches.
//
// Each province is generated and committed in its own transaction (gen/province.hpp, then
// gen/extras.hpp), so memory stays bounded by one province and progress is reported as each
// one lands. Deterministic for a seed on an empty database (ids come from the engine's
// sequences). Refuses to run when the root's code is taken already.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "gen/extras.hpp"
#include "gen/province.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::gen {

enum class Scale { branch, province, nation };
std::optional<Scale> parse_scale(std::string_view s);

struct Plan {
  bool national_root = false;  // a Trung ương Đoàn root with the provinces under it
  int provinces = 1;           // taken in order from names.hpp's list, Lâm Đồng first when 1
  ProvinceSize province;       // each province's shape
  bool extras = true;          // lifecycle, dues, campaigns, donors, desk (gen/extras.hpp)
};
Plan plan_for(Scale scale);

struct Totals {
  int provinces = 0;
  int64_t root_id = 0;  // the national root, or the only province
  // The rows written, as the database holds them after the run: members counts every member,
  // those admitted in the year and those who left it (extras.left) too; attendance, the
  // register's rows after the extras' moves.
  int64_t branches = 0, members = 0, activities = 0, attendance = 0;
  ExtrasInfo extras;
};

// What a progress display needs after each province (and at each stage inside one).
struct Step {
  int province = 0, of = 0;  // provinces done so far, and in all
  std::string_view stage;    // what is being written ("members: 101234"); empty after a province
  const Totals* totals = nullptr;
};

// Generates `plan` with `seed`. `on_step` may be empty.
Result<Totals> generate(db::Connection& conn, const Clock& clock, uint64_t seed, const Plan& plan,
                        const std::function<void(const Step&)>& on_step = {});

}  // namespace chidoan::gen
