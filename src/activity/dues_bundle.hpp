// The "dues" section of the bundle (docs/bundle.md).
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::activity {

chidoan::bundle::Section dues_bundle_section();

}  // namespace chidoan::activity
