// PostgreSQL backend over libpq. Statements are prepared once per connection ("s1", "s2", ...)
// with the server inferring parameter types; parameters go as text, except bytea ones, which
// go as raw bytes in binary format. Results come back in text format and are converted by OID.
#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

#include "platform/db/backends.hpp"

namespace chidoan::db::detail {
namespace {

// Settings of every session. random_page_cost: PostgreSQL's default (4) prices a random page read
// as on a spinning disk, so at 800,000 members it reads the whole members table rather than a
// few hundred index look-ups for a search (a 400 ms scan instead of a 30 ms walk); 1.1 is the
// usual value for SSDs and for data that fits in memory. Set only while the server has the
// default: an operator's own value (postgresql.conf, ALTER DATABASE … SET) is kept.
bool set_up_session(PGconn* c) {
  PGresult* r = PQexec(c, "SELECT current_setting('random_page_cost')");
  bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
  const bool default_cost = ok && std::strcmp(PQgetvalue(r, 0, 0), "4") == 0;
  PQclear(r);
  if (ok && default_cost) {
    r = PQexec(c, "SET random_page_cost = 1.1");
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  return ok;
}

// Type OIDs from pg_type (stable across versions).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

struct ResultPtr {
  PGresult* r = nullptr;
  explicit ResultPtr(PGresult* p) : r(p) {}
  ~ResultPtr() { PQclear(r); }
  ResultPtr(const ResultPtr&) = delete;
  ResultPtr& operator=(const ResultPtr&) = delete;
};

std::string trim_message(const char* m) {
  std::string s = m ? m : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::unexpected<Error> pg_error(PGconn* conn, const PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = trim_message(res ? PQresultErrorMessage(res) : nullptr);
  if (msg.empty()) msg = trim_message(PQerrorMessage(conn));
  ErrorKind kind = ErrorKind::unavailable;
  if (state) {
    std::string_view s(state);
    if (s == "23505") kind = ErrorKind::conflict;  // unique_violation
    else if (s == "23503" || s == "23502" || s == "23514") kind = ErrorKind::invalid;  // FK, NOT NULL, CHECK
  }
  return fail(kind, std::move(msg));
}

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip form
  return std::string(buf, ec == std::errc() ? end : buf);
}

Value convert(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return nullptr;
  const char* text = PQgetvalue(res, row, col);
  const auto len = static_cast<size_t>(PQgetlength(res, row, col));
  switch (PQftype(res, col)) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: {
      int64_t v = 0;
      std::from_chars(text, text + len, v);
      return v;
    }
    case kFloat4:
    case kFloat8:
    case kNumeric:
      return std::strtod(text, nullptr);  // also reads NaN / Infinity
    case kBool:
      return static_cast<int64_t>(text[0] == 't' ? 1 : 0);
    case kBytea: {
      size_t n = 0;
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
      if (!raw) return std::string();
      std::string out(reinterpret_cast<const char*>(raw), n);
      PQfreemem(raw);
      return out;
    }
    default:
      return std::string(text, len);
  }
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* c) : conn_(c) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Engine engine() const override { return Engine::postgres; }

