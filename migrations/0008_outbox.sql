-- Notification outbox (hộp thư đi): a notice is written in the same transaction as the business
-- change that causes it, and a worker sends it later (e-mail over SMTP, SMS/Zalo through a
-- webhook). src/platform/notify/outbox.hpp has the life of a row.
-- Instants are BIGINT unix seconds.

-- status: pending -> sending (claimed by one worker until claimed_until) -> sent, or back to
-- pending with a later next_attempt_at, or failed after the last attempt. A 'sending' row whose
-- claim has run out (its worker died) is claimed again.
-- (kind, ref) names the notice, e.g. ('blood.reminder', 'donor:12:2021-06-02'): enqueuing it
-- twice is a no-op. ref NULL: never deduplicated.
CREATE TABLE outbox (
  id {{ID}},
  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  UNIQUE (kind, ref)
);
-- The worker's pick: due rows by status and time.
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
-- The admin page: newest first.
CREATE INDEX outbox_created ON outbox(created_at);
