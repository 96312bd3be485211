// The fixture of a module's route tests, on both engines: a pool over the test database, the
// renderer, services with fast password hashing, a router, users' tokens by name, and call().
//
//   class NewsRoutesTest : public chidoan::testing::RouteTest {
//     void SetUp() override { RouteTest::SetUp(); load_world(clock); …; start(clock); add_routes(router, services); … }
//   };
#pragma once

#include <map>
#include <memory>
#include <string>

#include "platform/core/clock.hpp"
#include "platform/http/http.hpp"
#include "platform/render/render.hpp"
#include "platform/web/web.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"
#include "tests/support/world_test.hpp"

namespace chidoan::testing {

class RouteTest : public WorldTest {
 protected:
  // Opens the pool and the services over `clock` (REQUIRES: outlives the test; the data loaded).
  void start(const Clock& clock, size_t pool_size = 2) {
    pool = open_pool(pool_size);
    services = test_services(*pool, clock, renderer);
  }
  // Loads the demo as the route tests see it (load_demo_world), then `sections` of the demo, and
  // keeps the world's ids.
  void load_world(const Clock& clock, const std::vector<chidoan::bundle::Section>& sections = {}) {
    WorldTest::load_world(clock, sections);
    vpubnd = world.vpubnd;
    other_branch = world.other_branch;
    other_member = world.other_member;
  }
  void TearDown() override {
    router = http::Router();
    pool.reset();
    DbTest::TearDown();
  }
  // A request as `who` (a name in `tokens`; "" for anonymous).
  Reply call(const std::string& method, const std::string& target, const std::string& who, const std::string& body = "",
             const std::string& type = "application/json", const std::map<std::string, std::string>& headers = {}) {
    return chidoan::testing::call(router, method, target, who.empty() ? "" : tokens[who], body, type, headers);
  }

  std::unique_ptr<db::Pool> pool;
  render::Renderer renderer;
  web::Services services;
  http::Router router;
  std::map<std::string, std::string> tokens;
  int64_t vpubnd = 0, other_branch = 0, other_member = 0;  // set by load_world
};

}  // namespace chidoan::testing
