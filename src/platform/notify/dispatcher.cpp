#include "platform/notify/dispatcher.hpp"

#include <exception>
#include <iostream>

namespace chidoan::notify {

Result<Delivery> Dispatcher::deliver_pending(db::Connection& conn, int limit) const {
  if (conn.in_transaction())
    return fail(ErrorKind::internal, "notify: deliver_pending inside a transaction would hold it across network I/O");
  std::vector<Channel> channels;
  if (transports_.email) channels.push_back(Channel::email);
  if (transports_.webhook) channels.push_back(Channel::webhook);
  Outbox outbox(conn, clock_);
  Delivery d;
  // One claim at a time, so each lease starts when its send does.
  for (int i = 0; i < limit; ++i) {
    CHIDOAN_TRY(claimed, outbox.claim(1, channels));
    if (claimed.empty()) break;
    const Entry& e = claimed.front();
    Transport* t = e.message.channel == Channel::email ? transports_.email : transports_.webhook;
    Result<void> sent = t->send(e.message);
    if (sent) {
      CHIDOAN_TRY_VOID(outbox.mark_sent(e.id));
      ++d.sent;
      continue;
    }
    CHIDOAN_TRY(status, outbox.mark_failed(e.id, sent.error().message, sent.error().kind == ErrorKind::invalid));
    if (status == Status::failed)
      ++d.failed;
    else
      ++d.retrying;
  }
  return d;
}

Worker::Worker(db::Pool& pool, const Dispatcher& dispatcher, std::chrono::milliseconds interval, ErrorSink on_error)
    : pool_(pool), dispatcher_(dispatcher), interval_(interval), on_error_(std::move(on_error)),
      thread_([this](std::stop_token st) { run(st); }) {}

void Worker::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Worker::stop() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

int64_t Worker::rounds() const {
  std::lock_guard lock(mu_);
  return rounds_;
}

void Worker::log_error(const Error& e) { std::cerr << "chidoan: notify: " << e.message << "\n"; }

void Worker::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    try {
      auto conn = pool_.acquire();
      auto d = dispatcher_.deliver_pending(*conn);
      if (!d && on_error_) on_error_(d.error());
    } catch (const std::exception& e) {  // a bug or broken infrastructure: report, keep going
      if (on_error_) on_error_(Error{ErrorKind::internal, e.what()});
    }
    std::unique_lock lock(mu_);
    ++rounds_;
    cv_.wait_for(lock, stop, interval_, [this] { return woken_; });
    woken_ = false;
  }
}

}  // namespace chidoan::notify
