// Bulk writing for the generators (province.cpp, extras.cpp): multi-row INSERT ... VALUES in
// batches that stay under both engines' parameter limits.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::gen::bulk {

// ~8,000 parameters a statement: under SQLite's 32,766 and PostgreSQL's 65,535.
inline size_t batch_for(size_t ncols) { return std::max<size_t>(1, 8000 / ncols); }

// Multi-row INSERT: `head` is "INSERT INTO t (a, b, c) VALUES ", `values` the rows flattened
// (values.size() a multiple of ncols). Full batches share one statement text (prepared once per
// connection); the rest another.
inline Result<void> insert_rows(db::Connection& conn, const std::string& head, size_t ncols, const std::vector<db::Value>& values,
                                size_t batch_rows) {
  const size_t nrows = values.size() / ncols;
  auto sql_for = [&](size_t rows) {
    std::string sql = head;
    size_t p = 1;
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
  };
  const std::string full = sql_for(batch_rows);
  std::vector<db::Value> params;
  params.reserve(batch_rows * ncols);
  for (size_t r = 0; r < nrows; r += batch_rows) {
    size_t n = std::min(batch_rows, nrows - r);
    params.assign(values.begin() + static_cast<std::ptrdiff_t>(r * ncols),
                  values.begin() + static_cast<std::ptrdiff_t>((r + n) * ncols));
    CHIDOAN_TRY_VOID(conn.execute(n == batch_rows ? full : sql_for(n), params));
  }
  return {};
}

// The same with the batch size from the column count.
inline Result<void> insert_rows(db::Connection& conn, const std::string& head, size_t ncols, const std::vector<db::Value>& values) {
  return insert_rows(conn, head, ncols, values, batch_for(ncols));
}

}  // namespace chidoan::gen::bulk
