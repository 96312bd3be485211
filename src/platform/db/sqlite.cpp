// SQLite backend over the sqlite3 C API.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "platform/db/backends.hpp"

namespace chidoan::db::detail {
namespace {

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == 0) return false;  // SQLite text with NUL misbehaves in functions: bind as BLOB
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

// How long a statement waits for another connection's write lock.
constexpr int kBusyTimeoutMs = 5000;

std::unexpected<Error> sqlite_error(sqlite3* db, int rc) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  ErrorKind kind = ErrorKind::unavailable;
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      kind = ErrorKind::conflict;
      break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK:
      kind = ErrorKind::invalid;
      break;
    default:
      break;
  }
  return fail(kind, std::move(msg));
}

// One writer lock per database file in this process (see Connection::writer_lock).
FairMutex* writer_lock_for(const std::string& path) { return &keyed_fair_mutex("sqlite:" + path, 0); }

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, FairMutex* writer) : db_(db), writer_(writer) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Engine engine() const override { return Engine::sqlite; }

  Result<void> exec_script(std::string_view sql) override {
    end_held_reads();
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      auto e = sqlite_error(db_, rc);
      if (err) {
        e.error().message = err;
        sqlite3_free(err);
      }
      return e;
    }
    return {};
  }

  Result<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params) override {
    std::vector<Row> rows;
    CHIDOAN_TRY_VOID(run(sql, params, &rows));
    return rows;
  }

  Result<int64_t> execute(std::string_view sql, const std::vector<Value>& params) override {
    CHIDOAN_TRY_VOID(run(sql, params, nullptr));
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  void hold_reads() override { hold_ = true; }

  void release_reads() override {
    hold_ = false;
    end_held_reads();
  }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt, &tail);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc);
    if (!stmt) return fail(ErrorKind::internal, "empty SQL statement");
    std::string_view rest(tail, static_cast<size_t>(sql.data() + sql.size() - tail));
    if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
      sqlite3_finalize(stmt);
      return fail(ErrorKind::internal, "query()/execute() take one statement; use exec_script for several");
    }
    int n = sqlite3_bind_parameter_count(stmt);
    for (int i = 1; i <= n; ++i) {
      const char* name = sqlite3_bind_parameter_name(stmt, i);
      // `$1` and `:x` are *named* parameters in SQLite: bound by name, not position.
      if (name && name[0] != '?') {
        std::string msg = std::string("use positional ?N parameters, not ") + name;
        sqlite3_finalize(stmt);
        return fail(ErrorKind::internal, std::move(msg));
      }
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  // Ends the read transaction hold_reads() began, if one is open.
  void end_held_reads() {
    if (!held_open_) return;
    held_open_ = false;
    auto commit = prepare("COMMIT");
    if (!commit || !step(*commit, {}, nullptr)) (void)sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  // Prepares and runs one statement, inside the held read transaction when it only reads.
  Result<void> run(std::string_view sql, const std::vector<Value>& params, std::vector<Row>* rows) {
    CHIDOAN_TRY(stmt, prepare(sql));
    if (held_open_ && !sqlite3_stmt_readonly(stmt)) {
      end_held_reads();
    } else if (hold_ && !held_open_ && tx_depth_ == 0 && sqlite3_get_autocommit(db_) && sqlite3_stmt_readonly(stmt)) {
      CHIDOAN_TRY(begin, prepare("BEGIN"));
      CHIDOAN_TRY_VOID(step(begin, {}, nullptr));
      held_open_ = true;
    }
    return step(stmt, params, rows);
  }

  // Steps a prepared statement to the end, appending rows to `rows` if given.
  Result<void> step(sqlite3_stmt* stmt, const std::vector<Value>& params, std::vector<Row>* rows) {
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<size_t>(expected) != params.size())
      return fail(ErrorKind::internal, "statement takes " + std::to_string(expected) + " parameters, " +
                                           std::to_string(params.size()) + " given");
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              return sqlite3_bind_null(stmt, idx);
            } else if constexpr (std::is_same_v<T, int64_t>) {
              return sqlite3_bind_int64(stmt, idx, v);
            } else if constexpr (std::is_same_v<T, double>) {
              return sqlite3_bind_double(stmt, idx, v);
            } else {
              // SQLITE_STATIC: `params` outlives the statement's use of them (Reset clears the
              // bindings before this returns), so SQLite reads the strings where they are.
              if (valid_utf8(v))
                return sqlite3_bind_text64(stmt, idx, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
              return sqlite3_bind_blob64(stmt, idx, v.data(), v.size(), SQLITE_STATIC);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) return sqlite_error(db_, rc);
    }
    const int ncol = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return sqlite_error(db_, rc);
      if (!rows) continue;
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_TEXT: {
            auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            values.emplace_back(std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
            break;
          }
          case SQLITE_BLOB: {
            auto p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
            auto n = static_cast<size_t>(sqlite3_column_bytes(stmt, c));
            values.emplace_back(p ? std::string(p, n) : std::string());
            break;
          }
          default:
            values.emplace_back(nullptr);
        }
      }
      rows->emplace_back(std::move(values));
    }
    return {};
  }

  Result<bool> execute_unless_busy(std::string_view sql, const std::vector<Value>& params) override {
    if (in_transaction()) {
      CHIDOAN_TRY_VOID(execute(sql, params));
      return true;
    }
    // A writer of this process holds the file (or is queued for it): SQLite would be busy too.
    std::unique_lock<FairMutex> writer;
    if (writer_) {
      writer = std::unique_lock<FairMutex>(*writer_, std::try_to_lock);
      if (!writer.owns_lock()) return false;
    }
    // Another process's writer: no busy wait for this one statement.
    sqlite3_busy_timeout(db_, 0);
    auto r = execute(sql, params);
    const int code = sqlite3_errcode(db_);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    if (!r) {
      if (code == SQLITE_BUSY) return false;
      return std::unexpected(r.error());
    }
    return true;
  }

  FairMutex* writer_lock() override { return writer_; }

  sqlite3* db_;
  bool hold_ = false;       // hold_reads() until release_reads()
  bool held_open_ = false;  // the held read transaction has begun
  FairMutex* writer_;  // nullptr for in-memory databases, which are private to a connection
  std::unordered_map<std::string, sqlite3_stmt*, SvHash, std::equal_to<>> cache_;
};

