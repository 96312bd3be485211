// The outbox store, the dispatcher and the worker, on both engines, with an in-memory transport.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "platform/notify/dispatcher.hpp"
#include "platform/notify/outbox.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::notify {
namespace {

using namespace std::chrono_literals;

// Records what it is asked to send; fails for the recipients in `errors`.
class FakeTransport final : public Transport {
 public:
  Result<void> send(const Message& m) override {
    std::lock_guard lock(mu);
    if (auto it = errors.find(m.recipient); it != errors.end()) return std::unexpected(it->second);
    sent.push_back(m);
    return {};
  }
  size_t count() {
    std::lock_guard lock(mu);
    return sent.size();
  }
  std::mutex mu;
  std::vector<Message> sent;
  std::map<std::string, Error> errors;
};

Message reminder(int donor) {
  return Message{.channel = Channel::email,
                 .recipient = "donor" + std::to_string(donor) + "@example.org",
                 .subject = "Bạn đã có thể hiến máu trở lại",
                 .body = "Bạn đã có thể hiến máu trở lại từ 02/06/2021.",
                 .kind = "blood.reminder",
                 .ref = "donor:" + std::to_string(donor) + ":2021-06-02"};
}

class NotifyOutboxTest : public chidoan::testing::DbTest {
 protected:
  // 2021-06-02 08:00 in Vietnam.
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 6 / 2} + 1h};
  int64_t now() const { return clock.unix_seconds(); }
  Outbox outbox() { return Outbox(*conn, clock); }
  int64_t count_rows() {
    auto row = conn->query_one("SELECT COUNT(*) FROM outbox");
    return row && *row ? (*row)->i64(0) : -1;
  }
  Entry claim_one(Outbox& box) {
    auto c = box.claim(1, {Channel::email});
    EXPECT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->size(), 1u);
    return c->empty() ? Entry{} : c->front();
  }
};

TEST_P(NotifyOutboxTest, EnqueueIsIdempotentOnKindAndRef) {
  auto box = outbox();
  auto a = box.enqueue(reminder(12));
  ASSERT_TRUE(a) << a.error().message;
  auto again = box.enqueue(reminder(12));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *a);
  auto other = box.enqueue(reminder(13));
  ASSERT_TRUE(other);
  EXPECT_NE(*other, *a);

  Message adhoc = reminder(14);
  adhoc.ref = "";  // no ref: never deduplicated
  ASSERT_TRUE(box.enqueue(adhoc));
  ASSERT_TRUE(box.enqueue(adhoc));
  EXPECT_EQ(count_rows(), 4);

  auto e = box.get(*a);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message.subject, "Bạn đã có thể hiến máu trở lại");
  EXPECT_EQ(e->message.ref, "donor:12:2021-06-02");
  EXPECT_EQ(e->status, Status::pending);
  EXPECT_EQ(e->attempts, 0);
  EXPECT_EQ(e->created_at, now());
  EXPECT_EQ(e->next_attempt_at, now());
}

TEST_P(NotifyOutboxTest, EnqueueFollowsTheCallersTransaction) {
  auto box = outbox();
  ASSERT_TRUE(box.enqueue(reminder(1)));
  // A repeated notice inside a transaction must not abort it (PostgreSQL would, on a violation).
  auto tx = conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(box.enqueue(reminder(1)));
    CHIDOAN_TRY_VOID(box.enqueue(reminder(2)));
    return {};
  });
  ASSERT_TRUE(tx) << tx.error().message;
  EXPECT_EQ(count_rows(), 2);

  auto rolled_back = conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(box.enqueue(reminder(3)));
    return fail(ErrorKind::conflict, "the business write failed");
  });
  EXPECT_FALSE(rolled_back);
  EXPECT_EQ(count_rows(), 2);
}

TEST_P(NotifyOutboxTest, EnqueueRefusesWhatCannotBeSent) {
  auto box = outbox();
  auto field_of = [&](Message m) {
    auto r = box.enqueue(m);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().field;
  };
  Message m = reminder(1);
  m.recipient = "không-phải-email";
  EXPECT_EQ(field_of(m), "recipient");
  m = reminder(1);
  m.recipient = "a@example.org>\r\nBcc: x@example.org";
  EXPECT_EQ(field_of(m), "recipient");
  m = reminder(1);
  m.subject = "Tiêu đề\r\nBcc: x@example.org";
  EXPECT_EQ(field_of(m), "subject");
  m = reminder(1);
  m.body = "";
  EXPECT_EQ(field_of(m), "body");
  m = reminder(1);
  m.kind = "";
  EXPECT_EQ(field_of(m), "kind");
  // An SMS has no subject.
  EXPECT_TRUE(box.enqueue(Message{.channel = Channel::webhook, .recipient = "0912345678", .body = "Cần gấp máu O",
                                  .kind = "blood.callout", .ref = "callout:7:0912345678"}));
  EXPECT_EQ(count_rows(), 1);
}

