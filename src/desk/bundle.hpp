// The "desk" section of the bundle (docs/bundle.md#desk): help-desk centers with their
// counters, shift templates, and roster periods with shifts, staff, availability and requests.
// The assistance log and the dossier figures are sections of their own (desk_assist, desk_kpi).
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::desk {

chidoan::bundle::Section bundle_section();

// For the desk_kpi and desk_assist sections: the center named by its org's code and its name,
// made by this section (loaded before them) or already in the database; invalid, naming `path`
// (the entry), when there is none.
Result<int64_t> bundle_center(db::Connection& conn, const chidoan::bundle::Refs& refs, const std::string& org_code,
                              const std::string& center_name, const std::string& path);

}  // namespace chidoan::desk
