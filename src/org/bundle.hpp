// The bundle: a versioned JSON document holding an organisation subtree and its data
// (docs/bundle.md). Each module adds its own section; this file owns "levels", "orgs",
// "org_events", "units" and "members".
#pragma once

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/core/bundle.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::org::bundle {

inline constexpr const char* kFormat = "chidoan.bundle";
inline constexpr int kVersion = 1;

struct LoadStats {
  size_t orgs = 0, units = 0, members = 0;
};

// The org section validated and ready to write. Opaque outside bundle.cpp.
struct Plan;
struct PlanDeleter {
  void operator()(Plan* p) const;
};
using PlanPtr = std::unique_ptr<Plan, PlanDeleter>;

// Validates the whole org part of the document (an error names its JSON path in `field`, e.g.
// "$.members[3].birth_date"); writes nothing. `known` receives the org codes and member refs.
Result<PlanPtr> validate(db::Connection& conn, const Clock& clock, const nlohmann::json& doc, chidoan::bundle::Known& known);
// Writes a plan. REQUIRES: inside a transaction.
Result<chidoan::bundle::Refs> write(db::Connection& conn, const Clock& clock, Plan& plan, LoadStats& stats);

// The org part of the bundle of the subtree rooted at `org_id`, and the scope later sections
// dump. Deterministic.
Result<nlohmann::json> dump(db::Connection& conn, const Clock& clock, int64_t org_id, chidoan::bundle::DumpScope& scope);

// For the sections after the org part: the id of an org named by its code, from the bundle
// (`refs`, empty while validating) or already in the database; invalid, naming `path`, when
// neither has it.
Result<int64_t> org_ref(db::Connection& conn, const chidoan::bundle::Refs& refs, const std::string& code, const std::string& path);

// Validates, then loads in one transaction: the org part plus every given section. Top-level
// keys other than the org part's and the sections' are errors. Nothing is written on error.
Result<LoadStats> load(db::Connection& conn, const Clock& clock, const nlohmann::json& doc,
                       const std::vector<chidoan::bundle::Section>& sections = {});
// The whole bundle of a subtree: the org part plus every section's key.
Result<nlohmann::json> dump(db::Connection& conn, const Clock& clock, int64_t org_id,
                            const std::vector<chidoan::bundle::Section>& sections = {});

}  // namespace chidoan::org::bundle
