// The notification outbox (hộp thư đi): notices are stored with the business change that causes
// them and sent later by a Dispatcher, so a notice exists if and only if that change committed,
// and no transaction is ever held open across network I/O.
//
// The life of a row (table `outbox`, migrations/0008_outbox.sql):
//   enqueue -> pending --claim--> sending --mark_sent--> sent
//                 ^                  |
//                 +---mark_failed----+ (retry after kRetryDelays[attempts-1])
//                                    +---mark_failed, last attempt or permanent--> failed
// A `sending` row whose claim ran out (its worker died mid-send) is claimed again: delivery is
// at least once, never twice while a worker is alive and within its lease.
//
// Thread-safety: an Outbox uses its Connection, so one thread at a time. Several processes may
// share one PostgreSQL database: claim() hands each due row to exactly one of them.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::notify {

enum class Channel { email, webhook };
const char* channel_name(Channel c);  // "email", "webhook"

// One notice. recipient: an e-mail address (email) or a phone number / Zalo id (webhook).
struct Message {
  Channel channel = Channel::email;
  std::string recipient;
  std::string subject;  // one line; may be empty for a webhook (SMS has no subject)
  std::string body;     // UTF-8 text, lines separated by "\n"
  std::string kind;     // what it is, e.g. "blood.reminder", "blood.callout", "ideas.digest"
  std::string ref;      // with kind, names the notice ("donor:12:2021-06-02"); "" = no dedup
  int64_t not_before = 0;  // unix s: not sent earlier (e.g. the morning of the eligible day)
};

// local@domain.tld with nothing an SMTP envelope or a header could trip on (no spaces, <>, CR/LF).
bool is_email_address(std::string_view a);
// Checks what enqueue() and the transports need: ErrorKind::invalid naming the field at fault.
Result<void> validate(const Message& m);

enum class Status { pending, sending, sent, failed };
const char* status_name(Status s);

// A stored notice, as the admin page lists it.
struct Entry {
  int64_t id = 0;
  Message message;
  Status status = Status::pending;
  int64_t attempts = 0;         // finished tries (sent or failed)
  int64_t next_attempt_at = 0;  // unix s
  std::string last_error;
  int64_t created_at = 0;
  std::optional<int64_t> sent_at;
};

// Waits before the 2nd, 3rd, ... try; after a failure with no delay left the notice is failed.
inline constexpr std::array<std::chrono::seconds, 4> kRetryDelays{
    std::chrono::minutes(1), std::chrono::minutes(5), std::chrono::minutes(30), std::chrono::hours(2)};
inline constexpr int64_t kMaxAttempts = kRetryDelays.size() + 1;
// The wait after `attempts` failed tries, or none when the notice has failed for good.
std::optional<std::chrono::seconds> retry_delay(int64_t attempts);

// How long a claim lasts. Longer than any transport's timeout, so a live worker always finishes
// (and marks) before another may claim the same row.
inline constexpr std::chrono::seconds kClaimLease = std::chrono::minutes(5);

// Sends one notice. Errors of kind `invalid` are permanent (the notice is failed at once); any
// other error is retried on the kRetryDelays schedule.
// Implementations must be thread-safe: a Worker thread and a CLI command may share one.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<void> send(const Message& m) = 0;
};

// REQUIRES: conn and clock outlive the Outbox.
class Outbox {
 public:
  Outbox(db::Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  // Stores a pending notice and returns its id; if (kind, ref) is already stored, returns that
  // row's id and changes nothing. Meant to run inside the caller's transaction.
  // Invalid message (field named): ErrorKind::invalid. No CR/LF in recipient or subject.
  Result<int64_t> enqueue(const Message& m);

  // Due pending notices, oldest due first (read only).
  Result<std::vector<Entry>> pending(int limit);
  // Moves up to `limit` due notices on `channels` to `sending` until now + lease and returns
  // them; a row is handed to one caller only, across connections and processes.
  Result<std::vector<Entry>> claim(int limit, const std::vector<Channel>& channels,
                                   std::chrono::seconds lease = kClaimLease);
  // REQUIRES: the row is claimed (status sending); otherwise ErrorKind::conflict.
  Result<void> mark_sent(int64_t id);
  // Records the error and schedules the next try, or fails the notice after kMaxAttempts tries
  // or when `permanent`. Returns the new status (pending or failed). Same REQUIRES as mark_sent.
  Result<Status> mark_failed(int64_t id, std::string_view error, bool permanent = false);

  Result<Entry> get(int64_t id);
  // Newest first, for the admin page.
  Result<std::vector<Entry>> recent(int limit);

 private:
  Result<std::vector<Entry>> select(std::string_view where_and_order, const std::vector<db::Value>& params);
  db::Connection& conn_;
  const Clock& clock_;
};

}  // namespace chidoan::notify
