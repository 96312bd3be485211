// The "classification" section of the bundle (docs/bundle.md#classification): the branches'
// score sheets with their steps.
//
//   "classification": {"sheets": [{"org": "VPUBND", "year": 2021, "scheme": "2021", "state": "approved",
//       "score": 96, "proposed_level": "strong_excellent", "reasons": ["Tổng điểm: 96/100.", "…"],
//       "level": "strong_excellent" | null, "note": "",
//       "confirmed_on": "2022-01-10" | null, "confirmed_by": "Phan Văn Sang",
//       "decided_on": "2022-01-14" | null, "decided_by": "…", "decided_by_org": "DKCQ" | null, "decision_note": "",
//       "scores": [{"criterion": "study", "source": "computed", "points": 15, "value": 10000, "note": ""}]}]}
//
// "scheme" is a scheme's code in the database (migrations/0017), "criterion" a criterion's code in
// it; "org" a branch of the bundle or the database, "decided_by_org" an org above it. Bundles
// carry no users: who took a step is a name. A dump holds the sheets of the subtree's branches.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::review {

chidoan::bundle::Section classification_bundle_section();

}  // namespace chidoan::review
