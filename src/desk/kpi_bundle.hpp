// The "desk_kpi" section of the bundle (docs/bundle.md#desk_kpi): each center's monthly dossier
// figures and yearly targets. A center is named by its org's code and its name,
// {"org": "VPUBND", "center": "Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng"}; it must exist
// when the section loads (made by the "desk" section, which loads before this one, or already in
// the database), otherwise the load fails naming the entry.
//
//   "desk_kpi": [{"org", "center",
//                 "targets": [{"year": 2021, "target_bp": 3000, "source": "Văn phòng Chính phủ"}],
//                 "months": [{"month": "2021-01", "received", "settled", "online_level3",
//                             "online_level4", "online_full", "online_partial", "assisted"}]}]
//
// Counts are integers (absent: 0; "received" required) checked like the forms
// (kpi::check_figures); target_bp is the target in basis points (3000 = 30%).
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::desk {

chidoan::bundle::Section kpi_bundle_section();

}  // namespace chidoan::desk
