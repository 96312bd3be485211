// Engine-independent parts of the storage layer: rows, URLs, transactions, migrations, the pool.
#include "platform/db/db.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>

#include "platform/core/assets.hpp"
#include "platform/db/backends.hpp"

namespace chidoan::db {

// ---------------------------------------------------------------------------------------- Row

namespace {

[[noreturn]] void bad_column(size_t i, const char* want, const std::string& got) {
  throw std::invalid_argument("db::Row: column " + std::to_string(i) + " is not " + want + ": '" +
                              got.substr(0, 40) + "'");
}

std::string format_double(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, ec == std::errc() ? end : buf);
}

}  // namespace

int64_t Row::i64(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* x = std::get_if<int64_t>(&v)) return *x;
  if (std::holds_alternative<std::nullptr_t>(v)) return 0;
  if (auto* d = std::get_if<double>(&v)) {
    if (!(*d >= -9223372036854775808.0 && *d < 9223372036854775808.0)) bad_column(i, "an int64", format_double(*d));
    return static_cast<int64_t>(*d);
  }
  const auto& s = std::get<std::string>(v);
  int64_t out = 0;
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, out);
  if (ec != std::errc() || p != e) bad_column(i, "an integer", s);
  return out;
}

double Row::f64(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* x = std::get_if<int64_t>(&v)) return static_cast<double>(*x);
  if (std::holds_alternative<std::nullptr_t>(v)) return 0;
  const auto& s = std::get<std::string>(v);
  char* end = nullptr;
  double out = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) bad_column(i, "a number", s);
  return out;
}

std::string Row::str(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* x = std::get_if<int64_t>(&v)) return std::to_string(*x);
  if (auto* d = std::get_if<double>(&v)) return format_double(*d);
  return {};
}

std::optional<std::string> Row::opt_str(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return str(i);
}

std::optional<int64_t> Row::opt_i64(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

// ---------------------------------------------------------------------------------------- URLs

Result<ParsedUrl> parse_url(std::string_view url) {
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite:///abs/path
    if (path.empty()) return fail(ErrorKind::invalid, "sqlite URL without a path: " + std::string(url), "db");
    return ParsedUrl{Engine::sqlite, std::string(path)};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    std::string s(url);
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(s.c_str(), &err);
    if (!opts) {
      std::string msg = err ? err : "cannot parse";
      if (err) PQfreemem(err);
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      return fail(ErrorKind::invalid, "bad PostgreSQL URL: " + msg, "db");
    }
    PQconninfoFree(opts);
    return ParsedUrl{Engine::postgres, std::move(s)};
  }
  return fail(ErrorKind::invalid,
              "database URL must start with sqlite: or postgresql://, got '" + std::string(url) + "'", "db");
}

Result<std::unique_ptr<Connection>> Connection::open(std::string_view url) {
  CHIDOAN_TRY(parsed, parse_url(url));
  if (parsed.engine == Engine::sqlite) return detail::open_sqlite(parsed.target);
  return detail::open_postgres(parsed.target);
}

// ---------------------------------------------------------------------------------------- Connection

