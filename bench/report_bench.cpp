// report_bench — times review::year_report (issue 9, "Speed"): the roll-up JSON report of the
// synthetic province (bench/gen_province: 100,000 members in 2,000 branches, a year of activities
// with 5 million attendance rows; target ≤ 5 s), and of one branch, on SQLite (a cached file,
// shared with bench/participation.sh) and on PostgreSQL (database chidoan_bench on the server of
// --pg or CHIDOAN_TEST_PG, reused when it already holds the province).
// Prints a markdown row per engine at the end.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"
#include "review/report.hpp"

#include "bench_cli.hpp"
#include "bench_util.hpp"

using namespace chidoan;
using Ms = std::chrono::duration<double, std::milli>;

namespace {

struct Options : bench::EngineOptions {
  Options() { sqlite_path = "province.db"; }
  bench::ProvinceSize size;
  int runs = 3, branch_runs = 10;
};

struct Figures {
  std::string engine, generation;
  double province_median = 0, province_max = 0, branch_p50 = 0, branch_max = 0;
  int64_t members = 0, branches = 0, bytes = 0;
};

using bench::die;
using bench::fmt;
using bench::median;
using bench::must;

// Times year_report(org, year) once; returns milliseconds.
double time_once(db::Connection& conn, const Clock& clock, int64_t org_id, int year, nlohmann::json* out) {
  auto t0 = std::chrono::steady_clock::now();
  auto r = review::year_report(conn, clock, org_id, year);
  double ms = Ms(std::chrono::steady_clock::now() - t0).count();
  if (!r) die("year_report(" + std::to_string(org_id) + ")", r.error());
  if (out) *out = std::move(*r);
  return ms;
}

void run_engine(const std::string& url, const Options& o, Figures& f) {
  FixedClock clock(std::chrono::sys_days{std::chrono::year{o.size.year + 1} / 1 / 15});
  auto [gen, province_id] = bench::ensure_province(url, o.seed, o.size, clock);
  f.generation = gen;
  auto conn = must(db::Connection::open(url), "open " + url);
  const int year = o.size.year;

  nlohmann::json report;
  std::vector<double> times;
  for (int i = 0; i < o.runs; ++i) {
    times.push_back(time_once(*conn, clock, province_id, year, &report));
    std::fprintf(stderr, "    province run %d: %.0f ms\n", i + 1, times.back());
  }
  f.province_median = median(times);
  f.province_max = *std::max_element(times.begin(), times.end());
  f.members = report["members"]["total"].get<int64_t>();
  f.branches = report["members"]["branches"].get<int64_t>();
  f.bytes = static_cast<int64_t>(report.dump().size());
  std::fprintf(stderr, "    province: median %.0f ms (%lld members, %lld branches, %lld bytes of JSON)\n", f.province_median,
               static_cast<long long>(f.members), static_cast<long long>(f.branches), static_cast<long long>(f.bytes));
  if (f.members != static_cast<int64_t>(o.size.branches) * o.size.members_per_branch)
    die("province report", Error{ErrorKind::internal, "members.total " + std::to_string(f.members) + " differs from the generated size", ""});

  // One branch: --branch-runs calls, each on another branch.
  auto province = must(conn->query_one("SELECT path FROM orgs WHERE id = ?1", {province_id}), "province path");
  auto branch_rows = must(conn->query("SELECT o.id FROM orgs o JOIN org_levels l ON l.id = o.level_id "
                                      "WHERE l.holds_members = 1 AND o.path LIKE ?1 ORDER BY o.id",
                                      {province->str(0) + "%"}),
                          "branches");
  times.clear();
  for (int i = 0; i < o.branch_runs; ++i)
    times.push_back(time_once(*conn, clock, branch_rows[(static_cast<size_t>(i) * 101 + 7) % branch_rows.size()].i64(0), year, nullptr));
  f.branch_p50 = median(times);
  f.branch_max = *std::max_element(times.begin(), times.end());
  std::fprintf(stderr, "    branch: p50 %.1f ms, max %.1f ms (%d branches)\n", f.branch_p50, f.branch_max, o.branch_runs);
}

}  // namespace

int main(int argc, char** argv) {
  chidoan::bench::program = "report_bench";
  Options o;
  CLI::App app{"Year-end report benchmark (issue 9): review::year_report on a synthetic province, SQLite and PostgreSQL"};
  bench::add_engine_options(app, o, "SQLite province file (generated when missing; shared with participation_bench)",
                            "database chidoan_bench is used");
  bench::add_province_options(app, o.size);
  app.add_option("--runs", o.runs, "province runs (median)");
  app.add_option("--branch-runs", o.branch_runs, "branch runs (median)");
  CLI11_PARSE(app, argc, argv);
  if (o.runs < 1 || o.branch_runs < 1) return std::cerr << "runs must be ≥ 1\n", 2;

  auto all = bench::on_each_engine<Figures>(o, bench::sizes_line(o.seed, o.size), "chidoan_bench", false, [&](const bench::EngineRun& e) {
    Figures f;
    run_engine(e.url, o, f);
    return f;
  });

  bool met = true;
  std::cout << "\n| engine | generation | province median (max) | members | branches | JSON | branch p50 | branch max |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& f : all) {
    std::cout << "| " << f.engine << " | " << f.generation << " | " << fmt(f.province_median) << " (" << fmt(f.province_max)
              << ") | " << bench::thousands(f.members) << " | " << bench::thousands(f.branches) << " | "
              << bench::thousands(f.bytes) << " B | " << fmt(f.branch_p50) << " | " << fmt(f.branch_max) << " |\n";
    met = met && f.province_median <= 5000;
  }
  std::cout << "\nTargets (issue 9): the province's roll-up JSON report ≤ 5 s: " << (met ? "met" : "MISSED") << "\n";
  return 0;
}