  Result<void> exec_script(std::string_view sql) override {
    CHIDOAN_TRY_VOID(ensure_connected());
    std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()));
    auto st = PQresultStatus(res.r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) return pg_error(conn_, res.r);
    // COMMIT of a transaction in which a statement failed answers "ROLLBACK", not an error.
    if (text == "COMMIT" && std::strcmp(PQcmdStatus(res.r), "ROLLBACK") == 0)
      return fail(ErrorKind::unavailable, "transaction rolled back: a statement in it failed");
    return {};
  }

  Result<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params) override {
    std::vector<Row> rows;
    CHIDOAN_TRY(res, run(sql, params));
    const int nrows = PQntuples(res->r), ncols = PQnfields(res->r);
    rows.reserve(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) values.push_back(convert(res->r, r, c));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Result<int64_t> execute(std::string_view sql, const std::vector<Value>& params) override {
    CHIDOAN_TRY(res, run(sql, params));
    const char* n = PQcmdTuples(res->r);
    int64_t count = 0;
    if (n && *n) std::from_chars(n, n + std::strlen(n), count);
    return count;
  }

 private:
  struct Prepared {
    std::string name;
    std::vector<Oid> param_types;
  };

  // A connection dropped by the server (restart, idle timeout) is re-opened once, outside a
  // transaction only: inside one, the transaction is lost and the caller must see the error.
  Result<void> ensure_connected() {
    if (PQstatus(conn_) == CONNECTION_OK) return {};
    if (in_transaction()) return fail(ErrorKind::unavailable, trim_message(PQerrorMessage(conn_)));
    PQreset(conn_);
    cache_.clear();
    if (PQstatus(conn_) != CONNECTION_OK) return fail(ErrorKind::unavailable, trim_message(PQerrorMessage(conn_)));
    PQsetClientEncoding(conn_, "UTF8");
    if (!set_up_session(conn_)) return fail(ErrorKind::unavailable, trim_message(PQerrorMessage(conn_)));
    return {};
  }

  Result<const Prepared*> prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return &it->second;
    Prepared p;
    p.name = "s" + std::to_string(++counter_);
    std::string text = to_pg_params(sql);
    {
      ResultPtr res(PQprepare(conn_, p.name.c_str(), text.c_str(), 0, nullptr));
      if (PQresultStatus(res.r) != PGRES_COMMAND_OK) return pg_error(conn_, res.r);
    }
    ResultPtr desc(PQdescribePrepared(conn_, p.name.c_str()));
    if (PQresultStatus(desc.r) != PGRES_COMMAND_OK) return pg_error(conn_, desc.r);
    for (int i = 0, n = PQnparams(desc.r); i < n; ++i) p.param_types.push_back(PQparamtype(desc.r, i));
    auto [it, inserted] = cache_.emplace(std::string(sql), std::move(p));
    return &it->second;
  }

  Result<std::unique_ptr<ResultPtr>> run(std::string_view sql, const std::vector<Value>& params) {
    CHIDOAN_TRY_VOID(ensure_connected());
    CHIDOAN_TRY(prep, prepare(sql));
    const size_t n = params.size();
    if (prep->param_types.size() != n)
      return fail(ErrorKind::internal, "statement takes " + std::to_string(prep->param_types.size()) +
                                           " parameters, " + std::to_string(n) + " given");
    std::vector<std::string> texts(n);
    std::vector<const char*> values(n, nullptr);
    std::vector<int> lengths(n, 0), formats(n, 0);
    for (size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) continue;
      if (auto* x = std::get_if<int64_t>(&v)) {
        texts[i] = std::to_string(*x);
      } else if (auto* d = std::get_if<double>(&v)) {
        texts[i] = format_double(*d);
      } else {
        const auto& s = std::get<std::string>(v);
        if (prep->param_types[i] == kBytea) {
          values[i] = s.data();
          lengths[i] = static_cast<int>(s.size());
          formats[i] = 1;
          continue;
        }
        values[i] = s.c_str();
        continue;
      }
      values[i] = texts[i].c_str();
    }
    auto res = std::make_unique<ResultPtr>(PQexecPrepared(conn_, prep->name.c_str(), static_cast<int>(n),
                                                          values.data(), lengths.data(), formats.data(), 0));
    auto st = PQresultStatus(res->r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return pg_error(conn_, res->r);
    return res;
  }

  PGconn* conn_;
  int counter_ = 0;
  std::unordered_map<std::string, Prepared, SvHash, std::equal_to<>> cache_;
};

void ignore_notice(void*, const char*) {}

}  // namespace

Result<std::unique_ptr<Connection>> open_postgres(const std::string& conninfo) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (!c) return fail(ErrorKind::unavailable, "libpq: out of memory");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = trim_message(PQerrorMessage(c));
    PQfinish(c);
    return fail(ErrorKind::unavailable, "cannot connect to PostgreSQL: " + msg);
  }
  if (PQsetClientEncoding(c, "UTF8") != 0) {
    std::string msg = trim_message(PQerrorMessage(c));
    PQfinish(c);
    return fail(ErrorKind::unavailable, "cannot set client_encoding UTF8: " + msg);
  }
  if (!set_up_session(c)) {
    std::string msg = trim_message(PQerrorMessage(c));
    PQfinish(c);
    return fail(ErrorKind::unavailable, "cannot set up the session: " + msg);
  }
  // NOTICEs ("relation already exists, skipping") would otherwise go to stderr.
  PQsetNoticeProcessor(c, ignore_notice, nullptr);
  return std::unique_ptr<Connection>(std::make_unique<PgConnection>(c));
}

}  // namespace chidoan::db::detail