Result<std::optional<Row>> Connection::query_one(std::string_view sql, const std::vector<Value>& params) {
  CHIDOAN_TRY(rows, query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

Result<bool> Connection::execute_unless_busy(std::string_view sql, const std::vector<Value>& params) {
  CHIDOAN_TRY_VOID(execute(sql, params));
  return true;
}

Result<int64_t> Connection::insert_id(std::string_view sql, const std::vector<Value>& params) {
  CHIDOAN_TRY(row, query_one(sql, params));
  if (!row || row->size() == 0 || row->is_null(0))
    return fail(ErrorKind::internal, "insert_id: the statement returned no id (missing RETURNING id?)");
  return row->i64(0);
}

Result<void> Connection::transaction(const std::function<Result<void>()>& fn) {
  if (tx_depth_ > 0) {
    struct Depth {
      int& d;
      ~Depth() { --d; }
    } depth{++tx_depth_};
    return fn();
  }
  std::unique_lock<FairMutex> writer;
  if (FairMutex* m = writer_lock()) writer = std::unique_lock<FairMutex>(*m);
  CHIDOAN_TRY_VOID(exec_script(engine() == Engine::sqlite ? "BEGIN IMMEDIATE" : "BEGIN"));
  tx_depth_ = 1;
  Result<void> r;
  try {
    r = fn();
  } catch (...) {
    tx_depth_ = 0;
    (void)exec_script("ROLLBACK");
    throw;
  }
  tx_depth_ = 0;
  if (!r) {
    (void)exec_script("ROLLBACK");
    return r;
  }
  auto committed = exec_script("COMMIT");
  if (!committed) (void)exec_script("ROLLBACK");
  return committed;
}

// ---------------------------------------------------------------------------------------- SQL text

std::string expand_macros(std::string_view sql, Engine engine) {
  static constexpr std::string_view kNames[] = {"{{ID}}", "{{BLOB}}", "{{TEXT_C}}"};
  static constexpr std::string_view kSqlite[] = {"INTEGER PRIMARY KEY", "BLOB", "TEXT"};
  static constexpr std::string_view kPg[] = {"BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BYTEA",
                                             "TEXT COLLATE \"C\""};
  std::string out;
  out.reserve(sql.size());
  size_t i = 0;
  while (i < sql.size()) {
    bool replaced = false;
    if (sql[i] == '{') {
      for (size_t k = 0; k < 3; ++k) {
        if (sql.substr(i).starts_with(kNames[k])) {
          out += engine == Engine::sqlite ? kSqlite[k] : kPg[k];
          i += kNames[k].size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += sql[i++];
  }
  return out;
}

std::string to_pg_params(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  const size_t n = sql.size();
  auto is_ident = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  size_t i = 0;
  while (i < n) {
    char c = sql[i];
    if (c == '\'') {
      // E'...' strings take backslash escapes; '' is a quote in both kinds.
      bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !is_ident(sql[i - 2]));
      out += c;
      ++i;
      while (i < n) {
        char d = sql[i];
        out += d;
        ++i;
        if (escapes && d == '\\' && i < n) {
          out += sql[i++];
        } else if (d == '\'') {
          if (i < n && sql[i] == '\'') {
            out += sql[i++];
          } else {
            break;
          }
        }
      }
    } else if (c == '"') {
      size_t end = sql.find('"', i + 1);
      while (end != std::string_view::npos && end + 1 < n && sql[end + 1] == '"') end = sql.find('"', end + 2);
      end = end == std::string_view::npos ? n : end + 1;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? n : end;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? n : end + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?' && i + 1 < n && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '$';
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------- migrations

namespace {

const char* engine_suffix(const std::optional<Engine>& e) {
  if (!e) return ".sql";
  return *e == Engine::sqlite ? ".sqlite.sql" : ".postgres.sql";
}

std::string file_of(const Migration& m) {
  char num[24];
  std::snprintf(num, sizeof num, "%04lld", static_cast<long long>(m.version));
  return std::string(num) + "_" + m.name + engine_suffix(m.engine);
}

}  // namespace

Result<std::vector<Migration>> embedded_migrations() {
  constexpr std::string_view kDir = "migrations/";
  std::vector<Migration> out;
  for (const auto& asset : assets::under(kDir)) {
    std::string_view file = asset.path.substr(kDir.size());
    if (!file.ends_with(".sql")) continue;
    std::string_view stem = file.substr(0, file.size() - 4);
    std::optional<Engine> engine;
    if (stem.ends_with(".sqlite")) {
      engine = Engine::sqlite;
      stem.remove_suffix(7);
    } else if (stem.ends_with(".postgres")) {
      engine = Engine::postgres;
      stem.remove_suffix(9);
    }
    size_t digits = 0;
    while (digits < stem.size() && stem[digits] >= '0' && stem[digits] <= '9') ++digits;
    if (digits == 0 || digits >= stem.size() || stem[digits] != '_' || digits + 1 == stem.size() ||
        stem.find('.') != std::string_view::npos)
      return fail(ErrorKind::internal, "migration file name is not NNNN_name.sql or NNNN_name.{sqlite,postgres}.sql: " +
                                           std::string(asset.path));
    Migration m;
    std::from_chars(stem.data(), stem.data() + digits, m.version);
    m.name = std::string(stem.substr(digits + 1));
    m.sql = std::string(asset.data);
    m.engine = engine;
    out.push_back(std::move(m));
  }
  return check_migrations(std::move(out));
}

Result<std::vector<Migration>> check_migrations(std::vector<Migration> out) {
  // By version; within a version the shared file, then sqlite, then postgres.
  auto rank = [](const Migration& m) { return !m.engine ? 0 : *m.engine == Engine::sqlite ? 1 : 2; };
  std::stable_sort(out.begin(), out.end(), [&](const Migration& a, const Migration& b) {
    return a.version != b.version ? a.version < b.version : rank(a) < rank(b);
  });
  for (size_t i = 0; i < out.size();) {
    size_t j = i;
    while (j < out.size() && out[j].version == out[i].version) ++j;
    const std::string number = std::to_string(out[i].version);
    std::string files;
    for (size_t k = i; k < j; ++k) files += (k > i ? ", " : "") + file_of(out[k]);
    bool pair = j - i == 2 && out[i].engine == Engine::sqlite && out[i + 1].engine == Engine::postgres;
    if (j - i == 1 && out[i].engine)
      return fail(ErrorKind::internal, "migration " + number + " has an engine file without its partner: " + files);
    if (j - i > 1 && !pair)
      return fail(ErrorKind::internal, "two migrations numbered " + number + ": " + files);
    if (pair && out[i].name != out[i + 1].name)
      return fail(ErrorKind::internal, "the engine files of migration " + number + " have different names: " + files);
    i = j;
  }
  return out;
}

std::vector<Migration> migrations_for(const std::vector<Migration>& migrations, Engine engine) {
  std::vector<Migration> out;
  for (const auto& m : migrations)
    if (m.applies_to(engine)) out.push_back(m);
  return out;
}

Result<int> migrate(Connection& conn, const std::vector<Migration>& migrations) {
  constexpr std::string_view kCreate =
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at BIGINT NOT NULL)";
  const bool pg = conn.engine() == Engine::postgres;
  // Fast path for the usual case (nothing to do) without taking the write lock. Outside a
  // transaction only: on PostgreSQL a failed statement (no table yet) would abort one.
  if (!conn.in_transaction()) {
    if (auto rows = conn.query("SELECT version FROM schema_migrations")) {
      std::vector<int64_t> done;
      for (const auto& r : *rows) done.push_back(r.i64(0));
      bool all = std::all_of(migrations.begin(), migrations.end(), [&](const Migration& m) {
        return !m.applies_to(conn.engine()) || std::find(done.begin(), done.end(), m.version) != done.end();
      });
      if (all) return 0;
    }
  }
  int applied = 0;
  for (const auto& m : migrations) {
    if (!m.applies_to(conn.engine())) continue;
    bool did = false;
    auto r = conn.transaction([&]() -> Result<void> {
      if (pg) CHIDOAN_TRY_VOID(conn.query("SELECT pg_advisory_xact_lock(?1)", {kMigrationLockKey}));
      CHIDOAN_TRY_VOID(conn.exec_script(kCreate));
      CHIDOAN_TRY(row, conn.query_one("SELECT 1 FROM schema_migrations WHERE version = ?1", {m.version}));
      if (row) return {};
      CHIDOAN_TRY_VOID(conn.exec_script(expand_macros(m.sql, conn.engine())));
      CHIDOAN_TRY_VOID(conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                                    {m.version, m.name, static_cast<int64_t>(std::time(nullptr))}));
      did = true;
      return {};
    });
    if (!r) {
      Error e = r.error();
      e.message = "migration " + std::to_string(m.version) + "_" + m.name + ": " + e.message;
      return std::unexpected(std::move(e));
    }
    if (did) ++applied;
  }
  return applied;
}

Result<void> lock_until_commit(Connection& conn, int64_t space, int64_t id) {
  if (conn.engine() != Engine::postgres) return {};
  const int64_t key = (space << 40) | (id & ((int64_t{1} << 40) - 1));
  CHIDOAN_TRY_VOID(conn.query("SELECT pg_advisory_xact_lock(?1)", {key}));
  return {};
}

Result<int> migrate(Connection& conn) {
  CHIDOAN_TRY(migrations, embedded_migrations());
  return migrate(conn, migrations);
}

// ---------------------------------------------------------------------------------------- backup

namespace {
std::string shell_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}
}  // namespace

Result<void> backup(std::string_view url, const std::string& to_path) {
  CHIDOAN_TRY(parsed, parse_url(url));
  if (parsed.engine == Engine::postgres)
    return fail(ErrorKind::invalid,
                "PostgreSQL is backed up with pg_dump: pg_dump --format=custom --file=" + shell_quote(to_path) +
                    " " + shell_quote(parsed.target),
                "db");
  return detail::sqlite_backup(parsed.target, to_path);
}

Result<void> restore(const std::string& from_path, std::string_view url) {
  CHIDOAN_TRY(parsed, parse_url(url));
  if (parsed.engine == Engine::postgres)
    return fail(ErrorKind::invalid,
                "PostgreSQL is restored with pg_restore into a new database: pg_restore --no-owner --dbname=" +
                    shell_quote(parsed.target) + " " + shell_quote(from_path),
                "db");
  if (parsed.target.find("mode=memory") != std::string::npos || parsed.target == ":memory:")
    return fail(ErrorKind::invalid, "restore into a database file, not into memory", "db");
  return detail::sqlite_restore(from_path, parsed.target);
}

// ---------------------------------------------------------------------------------------- Pool

struct Pool::Impl {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::unique_ptr<Connection>> free;
};

Pool::Pool(std::unique_ptr<Impl> impl, Engine e, std::string url)
    : impl_(std::move(impl)), engine_(e), url_(std::move(url)) {}

Pool::~Pool() = default;

Result<std::unique_ptr<Pool>> Pool::open(std::string_view url, int size) {
  CHIDOAN_TRY(parsed, parse_url(url));
  if (size < 1) return fail(ErrorKind::invalid, "pool size must be at least 1", "db");
  if (parsed.engine == Engine::sqlite && parsed.target == ":memory:" && size > 1)
    return fail(ErrorKind::invalid,
                "a sqlite::memory: pool must have size 1 (each connection is its own database); use a file or "
                "sqlite:file:NAME?mode=memory&cache=shared",
                "db");
  auto impl = std::make_unique<Impl>();
  for (int i = 0; i < size; ++i) {
    CHIDOAN_TRY(c, Connection::open(url));
    impl->free.push_back(std::move(c));
  }
  return std::unique_ptr<Pool>(new Pool(std::move(impl), parsed.engine, std::string(url)));
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [&] { return !impl_->free.empty(); });
  auto c = std::move(impl_->free.back());
  impl_->free.pop_back();
  return Lease(this, std::move(c));
}

void Pool::give_back(std::unique_ptr<Connection> c) {
  c->release_reads();
  {
    std::lock_guard lock(impl_->mu);
    impl_->free.push_back(std::move(c));
  }
  impl_->cv.notify_one();
}

Pool::Lease::~Lease() {
  if (pool_ && conn_) pool_->give_back(std::move(conn_));
}

Pool::Lease& Pool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (pool_ && conn_) pool_->give_back(std::move(conn_));
    pool_ = other.pool_;
    conn_ = std::move(other.conn_);
  }
  return *this;
}

}  // namespace chidoan::db
