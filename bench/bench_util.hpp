// Small helpers shared by the benchmark programs: fail fast on a Result, and the statistics
// the figures in docs/benchmarks.md use.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/bulk.hpp"
#include "platform/db/db.hpp"
#include "platform/text/text.hpp"

namespace chidoan::bench {

// The program's name in error messages; set it first thing in main().
inline std::string program = "bench";

[[noreturn]] inline void die(const std::string& what, const Error& e) {
  std::cerr << program << ": " << what << ": " << e.message << (e.field.empty() ? "" : " (" + e.field + ")") << "\n";
  std::exit(1);
}
template <typename T>
T must(Result<T> r, const std::string& what) {
  if (!r) die(what, r.error());
  return std::move(*r);
}
inline void must(Result<void> r, const std::string& what) {
  if (!r) die(what, r.error());
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
// Nearest-rank percentile.
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(k, 1, v.size()) - 1];
}

// The URL of database `dbname` on the server of the postgresql:// `url`.
inline std::string with_database(const std::string& url, const std::string& dbname) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return url + "/" + dbname;
  size_t end = url.find('?', slash);
  return url.substr(0, slash + 1) + dbname + (end == std::string::npos ? "" : url.substr(end));
}

// Drops (when `fresh`) and creates database `name` on the server of `url`; returns its URL.
inline std::string pg_database(const std::string& url, const std::string& name, bool fresh) {
  auto admin = must(db::Connection::open(url), "connect " + url);
  if (fresh) must(admin->execute("DROP DATABASE IF EXISTS " + name), "drop " + name);
  auto exists = must(admin->query_one("SELECT 1 FROM pg_database WHERE datname = ?1", {name}), "pg_database");
  if (!exists) must(admin->execute("CREATE DATABASE " + name), "create " + name);
  return with_database(url, name);
}

// "0.42 ms", "12.3 ms", "1.25 s".
inline std::string fmt(double ms) {
  char b[32];
  if (ms >= 1000) std::snprintf(b, sizeof b, "%.2f s", ms / 1000);
  else if (ms >= 10) std::snprintf(b, sizeof b, "%.1f ms", ms);
  else std::snprintf(b, sizeof b, "%.2f ms", ms);
  return b;
}

// 1234567 -> "1,234,567".
inline std::string thousands(int64_t v) { return text::format_int(v, ','); }

// Multi-row INSERT of `values` (rows flattened, `ncols` a row), ~8,000 parameters a statement:
// the generators' and the member import's (src/platform/db/bulk.hpp).
using db::bulk::insert_rows;

// Whether the migrations recorded in the SQLite file at `path` are those of this binary with the
// same numbers (a prefix of them: newer ones are applied on opening). A file from before a
// renumbering does not match and is generated again.
inline bool migrations_match(const std::string& path) {
  auto conn = db::Connection::open("sqlite:" + path);
  if (!conn) return false;
  auto applied = (*conn)->query("SELECT version, name FROM schema_migrations ORDER BY version");
  auto embedded = db::embedded_migrations();
  if (!applied || !embedded) return false;
  for (const auto& row : *applied) {
    auto m = std::find_if(embedded->begin(), embedded->end(), [&](const db::Migration& e) { return e.version == row.i64(0); });
    if (m == embedded->end() || m->name != row.str(1)) return false;
  }
  return true;
}

// A generated SQLite file kept between runs: FILE.meta holds the line describing what was
// generated (sizes, seed, schema), then the generation time, then what the program adds (e.g.
// the expected result). open() deletes the file and its sidecars unless the line matches (or
// `regen`); save() writes the sidecar after a generation.
struct SqliteCache {
  std::string path, want;
  bool cached = false;
  std::vector<std::string> lines;  // the sidecar's lines after the first: [0] is the generation time

  static SqliteCache open(const std::string& path, const std::string& want, bool regen) {
    SqliteCache c{path, want};
    std::string have;
    {
      std::ifstream m(path + ".meta");
      std::getline(m, have);
      for (std::string line; std::getline(m, line);) c.lines.push_back(line);
    }
    c.cached = !regen && std::filesystem::exists(path) && have == want && !c.lines.empty() && migrations_match(path);
    if (!c.cached) {
      c.lines.clear();
      for (const char* ext : {"", "-wal", "-shm", ".meta"}) std::filesystem::remove(path + ext);
    }
    return c;
  }
  // The sidecar line after the generation time (empty when absent).
  std::string line(size_t i) const { return i < lines.size() ? lines[i] : std::string(); }
  // "cached (21 s)".
  std::string cached_generation() const { return "cached (" + line(0) + ")"; }
  void save(const std::string& generation, const std::vector<std::string>& more = {}) const {
    std::ofstream m(path + ".meta");
    m << want << "\n" << generation << "\n";
    for (const auto& l : more) m << l << "\n";
  }
};

}  // namespace chidoan::bench
