// Wiring: every module's routes on one router, over one pool, clock and renderer.
#pragma once

#include <memory>
#include <string>

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::app {

// Owns everything a running server needs. REQUIRES: the pool outlives the App.
struct App {
  explicit App(db::Pool& pool, const Clock& clock, auth::AuthConfig auth = {});
  web::Services services;
  render::Renderer renderer;
  http::Metrics metrics;
  http::Router router;
};

http::Limits default_limits();

}  // namespace chidoan::app
