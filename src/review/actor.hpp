// Who takes a step of the annual review (a rating, a classification sheet): the user and request
// for the audit log, and their name as shown then. A route makes one with actor_of (route_support.hpp).
#pragma once

#include <string>

#include "platform/auth/model.hpp"

namespace chidoan::review {

struct ReviewActor {
  auth::Actor actor;
  std::string name;  // the user's display name, else their username
};

}  // namespace chidoan::review
