// Fuzzes the bundle loader as `chidoan load FILE` runs it: the file's text parsed as JSON, then
// org::bundle::load with every module's section (app::bundle_sections()) into a migrated
// database: the org part's levels, orgs, events, units and members, and each section's own
// validation (names resolved to org codes and member refs, dates, amounts) and writes.
//
// The database is one in-memory SQLite, migrated once. Each input is loaded inside an outer
// transaction that is rolled back afterwards (a nested Connection::transaction runs inside the
// outer one), so every input starts from the same empty database, as on a fresh install.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/server.hpp"
#include "org/bundle.hpp"
#include "platform/db/db.hpp"
#include "prepared.hpp"

namespace {

using namespace chidoan;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "fuzz_bundle: %s\n", what.c_str());
  std::abort();
}

struct World {
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15} + std::chrono::hours{9}};
  std::unique_ptr<db::Connection> conn;
  std::vector<bundle::Section> sections = app::bundle_sections();

  World() {
    auto c = db::Connection::open("sqlite::memory:");
    if (!c) die(c.error().message);
    conn = std::move(*c);
    if (auto m = db::migrate(*conn); !m) die(m.error().message);
  }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) { return chidoan::fuzz::prepare<World>(); }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = chidoan::fuzz::prepared<World>();
  auto doc = nlohmann::json::parse(reinterpret_cast<const char*>(data), reinterpret_cast<const char*>(data) + size,
                                   nullptr, false);
  if (doc.is_discarded()) return 0;
  auto r = world.conn->transaction([&]() -> Result<void> {
    auto loaded = org::bundle::load(*world.conn, world.clock, doc, world.sections);
    // A bundle the loader refuses is an invalid one, named by its JSON path; anything else is
    // a bug in the loader (a constraint it let through, or a query it got wrong).
    if (!loaded && loaded.error().kind != ErrorKind::invalid && loaded.error().kind != ErrorKind::conflict &&
        loaded.error().kind != ErrorKind::too_large)
      die("load failed with " + std::string(kind_name(loaded.error().kind)) + ": " + loaded.error().message +
          " at " + loaded.error().field);
    return fail(ErrorKind::conflict, "rolled back by the fuzzer");
  });
  (void)r;
  return 0;
}
