#include "app/jobs.hpp"

#include <iostream>

#include "blood/notices.hpp"
#include "ideas/notices.hpp"
#include "scan/papers_store.hpp"

namespace chidoan::app {

Jobs::Jobs(db::Pool& pool, const Clock& clock, const render::Renderer& texts, const notify::Settings& settings,
           std::chrono::milliseconds interval)
    : pool_(pool),
      clock_(clock),
      texts_(texts),
      transports_(notify::make_transports(settings, clock)),
      dispatcher_(clock, transports_.transports()) {
  // The reminders of the day, checked every hour (a server started at night still sends them).
  daily_ = std::jthread([this](std::stop_token stop) {
    std::mutex m;
    std::condition_variable_any cv;
    while (!stop.stop_requested()) {
      if (auto n = reminders(); !n) std::cerr << "chidoan: reminders: " << n.error().message << "\n";
      if (auto n = idea_digests(); !n) std::cerr << "chidoan: ideas digest: " << n.error().message << "\n";
      if (auto n = purge_scans(); !n) std::cerr << "chidoan: scanned papers: " << n.error().message << "\n";
      std::unique_lock l(m);
      cv.wait_for(l, stop, std::chrono::hours(1), [] { return false; });
    }
  });
  worker_ = std::make_unique<notify::Worker>(pool, dispatcher_, interval);
}

Jobs::~Jobs() {
  worker_.reset();
  daily_.request_stop();
}

Result<int> Jobs::reminders() {
  auto conn = pool_.acquire();
  int n = 0;
  CHIDOAN_TRY_VOID(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(k, blood::enqueue_reminders(*conn, clock_, texts_, today(clock_)));
    n = k;
    return {};
  }));
  return n;
}

Result<int> Jobs::idea_digests() {
  auto conn = pool_.acquire();
  int n = 0;
  CHIDOAN_TRY_VOID(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(k, ideas::notices::enqueue_digests(*conn, clock_, texts_, today(clock_)));
    n = k;
    return {};
  }));
  return n;
}

Result<int64_t> Jobs::purge_scans() {
  auto conn = pool_.acquire();
  int64_t n = 0;
  CHIDOAN_TRY_VOID(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(k, scan::PaperStore(*conn).purge(clock_.unix_seconds()));
    n = k;
    return {};
  }));
  return n;
}

}  // namespace chidoan::app
