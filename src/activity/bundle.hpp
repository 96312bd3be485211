// The "activity" section of the bundle (docs/bundle.md): activity types, activities with the
// orgs taking part, sign-ups, the attendance register and study completions.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::activity {

chidoan::bundle::Section bundle_section();

}  // namespace chidoan::activity
