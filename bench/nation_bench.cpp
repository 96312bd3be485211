// nation_bench — the nation-scale figures of issue 10 on SQLite and PostgreSQL:
//   - generation of `chidoan gen --scale nation` (≈ 6.4 M members in ≈ 100,800 branches of 63
//     provinces), cached: SQLite file build-bench/nation.db, PostgreSQL database chidoan_nation;
//   - accent-insensitive member search across the nation (org::Store::members on the national
//     root, limit 50, the queries a person types: full names, given names, syllables with and
//     without diacritics), p50 and p99, target p99 ≤ 50 ms;
//   - a province dashboard: the figures of the province's year report (review::year_report on
//     one Tỉnh đoàn, what /orgs/{id}/report shows), target ≤ 1 s;
//   - the nation-level year roll-up (review::year_report on Trung ương Đoàn), target ≤ 60 s.
// Prints a markdown row per engine at the end.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "gen/gen.hpp"
#include "gen/names.hpp"
#include "org/store.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "platform/db/db.hpp"
#include "review/report.hpp"

#include "bench_cli.hpp"
#include "bench_util.hpp"

using namespace chidoan;
using Ms = std::chrono::duration<double, std::milli>;

namespace {

struct Options : bench::EngineOptions {
  Options() { sqlite_path = "nation.db"; }
  int searches = 200, dashboard_runs = 5, activities = -1, provinces = 63;
  bool no_rollup = false;
};

struct Figures {
  std::string engine, generation;
  int64_t members = 0, branches = 0;
  double search_p50 = 0, search_p99 = 0, search_max = 0;
  double dashboard_median = 0, dashboard_max = 0;
  double rollup = 0;
};

using bench::die;
using bench::fmt;
using bench::median;
using bench::must;
using bench::percentile;

std::string cache_key(const Options& o) {
  return "nation seed=" + std::to_string(o.seed) + " activities=" + std::to_string(o.activities) +
         (o.provinces == 63 ? std::string() : " provinces=" + std::to_string(o.provinces)) + " gen=1";
}

// The national root, generating the nation first when the database does not have it.
std::pair<std::string, int64_t> ensure_nation(const std::string& url, const Options& o, const Clock& clock) {
  auto conn = must(db::Connection::open(url), "open " + url);
  must(db::migrate(*conn), "migrate");
  auto existing = must(conn->query_one("SELECT id FROM orgs WHERE code = 'TW'"), "find TW");
  if (existing) return {"cached", existing->i64(0)};
  gen::Plan plan = gen::plan_for(gen::Scale::nation);
  if (o.activities >= 0) plan.province.activities_per_branch = o.activities;
  plan.provinces = o.provinces;
  const bool sqlite = conn->engine() == db::Engine::sqlite;
  if (sqlite) must(conn->exec_script("PRAGMA cache_size=-1048576;"), "cache_size");
  auto t0 = std::chrono::steady_clock::now();
  auto totals = must(gen::generate(*conn, clock, o.seed, plan,
                                   [&](const gen::Step& s) {
                                     if (s.stage.empty())
                                       std::fprintf(stderr, "    [%6.0f s] %d/%d provinces, %lld members\n",
                                                    bench::seconds_since(t0), s.province, s.of,
                                                    static_cast<long long>(s.totals->members));
                                   }),
                     "generate the nation");
  double gen_s = bench::seconds_since(t0);
  auto t1 = std::chrono::steady_clock::now();
  must(conn->exec_script(sqlite ? "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);" : "ANALYZE"), "analyze");
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.0f s + ANALYZE %.0f s", gen_s, bench::seconds_since(t1));
  std::fprintf(stderr, "    generated %lld members in %lld branches: %s\n", static_cast<long long>(totals.members),
               static_cast<long long>(totals.branches), buf);
  return {buf, totals.root_id};
}

// What people type into the search box: full names, a given name with its middle name, family
// and middle ("nguyen van"), part of a syllable; with and without diacritics and capitals.
std::vector<std::string> search_queries(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    gen::PersonName p = gen::draw_person(rng);
    std::string q;
    switch (i % 6) {
      case 0: q = p.full(); break;
      case 1: q = text::search_fold(p.full()); break;  // typed without diacritics
      case 2: q = (p.middle.empty() ? p.family : p.middle) + " " + p.given; break;
      case 3: q = p.given; break;
      case 4: q = p.family + " " + (p.middle.empty() ? p.given : p.middle); break;
      default: q = text::search_fold(p.given).substr(0, 3); break;  // the start of a syllable
    }
    out.push_back(q);
  }
  return out;
}

