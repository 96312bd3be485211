// participation_bench — times activity::Store::participation (issue 3, "Speed"):
//   one branch-year   (median of --runs calls over as many branches; target ≤ 50 ms)
//   the province-year (median of --province-runs calls;               target ≤ 5 s)
//   the demo branch   (the demo bundle + 30 activities on VPUBND;      target ≤ 5 ms)
// on SQLite (a cached file, generated once) and on PostgreSQL (database chidoan_bench on the
// server of --pg or CHIDOAN_TEST_PG, reused when it already holds the province).
// Prints a markdown row per engine at the end.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "activity/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

#include "bench_cli.hpp"
#include "bench_util.hpp"

namespace fs = std::filesystem;
using namespace chidoan;
using Ms = std::chrono::duration<double, std::milli>;

namespace {

struct Options : bench::EngineOptions {
  Options() { sqlite_path = "province.db"; }
  bench::ProvinceSize size;
  int runs = 20, province_runs = 3, demo_activities = 30;
  std::string bundle = CHIDOAN_SOURCE_DIR "/data/demo/lam-dong-2021.json";
  std::string dump;  // writes the province's participation as text (to compare SQL changes)
};

struct Figures {
  std::string engine;
  std::string generation;  // "123 s" or "cached"
  double branch_p50 = 0, branch_max = 0, province_median = 0, province_max = 0, demo_p50 = 0, demo_max = 0;
  int64_t province_members = 0, province_rows = 0, demo_members = 0, demo_rows = 0;
};

using bench::die;
using bench::fmt;
using bench::pg_database;
using bench::thousands;
using bench::with_database;
using bench::median;
using bench::must;
using bench::percentile;
using bench::seconds_since;

int64_t rows_of(const activity::Participation& p) { return p.total.present + p.total.excused + p.total.absent; }

// Times participation(org, year) once; returns milliseconds.
double time_once(db::Connection& conn, const Clock& clock, const org::Org& org, int year, activity::Participation* out) {
  activity::Store store(conn, clock);
  auto t0 = std::chrono::steady_clock::now();
  auto p = store.participation(org, year);
  double ms = Ms(std::chrono::steady_clock::now() - t0).count();
  if (!p) die("participation(" + org.code + ")", p.error());
  if (out) *out = std::move(*p);
  return ms;
}



std::string sizes_line(const Options& o) { return bench::sizes_line(o.seed, o.size); }

void run_engine(const std::string& url, const std::string& demo_url, const Options& o, Figures& f) {
  FixedClock clock(std::chrono::sys_days{std::chrono::year{o.size.year + 1} / 1 / 15});
  auto [gen, province_id] = bench::ensure_province(url, o.seed, o.size, clock);
  f.generation = gen;

  // A fresh connection for the measurements (prepared-statement cache empty, like a server
  // connection's first request).
  auto conn = must(db::Connection::open(url), "open " + url);
  org::Store orgs(*conn, clock);
  auto province = must(orgs.org(province_id), "province org");
  auto branch_rows = must(conn->query("SELECT o.id FROM orgs o JOIN org_levels l ON l.id = o.level_id "
                                      "WHERE l.holds_members = 1 AND o.path LIKE ?1 ORDER BY o.id",
                                      {province.path + "%"}),
                          "branches");
  if (branch_rows.empty()) die("branches", Error{ErrorKind::internal, "no branches", ""});
  const int year = o.size.year;

  // One branch: a warm-up on one branch, then --runs calls, each on another branch.
  activity::Participation p;
  time_once(*conn, clock, must(orgs.org(branch_rows.back().i64(0)), "org"), year, &p);
  std::vector<double> times;
  int64_t rows = -1;
  for (int i = 0; i < o.runs; ++i) {
    auto branch = must(orgs.org(branch_rows[(static_cast<size_t>(i) * 101 + 7) % branch_rows.size()].i64(0)), "org");
    times.push_back(time_once(*conn, clock, branch, year, &p));
    rows = rows_of(p);
  }
  f.branch_p50 = median(times);
  f.branch_max = *std::max_element(times.begin(), times.end());
  std::fprintf(stderr, "    branch: p50 %.2f ms, max %.2f ms (%d branches; last: %zu members, %lld rows)\n", f.branch_p50,
               f.branch_max, o.runs, p.members.size(), static_cast<long long>(rows));

  // The whole province.
  times.clear();
  for (int i = 0; i < o.province_runs; ++i) {
    times.push_back(time_once(*conn, clock, province, year, &p));
    std::fprintf(stderr, "    province run %d: %.0f ms\n", i + 1, times.back());
  }
  if (!o.dump.empty()) {
    std::ofstream d(o.dump);
    for (const auto& m : p.members)
      d << m.member_id << '|' << m.name << '|' << m.unit_id.value_or(0) << '|' << m.unit_name << '|' << m.branch_id << '|'
        << m.tally.present << '|' << m.tally.excused << '|' << m.tally.absent << '|' << m.tally.minutes << '\n';
    for (const auto& [name, t] : p.units)
      d << "unit|" << name << '|' << t.present << '|' << t.excused << '|' << t.absent << '|' << t.minutes << '\n';
    d << "total|" << p.total.present << '|' << p.total.excused << '|' << p.total.absent << '|' << p.total.minutes << '\n';
  }
  f.province_median = median(times);
  f.province_max = *std::max_element(times.begin(), times.end());
  f.province_members = static_cast<int64_t>(p.members.size());
  f.province_rows = rows_of(p);
  std::fprintf(stderr, "    province: median %.0f ms (%lld members, %lld attendance rows, %zu unit names)\n",
               f.province_median, static_cast<long long>(f.province_members), static_cast<long long>(f.province_rows),
               p.units.size());
  if (f.province_rows != static_cast<int64_t>(o.size.branches) * o.size.members_per_branch * o.size.activities_per_branch)
    std::fprintf(stderr, "    warning: province rows %lld differ from the generated size\n", static_cast<long long>(f.province_rows));

  // The demo: the bundle, then --demo-activities activities on VPUBND with a full register.
  {
    auto demo = must(db::Connection::open(demo_url), "open " + demo_url);
    must(db::migrate(*demo), "migrate demo");
    std::ifstream in(o.bundle);
    if (!in) die("demo bundle", Error{ErrorKind::invalid, "cannot read " + o.bundle, ""});
    std::stringstream ss;
    ss << in.rdbuf();
    // The org part only: other modules' sections (activities, dues) are replaced by the
    // generated activities below, so the case stays the same while the demo grows.
    auto doc = nlohmann::json::parse(ss.str());
    for (auto it = doc.begin(); it != doc.end();) {
      static const std::set<std::string> kOrgPart = {"format", "version", "root_parent", "levels", "orgs", "org_events", "units", "members"};
      it = kOrgPart.contains(it.key()) ? std::next(it) : doc.erase(it);
    }
    must(org::bundle::load(*demo, clock, doc), "load demo bundle");
    org::Store dorgs(*demo, clock);
    auto branch = must(dorgs.org_by_code("VPUBND"), "VPUBND");
    if (!branch) die("demo", Error{ErrorKind::not_found, "no VPUBND in the demo bundle", ""});
    must(demo->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(n, bench::add_activities(*demo, clock, o.seed, branch->path, year, o.demo_activities));
      f.demo_rows = n;
      return {};
    }),
         "demo activities");
    time_once(*demo, clock, *branch, year, &p);  // warm-up
    times.clear();
    for (int i = 0; i < o.runs; ++i) times.push_back(time_once(*demo, clock, *branch, year, &p));
    f.demo_p50 = median(times);
    f.demo_max = *std::max_element(times.begin(), times.end());
    f.demo_members = static_cast<int64_t>(p.members.size());
    std::fprintf(stderr, "    demo (VPUBND, %lld members, %d activities, %lld rows): p50 %.3f ms, max %.3f ms\n",
                 static_cast<long long>(f.demo_members), o.demo_activities, static_cast<long long>(f.demo_rows), f.demo_p50,
                 f.demo_max);
  }
}

}  // namespace

