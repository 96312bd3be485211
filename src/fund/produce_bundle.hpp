// The "produce" section of the bundle (docs/produce.md, docs/bundle.md): suppliers with their
// products, cycles with their offer, orders, allocations and pickup marks.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::fund {

chidoan::bundle::Section produce_bundle_section();

}  // namespace chidoan::fund
