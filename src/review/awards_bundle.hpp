// The "review" section of the bundle (docs/bundle.md#review): the awards registers of the orgs.
//
//   "review": {"awards": [{"org": "VPUBND", "member": "M0013" | null, "recipient_org": "VPUBND" | null,
//                          "kind": "certificate_of_merit", "title": "…", "issuer": "…",
//                          "decision_no": "…", "decision_on": "2022-01-20", "year": 2021, "note": ""}]}
//
// "org" keeps the register; the recipient is a member of the bundle ("member") or an org of the
// bundle or the database ("recipient_org"), exactly one, and must be in the register org's
// subtree (a member: having stayed in one of its branches). A dump holds the awards of the
// subtree's registers, in the order they were recorded.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::review {

chidoan::bundle::Section awards_bundle_section();

}  // namespace chidoan::review
