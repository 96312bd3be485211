#include "tests/support/test_db.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "platform/core/hash.hpp"

namespace chidoan::testing {
namespace {

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  static const uint32_t salt = std::random_device{}();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%ld_%d_%08x", static_cast<long>(::getpid()), ++counter, salt);
  return buf;
}

// The name of the migrated template for the binary's migrations: "chidoan_tpl_" and a 64-bit
// FNV-1a of every embedded migration, so that a changed or added migration gets a new template.
Result<std::string> template_name() {
  CHIDOAN_TRY(migrations, db::embedded_migrations());
  Fnv1a h;
  for (const auto& m : migrations)
    h.field(std::to_string(m.version)).field(m.name)
        .field(m.engine ? (*m.engine == db::Engine::sqlite ? "sqlite" : "postgres") : "both").field(m.sql);
  char buf[40];
  std::snprintf(buf, sizeof buf, "chidoan_tpl_%016llx", static_cast<unsigned long long>(h.value()));
  return std::string(buf);
}

Result<void> migrate_url(const std::string& url) {
  CHIDOAN_TRY(conn, db::Connection::open(url));
  CHIDOAN_TRY_VOID(db::migrate(*conn));
  return {};
}

// SQLite: the template file in the temporary directory, made once (under an flock, so that
// tests started together make it once) by migrating a file of its own and renaming it into place.
Result<std::filesystem::path> sqlite_template() {
  CHIDOAN_TRY(name, template_name());
  const auto path = std::filesystem::temp_directory_path() / (name + ".db");
  if (std::filesystem::exists(path)) return path;
  const std::string lock_path = path.string() + ".lock";
  const int fd = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0) return fail(ErrorKind::internal, "cannot open " + lock_path);
  ::flock(fd, LOCK_EX);
  Result<void> made;
  if (!std::filesystem::exists(path)) {
    const std::string building = path.string() + "." + unique_suffix();
    made = migrate_url("sqlite:" + building);  // closed again: the WAL is checkpointed into the file
    std::error_code ec;
    if (made && std::filesystem::exists(building + "-wal"))
      made = fail(ErrorKind::internal, building + " kept its WAL after closing");
    if (made) std::filesystem::rename(building, path, ec);
    if (made && ec) made = fail(ErrorKind::internal, "cannot rename " + building + ": " + ec.message());
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(building + ext, ec);
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
  if (!made) return std::unexpected(made.error());
  return path;
}

// PostgreSQL: the template database on the test server, made once (under an advisory lock held
// by the admin connection) by migrating a database of its own and renaming it; nobody connects to
// it after, so CREATE DATABASE … TEMPLATE can copy it.
Result<std::string> pg_template(db::Connection& admin) {
  CHIDOAN_TRY(name, template_name());
  constexpr int64_t kLock = 0x63686964'74706c31;  // "chidtpl1"
  CHIDOAN_TRY_VOID(admin.query("SELECT pg_advisory_lock(?1)", {kLock}));
  auto made = [&]() -> Result<void> {
    CHIDOAN_TRY(there, admin.query_one("SELECT 1 FROM pg_database WHERE datname = ?1", {name}));
    if (there) return {};
    const std::string building = "chidoan_b_" + unique_suffix();
    CHIDOAN_TRY_VOID(admin.exec_script("CREATE DATABASE " + building + " TEMPLATE template0 ENCODING 'UTF8'"));
    auto migrated = migrate_url(with_database(test_pg_url(), building));
    if (migrated) migrated = admin.exec_script("ALTER DATABASE " + building + " RENAME TO " + name);
    if (!migrated) (void)admin.exec_script("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)");
    return migrated;
  }();
  CHIDOAN_TRY_VOID(admin.query("SELECT pg_advisory_unlock(?1)", {kLock}));
  if (!made) return std::unexpected(made.error());
  return name;
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

Result<FreshDatabase> FreshDatabase::create(const std::string& engine, bool migrated) {
  FreshDatabase f;
  if (engine == "sqlite") {
    auto dir = std::filesystem::temp_directory_path();
    f.sqlite_path_ = (dir / ("chidoan_t_" + unique_suffix() + ".db")).string();
    f.url_ = "sqlite:" + f.sqlite_path_;
    if (migrated) {
      CHIDOAN_TRY(tpl, sqlite_template());
      std::error_code ec;
      std::filesystem::copy_file(tpl, f.sqlite_path_, ec);
      if (ec) return fail(ErrorKind::internal, "cannot copy " + tpl.string() + ": " + ec.message());
    }
    return f;
  }
  if (engine != "postgres") return fail(ErrorKind::invalid, "unknown engine " + engine);
  std::string server = test_pg_url();
  if (server.empty()) return fail(ErrorKind::unavailable, "CHIDOAN_TEST_PG is not set");
  CHIDOAN_TRY(admin, db::Connection::open(server));
  std::string name = "chidoan_t_" + unique_suffix();
  if (migrated) {
    CHIDOAN_TRY(tpl, pg_template(*admin));
    // FILE_COPY: the files copied as they are, 0.05 s, where the default (WAL_LOG) writes each
    // page to the WAL too.
    CHIDOAN_TRY_VOID(admin->exec_script("CREATE DATABASE " + name + " TEMPLATE " + tpl + " STRATEGY FILE_COPY"));
  } else {
    CHIDOAN_TRY_VOID(admin->exec_script("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'"));
  }
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
  auto f = FreshDatabase::create(GetParam(), migrate_in_setup());
  ASSERT_TRUE(f) << f.error().message;
  db_ = std::move(*f);
  auto c = db::Connection::open(db_.url());
  ASSERT_TRUE(c) << c.error().message;
  conn = std::move(*c);
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
