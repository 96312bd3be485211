// A test on both engines over the demo as the module tests see it (load_demo_world: the demo's
// org part and an outside branch), with some of the demo's other sections.
//
//   class DraftTest : public chidoan::testing::WorldTest {
//     void SetUp() override { WorldTest::SetUp(); if (IsSkipped()) return; load_world(clock, {activity::bundle_section()}); … }
//   };
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/core/clock.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::testing {

class WorldTest : public DbTest {
 protected:
  // Loads the world, then `sections` of the demo bundle; keeps the world's ids in `world`.
  // Fails the test (fatally) when either does not load.
  void load_world(const Clock& clock, const std::vector<chidoan::bundle::Section>& sections = {}) {
    auto loaded_world = load_demo_world(*conn, clock);
    ASSERT_TRUE(loaded_world) << loaded_world.error().message;
    world = *loaded_world;
    if (sections.empty()) return;
    auto loaded = load_demo_sections(*conn, sections);
    ASSERT_TRUE(loaded) << loaded.error().field << ": " << loaded.error().message;
  }
  // Ids in the loaded world: an org by its code, a member by their given name (unique in the demo).
  int64_t org_id_of(const std::string& code) {
    auto r = conn->query_one("SELECT id FROM orgs WHERE code = ?1", {code});
    EXPECT_TRUE(r && *r) << "no org " << code;
    return r && *r ? (*r)->i64(0) : 0;
  }
  int64_t member_id_of(const std::string& given_name) {
    auto r = conn->query_one("SELECT id FROM members WHERE given_name = ?1", {given_name});
    EXPECT_TRUE(r && *r) << "no member " << given_name;
    return r && *r ? (*r)->i64(0) : 0;
  }

  DemoWorld world;
};

}  // namespace chidoan::testing
