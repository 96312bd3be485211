// The "fund" section of the bundle (docs/bundle.md): campaigns, rounds, the ledger, outflows.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::fund {

chidoan::bundle::Section bundle_section();

}  // namespace chidoan::fund
