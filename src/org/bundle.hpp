// The bundle: a versioned JSON document holding an organisation subtree and its data
// (docs/bundle.md). Each module adds its own section; this file owns "levels", "orgs",
// "org_events", "units" and "members".
#pragma once

#include <nlohmann/json.hpp>

#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::org::bundle {

inline constexpr const char* kFormat = "chidoan.bundle";
inline constexpr int kVersion = 1;

struct LoadStats {
  size_t orgs = 0, units = 0, members = 0;
};

// Validates the whole document first (an error names its JSON path in `field`, e.g.
// "$.members[3].birth_date"), then writes it in one transaction. Nothing is written on error.
Result<LoadStats> load(db::Connection& conn, const Clock& clock, const nlohmann::json& doc);

// The subtree rooted at `org_id` as a bundle. Deterministic: load -> dump -> load -> dump
// gives the same document.
Result<nlohmann::json> dump(db::Connection& conn, const Clock& clock, int64_t org_id);

}  // namespace chidoan::org::bundle
