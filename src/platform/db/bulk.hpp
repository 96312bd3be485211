// Bulk writing: multi-row INSERT ... VALUES in batches that stay under both engines' parameter
// limits, ids reserved ahead for rows written that way, and key lookups in chunked IN lists.
// Used by the generators (gen/province.cpp, gen/extras.cpp) and the member import
// (org::Store::add_members).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::db::bulk {

// Rows a statement of ~`params` parameters holds: by default ~7,000, under SQLite's 32,766 and
// PostgreSQL's 65,535, and under what libpq takes in one message: a prepared statement's
// parameter description is 4 bytes a parameter, and libpq 15.18 refuses such a message over
// 30,000 bytes ("lost synchronization with server"), which 8,000 parameters passed. (SQLite
// prepares a statement in time quadratic in its ?N parameters — ~0.05 s at 8,000 — which is
// nothing once but shows when a writer prepares several texts.)
inline size_t batch_for(size_t ncols, size_t params = 7000) { return std::max<size_t>(1, params / ncols); }

// "(?first,…),(…)…": `rows` tuples of `ncols` numbered parameters.
inline std::string parameter_tuples(size_t ncols, size_t rows, size_t first = 1) {
  std::string sql;
  size_t p = first;
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (size_t c = 0; c < ncols; ++c) {
      if (c) sql += ',';
      sql += '?';
      sql += std::to_string(p++);
    }
    sql += ')';
  }
  return sql;
}

// Multi-row INSERT: `head` is "INSERT INTO t (a, b, c) VALUES ", `values` the rows flattened
// (values.size() a multiple of ncols). Full batches share one statement text; the rest goes in
// statements of 2^k rows (at most one of each k), so that a connection, which prepares and keeps
// every text it runs, holds a few texts per head (one per power of two under batch_rows), not
// one for every length of a last batch.
inline Result<void> insert_rows(Connection& conn, const std::string& head, size_t ncols, const std::vector<Value>& values,
                                size_t batch_rows) {
  const size_t nrows = values.size() / ncols;
  const std::string full = head + parameter_tuples(ncols, batch_rows);
  std::vector<Value> params;
  params.reserve(batch_rows * ncols);
  for (size_t r = 0; r < nrows;) {
    size_t n = std::min(batch_rows, nrows - r);
    if (n < batch_rows) n = std::bit_floor(n);
    params.assign(values.begin() + static_cast<std::ptrdiff_t>(r * ncols),
                  values.begin() + static_cast<std::ptrdiff_t>((r + n) * ncols));
    CHIDOAN_TRY_VOID(conn.execute(n == batch_rows ? full : head + parameter_tuples(ncols, n), params));
    r += n;
  }
  return {};
}

// The same with the batch size from the column count.
inline Result<void> insert_rows(Connection& conn, const std::string& head, size_t ncols, const std::vector<Value>& values) {
  return insert_rows(conn, head, ncols, values, batch_for(ncols));
}

// The ids the next `n` rows inserted into `table` (id: {{ID}}) one at a time would get, taken so
// that rows inserted with these ids explicitly get exactly them. SQLite: MAX(id) + 1, … (what
// an INTEGER PRIMARY KEY without AUTOINCREMENT picks). PostgreSQL: `n` values drawn from the
// identity's sequence, ascending (another session drawing at once may leave gaps, as it would
// between single inserts). REQUIRES: inside a write transaction (SQLite: BEGIN IMMEDIATE holds
// the write lock, so nobody else inserts before these rows).
inline Result<std::vector<int64_t>> reserve_ids(Connection& conn, const std::string& table, size_t n) {
  std::vector<int64_t> ids;
  if (n == 0) return ids;
  ids.reserve(n);
  if (conn.engine() == Engine::sqlite) {
    CHIDOAN_TRY(row, conn.query_one("SELECT COALESCE(MAX(id), 0) FROM " + table));
    for (size_t i = 0; i < n; ++i) ids.push_back(row->i64(0) + 1 + static_cast<int64_t>(i));
    return ids;
  }
  CHIDOAN_TRY(rows, conn.query("SELECT nextval(pg_get_serial_sequence(?1, 'id')) FROM generate_series(1, ?2)",
                               {table, static_cast<int64_t>(n)}));
  for (const auto& r : rows) ids.push_back(r.i64(0));
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Runs `select_head` + "(?k, …)" for the keys, `chunk` at a time, and hands each row to
// `on_row`. `select_head` ends in "… IN ", `params` come first (?1 …), the keys after them. Each
// IN list is `chunk` long, or for fewer keys a power of two (the last key repeated), so the
// statement texts are a few per head.
inline Result<void> select_in(Connection& conn, const std::string& select_head, const std::vector<Value>& params,
                              std::span<const std::string> keys, const std::function<void(const Row&)>& on_row,
                              size_t chunk = 512) {
  std::vector<Value> p;
  for (size_t k = 0; k < keys.size(); k += chunk) {
    const size_t n = std::min(chunk, keys.size() - k), padded = n == chunk ? chunk : std::bit_ceil(n);
    p = params;
    for (size_t i = 0; i < padded; ++i) p.emplace_back(keys[k + std::min(i, n - 1)]);
    CHIDOAN_TRY(rows, conn.query(select_head + parameter_tuples(padded, 1, params.size() + 1), p));
    for (const auto& r : rows) on_row(r);
  }
  return {};
}

}  // namespace chidoan::db::bulk
