// Fuzzes a member import as the import page and `chidoan members import` run it: the uploaded
// file through tabular::read_any (content sniffing, then CSV or XLSX: zip entries, shared
// strings, styles, dates, the size and row limits against zip bombs), the table through
// org::plan_import (header mapping, every row validated against the rules and the branch's
// units and CCCDs) and, when the plan is clean, org::commit_import in a transaction that is then
// rolled back so that the next input sees the same branch.
//
// The first byte picks the file name the browser sent (.csv, .xlsx, .xls, none), because
// read_any falls back on it when the content does not say. The database is an in-memory SQLite
// with the demo's organisations and members, as of 15/1/2022; the branch is VPUBND.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "org/bundle.hpp"
#include "org/import.hpp"
#include "org/store.hpp"
#include "platform/core/date.hpp"
#include "platform/db/db.hpp"
#include "platform/tabular/tabular.hpp"
#include "prepared.hpp"

namespace {

using namespace chidoan;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "fuzz_tabular: %s\n", what.c_str());
  std::abort();
}

void check(bool ok, const std::string& what) {
  if (!ok) die(what);
}

struct World {
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15} + std::chrono::hours{9}};
  std::unique_ptr<db::Connection> conn;
  int64_t branch = 0;

  World() {
    auto c = db::Connection::open("sqlite::memory:");
    if (!c) die(c.error().message);
    conn = std::move(*c);
    if (auto m = db::migrate(*conn); !m) die(m.error().message);
    std::ifstream in(CHIDOAN_FUZZ_SOURCE_DIR "/data/demo/lam-dong-2021.json", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto doc = nlohmann::json::parse(ss.str());
    // The org part only: the import reads levels, orgs, units and members.
    nlohmann::json org_part;
    for (const char* key : {"format", "version", "root_parent", "levels", "orgs", "org_events", "units", "members"})
      org_part[key] = doc[key];
    if (auto l = org::bundle::load(*conn, clock, org_part); !l) die(l.error().message);
    org::Store store(*conn, clock);
    auto o = store.org_by_code("VPUBND");
    if (!o || !*o) die("the demo has no VPUBND");
    branch = (*o)->id;
  }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) { return chidoan::fuzz::prepare<World>(); }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = chidoan::fuzz::prepared<World>();
  if (size < 1) return 0;
  static constexpr const char* kNames[] = {"doan-vien.csv", "doan-vien.xlsx", "doan-vien.XLS", ""};
  const std::string filename = kNames[data[0] % 4];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  auto table = tabular::read_any(filename, bytes);
  if (!table) {
    check(table.error().kind == ErrorKind::invalid || table.error().kind == ErrorKind::too_large,
          "read_any failed with an unexpected kind: " + table.error().message);
    return 0;
  }
  // The shape every reader promises (tabular.hpp).
  check(table->rows.size() == table->row_numbers.size(), "row_numbers and rows differ in size");
  for (const auto& row : table->rows) check(row.size() == table->header.size(), "a row is not as wide as the header");

  org::Store store(*world.conn, world.clock);
  auto plan = org::plan_import(*table, store, world.branch, today(world.clock));
  if (!plan) return 0;
  check(plan->rows.size() == table->rows.size(), "the plan has not one entry per row");
  if (!plan->ok()) return 0;
  // Commit, then roll back: an error returned from the transaction undoes the inserts.
  bool committed = false;
  auto r = world.conn->transaction([&]() -> Result<void> {
    auto n = org::commit_import(*plan, store, world.branch);
    if (!n) return std::unexpected(n.error());
    check(*n == plan->rows.size(), "commit_import did not insert every row");
    committed = true;
    return fail(ErrorKind::conflict, "rolled back by the fuzzer");
  });
  // A clean plan may still meet the database's own checks; anything but a bug is fine.
  if (!committed) check(r.error().kind != ErrorKind::internal, "commit_import: " + r.error().message);
  return 0;
}
