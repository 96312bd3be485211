// report_pdf_bench — speed of the year-end report's PDF (issue 9: "the demo's PDF report in
// ≤ 300 ms"): the demo bundle (data/demo/lam-dong-2021.json) loaded into a fresh database, then
// --runs times, after one warm-up: review::year_report of Chi đoàn Văn phòng UBND tỉnh for 2021
// (compute) and review::render_report as PDF (the view, the tables, the charts, pango/cairo);
// median, p90 and max of the whole, and of the rendering alone. Checked every run: the PDF is
// the same bytes as the first run's (the clock is fixed). Prints a markdown row per engine and
// a "Targets" line.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/server.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/render/render.hpp"
#include "review/report.hpp"
#include "review/routes.hpp"

#include "bench_util.hpp"

using namespace chidoan;

namespace {

constexpr double kTargetMs = 300;

struct Options {
  std::string sqlite_path = "report-pdf.db";
  std::string pg_url;
  bool no_sqlite = false, no_pg = false;
  int runs = 20;
};

nlohmann::json demo() {
  std::ifstream in(std::string(CHIDOAN_SOURCE_DIR) + "/data/demo/lam-dong-2021.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = nlohmann::json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded()) bench::die("read the demo", Error{ErrorKind::invalid, "not JSON"});
  return doc;
}

// Returns false when the target is missed.
bool run_engine(const std::string& label, const std::string& url, const Options& o) {
  auto conn = bench::must(db::Connection::open(url), "open " + url);
  bench::must(db::migrate(*conn), "migrate");
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 15}};
  bench::must(conn->transaction([&] { return org::Store(*conn, clock).install_default_levels(); }), "levels");
  bench::must(org::bundle::load(*conn, clock, demo(), app::bundle_sections()), "load the demo");
  auto org = bench::must(org::Store(*conn, clock).org_by_code("VPUBND"), "VPUBND");
  if (!org) bench::die("VPUBND", Error{ErrorKind::not_found, "the demo has no VPUBND"});
  render::Renderer renderer;

  std::vector<double> total, render;
  std::string first;
  for (int i = 0; i <= o.runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto report = bench::must(review::year_report(*conn, clock, org->id, 2021), "year_report");
    const auto t1 = std::chrono::steady_clock::now();
    auto pdf = bench::must(review::render_report(*conn, clock, renderer, report, "pdf"), "render_report");
    const double all = bench::seconds_since(t0) * 1000, rendering = bench::seconds_since(t1) * 1000;
    if (i == 0) {
      first = pdf;  // the warm-up: fonts loaded, statements prepared
      continue;
    }
    if (pdf != first) bench::die("check", Error{ErrorKind::internal, "run " + std::to_string(i) + " gave another PDF"});
    total.push_back(all);
    render.push_back(rendering);
  }
  const double med = bench::median(total);
  std::cout << "| " << label << " | " << o.runs << " | " << bench::fmt(med) << " | " << bench::fmt(bench::percentile(total, 90)) << " | "
            << bench::fmt(*std::max_element(total.begin(), total.end())) << " | " << bench::fmt(bench::median(render)) << " | "
            << bench::thousands(static_cast<int64_t>(first.size())) << " | " << (med <= kTargetMs ? "ok" : "MISSED") << " |\n";
  std::cout << "Targets (issue 9, " << label << "): the demo's PDF report (compute + render) median " << bench::fmt(med) << " ≤ "
            << bench::fmt(kTargetMs) << ": " << (med <= kTargetMs ? "ok" : "MISSED") << "\n";
  return med <= kTargetMs;
}

}  // namespace

int main(int argc, char** argv) {
  bench::program = "report_pdf_bench";
  Options o;
  CLI::App app{"The year-end report's PDF on the demo (issue 9)"};
  app.add_option("--sqlite", o.sqlite_path, "SQLite file (made afresh)");
  app.add_option("--pg", o.pg_url, "PostgreSQL server URL (a database report_pdf_bench is made afresh on it)");
  app.add_flag("--no-sqlite", o.no_sqlite, "skip SQLite");
  app.add_flag("--no-pg", o.no_pg, "skip PostgreSQL");
  app.add_option("--runs", o.runs, "timed runs after a warm-up")->check(CLI::Range(1, 10000));
  CLI11_PARSE(app, argc, argv);
  std::cout << "| engine | runs | median | p90 | max | render (median) | PDF bytes | status |\n|---|---:|---:|---:|---:|---:|---:|---|\n";
  bool ok = true;
  if (!o.no_sqlite) {
    std::filesystem::remove(o.sqlite_path);
    ok = run_engine("SQLite", "sqlite:" + o.sqlite_path, o) && ok;
  }
  if (!o.no_pg && !o.pg_url.empty()) ok = run_engine("PostgreSQL", bench::pg_database(o.pg_url, "report_pdf_bench", true), o) && ok;
  return ok ? 0 : 1;
}
