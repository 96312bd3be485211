#include "tests/support/test_db.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace chidoan::testing {
namespace {

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  static const uint32_t salt = std::random_device{}();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%ld_%d_%08x", static_cast<long>(::getpid()), ++counter, salt);
  return buf;
}

}  // namespace

std::vector<std::string> engine_names() { return {"sqlite", "postgres"}; }

std::string test_pg_url() {
  const char* v = std::getenv("CHIDOAN_TEST_PG");
  return v ? v : "";
}

std::string with_database(const std::string& url, const std::string& dbname) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t start = url.find_first_of("/?", scheme + 3);
  if (start == std::string::npos) return url + "/" + dbname;
  if (url[start] == '?') return url.substr(0, start) + "/" + dbname + url.substr(start);
  size_t end = url.find('?', start);
  return url.substr(0, start + 1) + dbname + (end == std::string::npos ? "" : url.substr(end));
}

Result<FreshDatabase> FreshDatabase::create(const std::string& engine) {
  FreshDatabase f;
  if (engine == "sqlite") {
    auto dir = std::filesystem::temp_directory_path();
    f.sqlite_path_ = (dir / ("chidoan_t_" + unique_suffix() + ".db")).string();
    f.url_ = "sqlite:" + f.sqlite_path_;
    return f;
  }
  if (engine != "postgres") return fail(ErrorKind::invalid, "unknown engine " + engine);
  std::string server = test_pg_url();
  if (server.empty()) return fail(ErrorKind::unavailable, "CHIDOAN_TEST_PG is not set");
  CHIDOAN_TRY(admin, db::Connection::open(server));
  std::string name = "chidoan_t_" + unique_suffix();
  CHIDOAN_TRY_VOID(admin->exec_script("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'"));
  f.pg_name_ = name;
  f.url_ = with_database(server, name);
  return f;
}

FreshDatabase& FreshDatabase::operator=(FreshDatabase&& o) noexcept {
  if (this != &o) {
    drop();
    url_ = std::move(o.url_);
    sqlite_path_ = std::move(o.sqlite_path_);
    pg_name_ = std::move(o.pg_name_);
    o.url_.clear();
    o.sqlite_path_.clear();
    o.pg_name_.clear();
  }
  return *this;
}

FreshDatabase::~FreshDatabase() { drop(); }

void FreshDatabase::drop() {
  if (!sqlite_path_.empty()) {
    for (const char* ext : {"", "-wal", "-shm", "-journal"}) std::remove((sqlite_path_ + ext).c_str());
  }
  if (!pg_name_.empty()) {
    if (auto admin = db::Connection::open(test_pg_url()))
      (void)(*admin)->exec_script("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
  }
  sqlite_path_.clear();
  pg_name_.clear();
  url_.clear();
}

void DbTest::SetUp() {
  if (GetParam() == "postgres" && test_pg_url().empty())
    GTEST_SKIP() << "CHIDOAN_TEST_PG is not set (source scripts/lib/pg.sh; pg_start)";
  auto f = FreshDatabase::create(GetParam());
  ASSERT_TRUE(f) << f.error().message;
  db_ = std::move(*f);
  auto c = db::Connection::open(db_.url());
  ASSERT_TRUE(c) << c.error().message;
  conn = std::move(*c);
  if (migrate_in_setup()) {
    auto m = db::migrate(*conn);
    ASSERT_TRUE(m) << m.error().message;
  }
}

void DbTest::TearDown() {
  conn.reset();
  db_ = FreshDatabase();
}

std::unique_ptr<db::Connection> DbTest::open_connection() const {
  auto c = db::Connection::open(db_.url());
  if (!c) ADD_FAILURE() << c.error().message;
  return c ? std::move(*c) : nullptr;
}

std::unique_ptr<db::Pool> DbTest::open_pool(int size) const {
  auto p = db::Pool::open(db_.url(), size);
  if (!p) ADD_FAILURE() << p.error().message;
  return p ? std::move(*p) : nullptr;
}

}  // namespace chidoan::testing
