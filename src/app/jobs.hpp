// The server's background work: notices leave the outbox (platform/notify: e-mail over SMTP,
// SMS/Zalo through the webhook) and, once a day and at start, the blood club's "you can donate
// again" reminders and the ideas forum's digest e-mails are enqueued; every hour and at start, the help desk's scanned papers whose
// seven days are over are deleted. All are idempotent, so two servers on one PostgreSQL may
// run them side by side.
#pragma once

#include <chrono>
#include <memory>

#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"
#include "platform/notify/settings.hpp"
#include "platform/render/render.hpp"

namespace chidoan::app {

class Jobs {
 public:
  // REQUIRES: pool, clock and texts outlive the Jobs.
  Jobs(db::Pool& pool, const Clock& clock, const render::Renderer& texts, const notify::Settings& settings,
       std::chrono::milliseconds interval = std::chrono::seconds(30));
  ~Jobs();
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // Enqueues today's reminders (once a day: the outbox and the reminder log dedupe).
  Result<int> reminders();
  // Enqueues the ideas forum's daily digest e-mails (notices of the days before today, once: the
  // notices are marked digested and the outbox dedupes by recipient and date).
  Result<int> idea_digests();
  // Deletes the scanned papers (uploads and PDFs) kept past their time; returns how many.
  Result<int64_t> purge_scans();

 private:
  db::Pool& pool_;
  const Clock& clock_;
  const render::Renderer& texts_;
  notify::ConfiguredTransports transports_;
  notify::Dispatcher dispatcher_;
  std::jthread daily_;
  std::unique_ptr<notify::Worker> worker_;  // last: stopped first
};

}  // namespace chidoan::app