// SQLite's process-wide settings, before its first use. Memory statistics off: with them on,
// every allocation SQLite makes takes one global mutex, which the server's threads, each on its
// own connection, then queue on (nothing here reads sqlite3_memory_used).
void configure_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

Result<sqlite3*> open_raw(const std::string& path, int flags) {
  configure_once();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_URI, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return fail(ErrorKind::unavailable, "cannot open SQLite database " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return db;
}

}  // namespace

Result<std::unique_ptr<Connection>> open_sqlite(const std::string& path) {
  CHIDOAN_TRY(db, open_raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX));
  bool in_memory = path == ":memory:" || path.find("mode=memory") != std::string::npos;
  auto conn = std::make_unique<SqliteConnection>(db, in_memory ? nullptr : writer_lock_for(path));
  // journal_mode=WAL answers "memory" for in-memory databases, which is fine.
  CHIDOAN_TRY_VOID(conn->exec_script("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"));
  return std::unique_ptr<Connection>(std::move(conn));
}

Result<void> sqlite_backup(const std::string& from, const std::string& to) {
  CHIDOAN_TRY(src, open_raw(from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX));
  const std::string tmp = to + ".part";
  std::remove(tmp.c_str());
  auto dst_r = open_raw(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  if (!dst_r) {
    sqlite3_close_v2(src);
    return std::unexpected(dst_r.error());
  }
  sqlite3* dst = *dst_r;
  Result<void> out;
  if (sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main")) {
    // The whole copy in one step, inside one read transaction: our databases are in WAL mode, so
    // that snapshot holds writers off not at all, and the copy is the database as of one moment.
    // Copying in chunks instead restarts from the first page whenever another process (the
    // server) writes between two chunks, and under a steady stream of writes never finishes.
    // SQLITE_BUSY / SQLITE_LOCKED: a writer was checkpointing or the schema was locked; try again.
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) out = fail(ErrorKind::unavailable, std::string("backup failed: ") + sqlite3_errstr(rc));
  } else {
    out = sqlite_error(dst, sqlite3_errcode(dst));
  }
  sqlite3_close_v2(dst);
  sqlite3_close_v2(src);
  if (out && std::rename(tmp.c_str(), to.c_str()) != 0)
    out = fail(ErrorKind::unavailable, "cannot rename backup to " + to);
  if (!out) std::remove(tmp.c_str());
  return out;
}

// The first column of every row `sql` gives on `db`, as text.
static Result<std::vector<std::string>> column_of(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return sqlite_error(db, sqlite3_errcode(db));
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    out.emplace_back(text ? text : "");
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return sqlite_error(db, rc);
  return out;
}

Result<void> sqlite_restore(const std::string& from, const std::string& to) {
  // Never over a database that exists: a restore is into a new file, and the old one is moved
  // away by the operator, on purpose (docs/operations.md).
  if (FILE* f = std::fopen(to.c_str(), "rb")) {
    const bool empty = std::fgetc(f) == EOF;
    std::fclose(f);
    if (!empty) return fail(ErrorKind::conflict, "the database " + to + " already exists: restore into a new file", "db");
  }
  // Check the backup before it becomes the database; read-only, so the backup stays as it was.
  CHIDOAN_TRY(src, open_raw(from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX));
  auto check = column_of(src, "PRAGMA integrity_check");
  auto migrations = check ? column_of(src, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'")
                          : Result<std::vector<std::string>>{};
  sqlite3_close_v2(src);
  if (!check) return fail(ErrorKind::invalid, from + " is not an SQLite database: " + check.error().message, "from");
  if (check->size() != 1 || check->front() != "ok")
    return fail(ErrorKind::invalid, from + " is damaged (integrity_check: " + check->front() + ")", "from");
  if (!migrations || migrations->empty() || migrations->front() != "1")
    return fail(ErrorKind::invalid, from + " is not a chidoan database (no schema_migrations)", "from");
  return sqlite_backup(from, to);
}

}  // namespace chidoan::db::detail
