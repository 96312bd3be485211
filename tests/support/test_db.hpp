// Storage tests on every engine: SQLite always, PostgreSQL when CHIDOAN_TEST_PG is set.
//
// Each test gets a database of its own, created in SetUp and removed in TearDown:
//   SQLite      a fresh temporary file (TMPDIR or /tmp), deleted with its -wal/-shm files;
//   PostgreSQL  CREATE DATABASE chidoan_t_<pid>_<n>_<random> on the server named by
//               CHIDOAN_TEST_PG (a postgresql:// URL, e.g. from scripts/lib/pg.sh), dropped
//               WITH (FORCE) afterwards; safe under ctest -j.
// A migrated database is a copy of a template that the first test to need it migrated:
// chidoan_tpl_<hash of the embedded migrations> (a file in the temporary directory, a database on
// the server). Copying is 0.002 s on SQLite and 0.05 s on PostgreSQL, where migrating took 0.1 s
// and 0.5 s: with a thousand storage tests, a minute and a half of ./scripts/test.
// The "postgres" instance is always instantiated (so that test discovery at build time does not
// depend on the environment) and GTEST_SKIPs when CHIDOAN_TEST_PG is not set.
//
// Use in a module's test (link chidoan_test_support):
//
//   #include "tests/support/test_db.hpp"
//   class BranchStoreTest : public chidoan::testing::DbTest {};
//   TEST_P(BranchStoreTest, InsertsAndReads) {
//     // `conn` is open on a fresh database with all embedded migrations applied.
//     auto id = conn->insert_id("INSERT INTO org_levels (rank, name) VALUES (?1, ?2) RETURNING id",
//                               {int64_t{0}, std::string("Trung ương")});
//     ASSERT_TRUE(id) << id.error().message;
//     auto pool = open_pool(4);  // a Pool on the same database, for concurrent code
//     EXPECT_EQ(engine(), chidoan::db::Engine::sqlite);  // or ::postgres
//   }
//   CHIDOAN_INSTANTIATE_DB_TEST(BranchStoreTest);
//
// Test names read e.g. "Db/BranchStoreTest.InsertsAndReads/sqlite" and ".../postgres", so
// `ctest -R sqlite` or `--gtest_filter=*/postgres` pick one engine.
// To start without migrations, override `bool migrate_in_setup() const { return false; }`.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "platform/db/db.hpp"

namespace chidoan::testing {

// "sqlite" and "postgres": the engine names tests are instantiated with.
std::vector<std::string> engine_names();
// The PostgreSQL server URL from CHIDOAN_TEST_PG, or "" when not set.
std::string test_pg_url();
// `url` (postgresql://...) with its database name replaced by `dbname`.
std::string with_database(const std::string& url, const std::string& dbname);

// A database of its own, removed on destruction. Movable, not copyable.
// REQUIRES: every connection to it is closed before destruction (PostgreSQL: they are
// dropped by force anyway).
class FreshDatabase {
 public:
  // engine: "sqlite" or "postgres". Postgres without CHIDOAN_TEST_PG: ErrorKind::unavailable.
  // migrated: with every embedded migration applied (a copy of the template); else empty.
  static Result<FreshDatabase> create(const std::string& engine, bool migrated = false);
  FreshDatabase() = default;
  FreshDatabase(FreshDatabase&& o) noexcept { *this = std::move(o); }
  FreshDatabase& operator=(FreshDatabase&& o) noexcept;
  ~FreshDatabase();
  const std::string& url() const { return url_; }  // "sqlite:/tmp/..." or "postgresql://..."

 private:
  void drop();
  std::string url_;
  std::string sqlite_path_;  // set for SQLite
  std::string pg_name_;      // set for PostgreSQL
};

// Fixture base: GetParam() is the engine name.
class DbTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;     // skips "postgres" without CHIDOAN_TEST_PG; opens, then migrates
  void TearDown() override;  // closes `conn`, then removes the database
  virtual bool migrate_in_setup() const { return true; }

  db::Engine engine() const { return conn->engine(); }
  const std::string& url() const { return db_.url(); }
  // A new Connection / Pool on this test's database. The Pool must be destroyed before the
  // test ends (keep it in a local).
  std::unique_ptr<db::Connection> open_connection() const;
  std::unique_ptr<db::Pool> open_pool(int size) const;

  std::unique_ptr<db::Connection> conn;

 private:
  FreshDatabase db_;
};

// gtest's parameter-name generator for DbTest: the engine name itself.
struct EngineName {
  std::string operator()(const ::testing::TestParamInfo<std::string>& info) const { return info.param; }
};

}  // namespace chidoan::testing

// Instantiates the TEST_P tests of `Suite` (a subclass of chidoan::testing::DbTest) once per
// engine. Use once per suite, at namespace scope.
#define CHIDOAN_INSTANTIATE_DB_TEST(Suite)                                                            \
  INSTANTIATE_TEST_SUITE_P(Db, Suite, ::testing::ValuesIn(::chidoan::testing::engine_names()),      \
                           ::chidoan::testing::EngineName{})