TEST_P(NotifyOutboxTest, NotBeforeHoldsANoticeBack) {
  auto box = outbox();
  Message m = reminder(1);
  m.not_before = now() + 3600;
  ASSERT_TRUE(box.enqueue(m));
  ASSERT_TRUE(box.enqueue(reminder(2)));
  auto due = box.pending(10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().message.ref, "donor:2:2021-06-02");
  clock.advance(1h);
  EXPECT_EQ(box.pending(10)->size(), 2u);
}

TEST_P(NotifyOutboxTest, FailuresBackOffThenFail) {
  auto box = outbox();
  auto id = box.enqueue(reminder(1));
  ASSERT_TRUE(id);
  const std::vector<int64_t> waits = {60, 300, 1800, 7200};
  for (size_t i = 0; i < waits.size(); ++i) {
    Entry e = claim_one(box);
    ASSERT_EQ(e.id, *id);
    auto st = box.mark_failed(*id, "SMTP: Connection refused");
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_EQ(*st, Status::pending);
    auto got = box.get(*id);
    EXPECT_EQ(got->attempts, static_cast<int64_t>(i + 1));
    EXPECT_EQ(got->next_attempt_at, now() + waits[i]);
    EXPECT_EQ(got->last_error, "SMTP: Connection refused");
    // Not due a second early.
    clock.advance(std::chrono::seconds(waits[i] - 1));
    EXPECT_TRUE(box.claim(1, {Channel::email})->empty());
    clock.advance(1s);
  }
  claim_one(box);
  EXPECT_EQ(*box.mark_failed(*id, "SMTP: Connection refused"), Status::failed);
  EXPECT_EQ(box.get(*id)->attempts, kMaxAttempts);
  clock.advance(24h);
  EXPECT_TRUE(box.claim(10, {Channel::email})->empty());
  EXPECT_TRUE(box.pending(10)->empty());
}

TEST_P(NotifyOutboxTest, PermanentFailureFailsAtOnce) {
  auto box = outbox();
  auto id = box.enqueue(reminder(1));
  claim_one(box);
  EXPECT_EQ(*box.mark_failed(*id, "bad address", /*permanent=*/true), Status::failed);
  EXPECT_EQ(box.get(*id)->attempts, 1);
}

TEST_P(NotifyOutboxTest, AClaimHandsARowToOneWorker) {
  auto box = outbox();
  auto id = box.enqueue(reminder(1));
  ASSERT_TRUE(id);
  auto other_conn = open_connection();
  Outbox other(*other_conn, clock);

  EXPECT_EQ(claim_one(box).id, *id);
  EXPECT_EQ(box.get(*id)->status, Status::sending);
  EXPECT_TRUE(other.claim(10, {Channel::email, Channel::webhook})->empty());
  EXPECT_TRUE(box.pending(10)->empty());

  // The claiming worker died: once its lease runs out another may take the row.
  clock.advance(kClaimLease - 1s);
  EXPECT_TRUE(other.claim(10, {Channel::email})->empty());
  clock.advance(1s);
  auto taken = other.claim(10, {Channel::email});
  ASSERT_EQ(taken->size(), 1u);
  ASSERT_TRUE(other.mark_sent(*id));
  auto sent = box.get(*id);
  EXPECT_EQ(sent->status, Status::sent);
  EXPECT_EQ(sent->sent_at, now());
  EXPECT_EQ(sent->attempts, 1);

  // Marking a row that is not claimed is refused.
  EXPECT_EQ(box.mark_sent(*id).error().kind, ErrorKind::conflict);
  EXPECT_EQ(box.mark_failed(*id, "x").error().kind, ErrorKind::conflict);
}

TEST_P(NotifyOutboxTest, ClaimOnlyTakesTheChannelsAsked) {
  auto box = outbox();
  ASSERT_TRUE(box.enqueue(reminder(1)));
  ASSERT_TRUE(box.enqueue(Message{.channel = Channel::webhook, .recipient = "0912345678", .body = "Cần gấp máu O",
                                  .kind = "blood.callout", .ref = "callout:7"}));
  auto sms = box.claim(10, {Channel::webhook});
  ASSERT_EQ(sms->size(), 1u);
  EXPECT_EQ(sms->front().message.channel, Channel::webhook);
  EXPECT_TRUE(box.claim(10, {})->empty());
  EXPECT_EQ(box.claim(10, {Channel::email})->size(), 1u);
}

