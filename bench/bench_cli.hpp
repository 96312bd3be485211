// The command-line options every benchmark on both engines shares: where the SQLite file is, the
// PostgreSQL server, which engines to run, regeneration and the seed; and the synthetic
// province's sizes for those that generate one (bench/gen_province).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

#include "gen_province.hpp"

namespace chidoan::bench {

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

}  // namespace chidoan::bench
