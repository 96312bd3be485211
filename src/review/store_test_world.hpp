// The world the review's store tests share (rating_store_test.cpp, classification_store_test.cpp):
// the demo's orgs and members with its activities and dues on a fresh database of each engine, the
// demo branch VPUBND, its Đoàn khối and the branch it was split from, a clock in January 2022, the
// branch's secretary and the Đoàn khối as actors, and tx() to run a write as the routes do.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "activity/bundle.hpp"
#include "activity/dues_bundle.hpp"
#include "org/store.hpp"
#include "review/actor.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"
#include "tests/support/world_test.hpp"

namespace chidoan::review {

class ReviewStoreTest : public chidoan::testing::WorldTest {
 protected:
  void SetUp() override {
    WorldTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock, {activity::bundle_section(), activity::dues_bundle_section()});
    if (HasFatalFailure()) return;
    org::Store orgs(*conn, clock);
    vpubnd = *orgs.org(world.vpubnd);
    dkcq = **orgs.org_by_code("DKCQ");
    vpdbqh = **orgs.org_by_code("VPDBQH");
  }

  // Runs a write in a transaction, as the routes do.
  template <class F>
  auto tx(F f) -> decltype(f()) {
    decltype(f()) out = fail(ErrorKind::internal, "not run");
    (void)conn->transaction([&]() -> Result<void> {
      out = f();
      if (!out) return std::unexpected(out.error());
      return {};
    });
    return out;
  }
  int64_t count(const std::string& sql) { return (*conn->query_one(sql))->i64(0); }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 12} + std::chrono::hours{3}};
  org::Org vpubnd, dkcq, vpdbqh;
  ReviewActor sang{auth::Actor{std::nullopt, "sangpv", "req-1", "127.0.0.1"}, "Phan Văn Sang"};
  ReviewActor dk{auth::Actor{std::nullopt, "doankhoi", "req-2", "127.0.0.1"}, "Ban Thường vụ Đoàn khối"};
};

}  // namespace chidoan::review
