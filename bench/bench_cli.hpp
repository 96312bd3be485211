// The command-line options every benchmark on both engines shares: where the SQLite file is, the
// PostgreSQL server, which engines to run, regeneration and the seed; and the synthetic
// province's sizes for those that generate one (bench/gen_province).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "bench_util.hpp"
#include "gen/province.hpp"

namespace chidoan::bench {

using gen::ProvinceSize;
using gen::add_activities;
using gen::generate_province;
using gen::sizes_line;

// The province with code "BENCH" in the database at `url` (migrated first): found when it is
// there already, else generated (then ANALYZE on PostgreSQL, a WAL checkpoint on SQLite).
// Returns the generation time ("123 s", "96 s + ANALYZE 1 s"; "cached" when found) and the
// province's org id.
inline std::pair<std::string, int64_t> ensure_province(const std::string& url, uint64_t seed, const ProvinceSize& size,
                                                const Clock& clock) {
  auto conn = must(db::Connection::open(url), "open " + url);
  must(db::migrate(*conn), "migrate");
  auto existing = must(conn->query_one("SELECT id FROM orgs WHERE code = 'BENCH'"), "find BENCH");
  if (existing) return {"cached", existing->i64(0)};
  std::cerr << "    generating the province (" << sizes_line(seed, size) << ")\n";
  const bool sqlite = conn->engine() == db::Engine::sqlite;
  if (sqlite) must(conn->exec_script("PRAGMA cache_size=-1048576;"), "cache_size");
  auto t0 = std::chrono::steady_clock::now();
  auto info = must(gen::generate_province(*conn, clock, seed, size, "BENCH", gen::progress_printer(t0)), "generate");
  double gen = seconds_since(t0);
  std::string extra;
  if (!sqlite) {
    // What autovacuum would do a minute later: statistics for the planner.
    auto t1 = std::chrono::steady_clock::now();
    must(conn->exec_script("ANALYZE"), "analyze");
    extra = " + ANALYZE " + std::to_string(static_cast<int>(seconds_since(t1) + 0.5)) + " s";
  } else {
    must(conn->exec_script("PRAGMA wal_checkpoint(TRUNCATE);"), "checkpoint");
  }
  std::fprintf(stderr, "    generated %lld members, %lld activities, %lld attendance rows in %.1f s%s\n",
               static_cast<long long>(info.members), static_cast<long long>(info.activities),
               static_cast<long long>(info.attendance), gen, extra.c_str());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f s", gen);
  return {buf + extra, info.province_id};
}


struct EngineOptions {
  std::string sqlite_path;
  std::string pg_url;  // default: $CHIDOAN_TEST_PG
  bool no_sqlite = false, no_pg = false, regen = false;
  uint64_t seed = 2021;
};

// --sqlite, --pg, --no-sqlite, --no-pg, --regen, --seed. `pg_note` says which database the
// benchmark uses on the server (e.g. "database chidoan_bench is used").
inline void add_engine_options(CLI::App& app, EngineOptions& o, const std::string& sqlite_note, const std::string& pg_note) {
  if (const char* pg = std::getenv("CHIDOAN_TEST_PG")) o.pg_url = pg;
  app.add_option("--sqlite", o.sqlite_path, sqlite_note);
  app.add_option("--pg", o.pg_url, "PostgreSQL server URL (default $CHIDOAN_TEST_PG); " + pg_note);
  app.add_flag("--no-sqlite", o.no_sqlite, "skip SQLite");
  app.add_flag("--no-pg", o.no_pg, "skip PostgreSQL");
  app.add_flag("--regen", o.regen, "regenerate even when cached");
  app.add_option("--seed", o.seed, "generator seed");
}

// --districts, --branches, --members-per-branch, --activities-per-branch, --year.
inline void add_province_options(CLI::App& app, ProvinceSize& size) {
  app.add_option("--districts", size.districts);
  app.add_option("--branches", size.branches);
  app.add_option("--members-per-branch", size.members_per_branch);
  app.add_option("--activities-per-branch", size.activities_per_branch);
  app.add_option("--year", size.year);
}

// One engine's run: the database URL, its engine, and for SQLite the cached file (else null).
struct EngineRun {
  std::string url;
  db::Engine engine = db::Engine::sqlite;
  const SqliteCache* cache = nullptr;  // SQLite only: cache->cached says the data is there already
};

// Runs `run` on SQLite (the file of --sqlite, kept between runs while its sidecar says
// `cache_key` and has `cache_lines` lines after the key) and then on PostgreSQL (database
// `pg_name` on the server of --pg, dropped first when `fresh_pg` or --regen), as the options
// say; prints which engine runs. Each result gets its `engine` name; a reused SQLite file gives
// `generation` "cached (…)", a new one is recorded with `generation` and `more_lines(result)`.
template <class Figures>
std::vector<Figures> on_each_engine(const EngineOptions& o, const std::string& cache_key, const std::string& pg_name, bool fresh_pg,
                                    const std::function<Figures(const EngineRun&)>& run,
                                    const std::function<std::vector<std::string>(const Figures&)>& more_lines = {},
                                    size_t cache_lines = 1) {
  std::vector<Figures> all;
  if (!o.no_sqlite) {
    std::cerr << "==> SQLite " << o.sqlite_path << "\n";
    auto cache = SqliteCache::open(o.sqlite_path, cache_key, o.regen);
    if (cache.cached && cache.lines.size() < cache_lines) cache = SqliteCache::open(o.sqlite_path, cache_key, true);
    Figures f = run({"sqlite:" + o.sqlite_path, db::Engine::sqlite, &cache});
    f.engine = "SQLite";
    if (cache.cached) f.generation = cache.cached_generation();
    else cache.save(f.generation, more_lines ? more_lines(f) : std::vector<std::string>{});
    all.push_back(std::move(f));
  }
  if (!o.no_pg) {
    if (o.pg_url.empty()) {
      std::cerr << "==> PostgreSQL skipped: no --pg URL and no CHIDOAN_TEST_PG\n";
    } else {
      std::cerr << "==> PostgreSQL " << o.pg_url << "\n";
      Figures f = run({pg_database(o.pg_url, pg_name, fresh_pg || o.regen), db::Engine::postgres, nullptr});
      f.engine = "PostgreSQL";
      all.push_back(std::move(f));
    }
  }
  return all;
}

}  // namespace chidoan::bench
