// The "desk_assist" section of the bundle (docs/bundle.md#desk_assist): per help-desk center,
// its catalogue of procedures and its assistance log.
//
//   "desk_assist": {"centers": [{
//     "org": "VPUBND", "center": "Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng",
//     "procedures": [{"code": "1.000656", "name": "…", "field": "…", "level": "full",
//                     "documents": ["…", "…"], "active": true}],
//     "assists": [{"at": "2021-11-02T08:15:00", "member": "M0001", "shift": null,
//                  "procedure": "1.000656", "level": "full", "steps": ["scanned", "submitted"],
//                  "outcome": "submitted", "phone": null, "phone_consent_at": null, "note": ""}]}]}
//
// Centers are created by the "desk" section (loaded before this one) or are already in the
// database: the loader looks them up by org code and name and fails, naming the path, when one
// is missing. "shift" is null or {"template", "counter", "date"}, a shift of that center's roster.
// Times are Vietnam's local time with seconds. A phone only with phone_consent_at. Members are
// the bundle's member refs; an assist whose volunteer is outside a dumped subtree is left out.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::desk {

chidoan::bundle::Section assist_bundle_section();

}  // namespace chidoan::desk
