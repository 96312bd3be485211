// Wiring: every module's routes on one router, over one pool, clock and renderer.
#pragma once

#include <memory>
#include <string>

#include <vector>

#include "platform/core/bundle.hpp"
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
// Every module's section of the bundle, after the org part (docs/bundle.md).
std::vector<bundle::Section> bundle_sections();

}  // namespace chidoan::app
