// The "rating" section of the bundle (docs/bundle.md, docs/review.md#member-rating): the member
// ratings of the branches, with their steps.
//
//   "rating": {"ratings": [{"branch": "VPUBND", "member": "M0013", "year": 2021, "state": "approved",
//                           "discipline": "none", "conduct": "good", "note": "",
//                           "proposed_level": "excellent", "chosen_level": null, "level_reason": "",
//                           "level": "excellent", "confirmed_at": "2022-01-10T09:00:00", "confirmed_by": "…",
//                           "decided_at": "2022-01-14T09:00:00", "decided_by": "…", "return_reason": ""}]}
//
// The member must be rated by the branch that year (in it on 31 December, ≥ 6 months or coming
// from another branch); the year must have a guideline. The proposal's figures and reasons are
// computed on load from the loaded data (the section comes after activity and dues). Instants
// are Vietnam local times with seconds. A dump holds the ratings of the subtree's branches, in
// the order they were recorded.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::review {

chidoan::bundle::Section rating_bundle_section();

}  // namespace chidoan::review