TEST_P(NotifyOutboxTest, ConcurrentClaimsNeverShareARow) {
  auto box = outbox();
  constexpr int kMessages = 120;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    for (int i = 0; i < kMessages; ++i) CHIDOAN_TRY_VOID(box.enqueue(reminder(i)));
    return {};
  }));
  auto pool = open_pool(4);
  std::mutex mu;
  std::vector<int64_t> claimed;
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      auto c = pool->acquire();
      Outbox mine(*c, clock);
      for (;;) {
        auto got = mine.claim(3, {Channel::email});
        if (!got) {
          ++errors;
          return;
        }
        if (got->empty()) return;
        std::lock_guard lock(mu);
        for (const auto& e : *got) claimed.push_back(e.id);
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(std::set<int64_t>(claimed.begin(), claimed.end()).size(), static_cast<size_t>(kMessages));
}

TEST_P(NotifyOutboxTest, RecentListsNewestFirst) {
  auto box = outbox();
  ASSERT_TRUE(box.enqueue(reminder(1)));
  clock.advance(1min);
  ASSERT_TRUE(box.enqueue(reminder(2)));
  auto list = box.recent(10);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->front().message.ref, "donor:2:2021-06-02");
  EXPECT_EQ(box.recent(1)->size(), 1u);
}

TEST_P(NotifyOutboxTest, DispatcherSendsRetriesAndLeavesUnconfiguredChannels) {
  auto box = outbox();
  FakeTransport email;
  Dispatcher dispatcher(clock, Transports{.email = &email});
  ASSERT_TRUE(box.enqueue(reminder(1)));
  ASSERT_TRUE(box.enqueue(reminder(2)));
  auto sms = box.enqueue(Message{.channel = Channel::webhook, .recipient = "0912345678", .body = "Cần gấp máu O",
                                 .kind = "blood.callout", .ref = "callout:7"});

  auto d = dispatcher.deliver_pending(*conn);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->sent, 2);
  ASSERT_EQ(email.sent.size(), 2u);
  EXPECT_EQ(email.sent[0].recipient, "donor1@example.org");
  EXPECT_EQ(box.get(*sms)->status, Status::pending);  // no webhook configured

  ASSERT_TRUE(box.enqueue(reminder(3)));
  email.errors["donor3@example.org"] = Error{ErrorKind::unavailable, "SMTP: Connection refused"};
  d = dispatcher.deliver_pending(*conn);
  EXPECT_EQ(d->retrying, 1);
  EXPECT_EQ(dispatcher.deliver_pending(*conn)->retrying, 0);  // not due again yet

  ASSERT_TRUE(box.enqueue(reminder(4)));
  email.errors["donor4@example.org"] = Error{ErrorKind::invalid, "bad"};
  clock.advance(1min);
  d = dispatcher.deliver_pending(*conn);
  EXPECT_EQ(d->failed, 1);    // reminder 4: invalid is permanent
  EXPECT_EQ(d->retrying, 1);  // reminder 3: second try
  EXPECT_EQ(box.get(*box.enqueue(reminder(3)))->attempts, 2);

  // Never across network I/O inside a transaction.
  auto inside = conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(dispatcher.deliver_pending(*conn));
    return {};
  });
  ASSERT_FALSE(inside);
  EXPECT_EQ(inside.error().kind, ErrorKind::internal);
}

TEST_P(NotifyOutboxTest, WorkerDeliversUntilStopped) {
  FakeTransport email;
  SystemClock system_clock;
  Dispatcher dispatcher(system_clock, Transports{.email = &email});
  auto pool = open_pool(1);
  std::vector<Error> errors;
  {
    Worker worker(*pool, dispatcher, 1h, [&](const Error& e) { errors.push_back(e); });
    {
      auto c = pool->acquire();
      ASSERT_TRUE(Outbox(*c, system_clock).enqueue(reminder(1)));
    }
    worker.wake();
    for (int i = 0; i < 500 && (email.count() == 0 || worker.rounds() == 0); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(email.count(), 1u);
    EXPECT_GE(worker.rounds(), 1);
  }  // the destructor stops it, long before the hour is up
  EXPECT_TRUE(errors.empty());
}

CHIDOAN_INSTANTIATE_DB_TEST(NotifyOutboxTest);

TEST(NotifyRetryDelay, Schedule) {
  EXPECT_EQ(retry_delay(1), 1min);
  EXPECT_EQ(retry_delay(2), 5min);
  EXPECT_EQ(retry_delay(3), 30min);
  EXPECT_EQ(retry_delay(4), 2h);
  EXPECT_EQ(retry_delay(5), std::nullopt);
  EXPECT_EQ(kMaxAttempts, 5);
}

}  // namespace
}  // namespace chidoan::notify
