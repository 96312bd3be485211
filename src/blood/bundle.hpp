// The "blood" section of the bundle (docs/bundle.md#blood): blood-donation clubs with their
// donors (consents, donations, deferrals), emergency requests and the call-out log.
#pragma once

#include "platform/core/bundle.hpp"

namespace chidoan::blood {

chidoan::bundle::Section bundle_section();

}  // namespace chidoan::blood