void run_engine(const bench::EngineRun& e, const Options& o, Figures& f) {
  FixedClock clock(std::chrono::sys_days{std::chrono::year{2022} / 1 / 15});
  auto [generation, root_id] = ensure_nation(e.url, o, clock);
  f.generation = generation;
  auto conn = must(db::Connection::open(e.url), "open " + e.url);
  org::Store store(*conn, clock);
  auto root = must(store.org(root_id), "root");
  auto counts = must(conn->query_one("SELECT (SELECT COUNT(*) FROM members WHERE status = 'active'), "
                                     "(SELECT COUNT(*) FROM orgs o JOIN org_levels l ON l.id = o.level_id WHERE l.holds_members = 1)"),
                     "counts");
  f.members = counts->i64(0);
  f.branches = counts->i64(1);

  // Search across the nation.
  const Date today{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
  std::vector<double> times;
  std::vector<std::pair<double, std::string>> slowest;
  int64_t hits = 0;
  for (const auto& q : search_queries(o.searches, o.seed)) {
    org::MemberQuery mq;
    mq.q = q;
    auto t0 = std::chrono::steady_clock::now();
    auto page = must(store.members(root, mq, today), "search " + q);
    times.push_back(Ms(std::chrono::steady_clock::now() - t0).count());
    hits += static_cast<int64_t>(page.items.size());
    slowest.emplace_back(times.back(), q + " (" + std::to_string(page.total) + (page.total_is_lower_bound ? "+" : "") + ")");
  }
  std::sort(slowest.rbegin(), slowest.rend());
  for (size_t k = 0; k < std::min<size_t>(5, slowest.size()); ++k)
    std::fprintf(stderr, "    slowest search %zu: %.1f ms  %s\n", k + 1, slowest[k].first, slowest[k].second.c_str());
  f.search_p50 = median(times);
  f.search_p99 = percentile(times, 99);
  f.search_max = *std::max_element(times.begin(), times.end());
  std::fprintf(stderr, "    search: %d queries, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %lld rows shown\n", o.searches,
               f.search_p50, f.search_p99, f.search_max, static_cast<long long>(hits));

  // A province's dashboard: its year report (Lâm Đồng, P46; P01 when only the first provinces are there).
  auto province = must(conn->query_one("SELECT id FROM orgs WHERE code IN ('P46', 'P01') ORDER BY code DESC LIMIT 1"), "P46");
  if (!province) die("province", Error{ErrorKind::not_found, "no org P46 or P01", ""});
  times.clear();
  for (int i = 0; i < o.dashboard_runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    must(review::year_report(*conn, clock, province->i64(0), 2021), "province report");
    times.push_back(Ms(std::chrono::steady_clock::now() - t0).count());
  }
  f.dashboard_median = median(times);
  f.dashboard_max = *std::max_element(times.begin(), times.end());
  std::fprintf(stderr, "    province dashboard: median %.0f ms, max %.0f ms\n", f.dashboard_median, f.dashboard_max);

  // The nation's roll-up.
  if (!o.no_rollup) {
    auto t0 = std::chrono::steady_clock::now();
    auto report = must(review::year_report(*conn, clock, root_id, 2021), "nation report");
    f.rollup = Ms(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "    nation roll-up: %.1f s (%lld members in the report)\n", f.rollup / 1000,
                 static_cast<long long>(report["members"]["total"].get<int64_t>()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  chidoan::bench::program = "nation_bench";
  Options o;
  CLI::App app{"Nation-scale benchmark (issue 10): search, a province dashboard and the nation roll-up, SQLite and PostgreSQL"};
  bench::add_engine_options(app, o, "SQLite nation file (generated when missing)", "database chidoan_nation is used");
  app.add_option("--searches", o.searches, "search queries");
  app.add_option("--dashboard-runs", o.dashboard_runs, "province dashboard runs (median)");
  app.add_option("--activities-per-branch", o.activities, "override the nation plan's activities per branch");
  app.add_option("--provinces", o.provinces, "the first N of the 63 provinces (a part of the nation)")->check(CLI::Range(1, 63));
  app.add_flag("--no-rollup", o.no_rollup, "skip the nation roll-up");
  CLI11_PARSE(app, argc, argv);
  if (o.searches < 1 || o.dashboard_runs < 1) return std::cerr << "runs must be ≥ 1\n", 2;

  auto all = bench::on_each_engine<Figures>(o, cache_key(o), "chidoan_nation", false, [&](const bench::EngineRun& e) {
    Figures f;
    run_engine(e, o, f);
    return f;
  });

  bool met = true;
  std::cout << "\n| engine | provinces | generation | members | branches | search p50 | search p99 (max) | province dashboard median (max) | nation roll-up |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& f : all) {
    std::cout << "| " << f.engine << " | " << o.provinces << " | " << f.generation << " | " << bench::thousands(f.members) << " | "
              << bench::thousands(f.branches) << " | " << fmt(f.search_p50) << " | " << fmt(f.search_p99) << " ("
              << fmt(f.search_max) << ") | " << fmt(f.dashboard_median) << " (" << fmt(f.dashboard_max) << ") | "
              << (o.no_rollup ? std::string("—") : fmt(f.rollup)) << " |\n";
    met = met && f.search_p99 <= 50 && f.dashboard_median <= 1000 && (o.no_rollup || f.rollup <= 60000);
  }
  std::cout << "\nTargets (issue 10): search p99 ≤ 50 ms, province dashboard ≤ 1 s, nation roll-up ≤ 60 s: "
            << (met ? "met" : "MISSED") << "\n";
  return 0;
}
