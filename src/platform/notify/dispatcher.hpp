// Sending what the outbox holds: Dispatcher does one round, Worker repeats it on a thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>

#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"
#include "platform/notify/outbox.hpp"

namespace chidoan::notify {

// The transport of each channel, not owned; null: that channel's notices stay pending.
struct Transports {
  Transport* email = nullptr;
  Transport* webhook = nullptr;
};

struct Delivery {
  int sent = 0;
  int retrying = 0;  // failed this time, another try is scheduled
  int failed = 0;    // failed for good
};

// REQUIRES: clock and the transports outlive the Dispatcher. Thread-safe (const, and the
// transports are).
class Dispatcher {
 public:
  Dispatcher(const Clock& clock, Transports transports) : clock_(clock), transports_(transports) {}

  // Sends up to `limit` due notices, one at a time: claim (a statement of its own), send, mark
  // (another). No transaction is open during the network I/O; calling this inside one is a bug
  // (ErrorKind::internal). A send error is recorded on the notice, not returned; storage errors
  // are returned (a notice sent but not marked is sent again after its claim runs out).
  Result<Delivery> deliver_pending(db::Connection& conn, int limit = 100) const;

 private:
  const Clock& clock_;
  Transports transports_;
};

// Calls dispatcher.deliver_pending on a connection of `pool` now and then every `interval` (or
// at once after wake()), until stopped. Storage errors go to `on_error` (default: stderr).
// REQUIRES: pool and dispatcher outlive the Worker. Its methods are thread-safe.
class Worker {
 public:
  using ErrorSink = std::function<void(const Error&)>;
  Worker(db::Pool& pool, const Dispatcher& dispatcher, std::chrono::milliseconds interval,
         ErrorSink on_error = log_error);
  ~Worker() { stop(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Starts a round now (e.g. right after an urgent enqueue).
  void wake();
  // Finishes the round in progress, if any, and joins the thread. Idempotent.
  void stop();
  // Rounds finished so far.
  int64_t rounds() const;

  static void log_error(const Error& e);

 private:
  void run(std::stop_token stop);

  db::Pool& pool_;
  const Dispatcher& dispatcher_;
  std::chrono::milliseconds interval_;
  ErrorSink on_error_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  bool woken_ = false;
  int64_t rounds_ = 0;
  std::jthread thread_;  // last: started after everything it reads
};

}  // namespace chidoan::notify