int main(int argc, char** argv) {
  chidoan::bench::program = "participation_bench";
  Options o;
  CLI::App app{"Participation benchmark (issue 3): Store::participation on a synthetic province, SQLite and PostgreSQL"};
  bench::add_engine_options(app, o, "SQLite province file (generated when missing)", "database chidoan_bench is used");
  bench::add_province_options(app, o.size);
  app.add_option("--runs", o.runs, "branch and demo runs (median)");
  app.add_option("--province-runs", o.province_runs, "province runs (median)");
  app.add_option("--demo-activities", o.demo_activities);
  app.add_option("--bundle", o.bundle, "demo bundle");
  app.add_option("--dump", o.dump, "write the province's participation to this file (checks SQL changes)");
  CLI11_PARSE(app, argc, argv);
  if (o.runs < 1 || o.province_runs < 1) return std::cerr << "runs must be ≥ 1\n", 2;

  auto all = bench::on_each_engine<Figures>(o, sizes_line(o), "chidoan_bench", false, [&](const bench::EngineRun& e) {
    Figures f;
    if (e.engine == db::Engine::postgres) {
      run_engine(e.url, bench::pg_database(o.pg_url, "chidoan_bench_demo", true), o, f);
      return f;
    }
    // The demo's database is made again on every run.
    std::string demo_path = o.sqlite_path + ".demo.db";
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(demo_path + ext);
    run_engine(e.url, "sqlite:" + demo_path, o, f);
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(demo_path + ext);
    return f;
  });

  bool met = true;
  std::cout << "\n| engine | generation | branch p50 | branch max | province median (max) | demo p50 | demo max |\n"
               "|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& f : all) {
    std::cout << "| " << f.engine << " | " << f.generation << " | " << fmt(f.branch_p50) << " | " << fmt(f.branch_max) << " | "
              << fmt(f.province_median) << " (" << fmt(f.province_max) << ") | " << fmt(f.demo_p50) << " | "
              << fmt(f.demo_max) << " |\n";
    met = met && f.branch_p50 <= 50 && f.province_median <= 5000 && f.demo_p50 <= 5;
  }
  std::cout << "\nTargets (issue 3): branch ≤ 50 ms, province ≤ 5 s, demo ≤ 5 ms: " << (met ? "met" : "MISSED") << "\n";
  return 0;
}
