#include "platform/notify/outbox.hpp"

#include <algorithm>
#include <tuple>

#include "platform/text/text.hpp"

namespace chidoan::notify {

namespace {

constexpr std::string_view kColumns =
    "id, channel, recipient, subject, body, kind, ref, status, attempts, next_attempt_at, "
    "last_error, created_at, sent_at";

// Rows a worker may take now: pending and due, or claimed by a worker whose lease ran out.
constexpr std::string_view kDue =
    "((status = 'pending' AND next_attempt_at <= ?1) OR (status = 'sending' AND claimed_until <= ?1))";

Status parse_status(const std::string& s) {
  for (Status st : {Status::pending, Status::sending, Status::sent, Status::failed})
    if (s == status_name(st)) return st;
  return Status::failed;
}

Entry to_entry(const db::Row& r) {
  Entry e;
  e.id = r.i64(0);
  e.message.channel = r.str(1) == "webhook" ? Channel::webhook : Channel::email;
  e.message.recipient = r.str(2);
  e.message.subject = r.str(3);
  e.message.body = r.str(4);
  e.message.kind = r.str(5);
  e.message.ref = r.str(6);
  e.status = parse_status(r.str(7));
  e.attempts = r.i64(8);
  e.next_attempt_at = r.i64(9);
  e.last_error = r.str(10);
  e.created_at = r.i64(11);
  e.sent_at = r.opt_i64(12);
  return e;
}

std::vector<Entry> to_entries(const std::vector<db::Row>& rows) {
  std::vector<Entry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(to_entry(r));
  return out;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// At most `max` bytes of `s`, not cutting a character in two.
std::string utf8_prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;
  return std::string(s.substr(0, max));
}

}  // namespace

bool is_email_address(std::string_view a) {
  auto at = a.find('@');
  return a.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < a.size() &&
         a.find('@', at + 1) == std::string_view::npos && a.find('.', at) != std::string_view::npos &&
         a.find_first_of(" <>,;:\"()[]\\") == std::string_view::npos && !has_control(a);
}

Result<void> validate(const Message& m) {
  if (m.channel == Channel::email ? !is_email_address(m.recipient)
                                  : m.recipient.empty() || has_control(m.recipient))
    return fail(ErrorKind::invalid, "Người nhận không hợp lệ: '" + m.recipient + "'", "recipient");
  if (has_control(m.subject) || !text::is_valid_utf8(m.subject))
    return fail(ErrorKind::invalid, "Tiêu đề phải là một dòng văn bản UTF-8", "subject");
  if (m.channel == Channel::email && m.subject.empty())
    return fail(ErrorKind::invalid, "E-mail cần có tiêu đề", "subject");
  if (m.body.empty() || !text::is_valid_utf8(m.body))
    return fail(ErrorKind::invalid, "Nội dung trống hoặc không phải UTF-8", "body");
  if (m.kind.empty()) return fail(ErrorKind::invalid, "Thiếu loại thông báo", "kind");
  return {};
}

const char* channel_name(Channel c) { return c == Channel::email ? "email" : "webhook"; }

const char* status_name(Status s) {
  switch (s) {
    case Status::pending: return "pending";
    case Status::sending: return "sending";
    case Status::sent: return "sent";
    case Status::failed: return "failed";
  }
  return "failed";
}

std::optional<std::chrono::seconds> retry_delay(int64_t attempts) {
  if (attempts < 1 || attempts > static_cast<int64_t>(kRetryDelays.size())) return std::nullopt;
  return kRetryDelays[static_cast<size_t>(attempts - 1)];
}

Result<int64_t> Outbox::enqueue(const Message& m) {
  CHIDOAN_TRY_VOID(validate(m));
  int64_t now = clock_.unix_seconds();
  // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a failed INSERT
  // would abort the caller's whole transaction.
  CHIDOAN_TRY(rows, conn_.query(
      "INSERT INTO outbox (channel, recipient, subject, body, kind, ref, next_attempt_at, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (kind, ref) DO NOTHING RETURNING id",
      {std::string(channel_name(m.channel)), m.recipient, m.subject, m.body, m.kind, db::nullable(m.ref),
       std::max(now, m.not_before), now}));
  if (!rows.empty()) return rows[0].i64(0);
  CHIDOAN_TRY(row, conn_.query_one("SELECT id FROM outbox WHERE kind = ?1 AND ref = ?2", {m.kind, m.ref}));
  if (!row) return fail(ErrorKind::internal, "outbox: (kind, ref) conflict without a row");
  return row->i64(0);
}

Result<std::vector<Entry>> Outbox::select(std::string_view where_and_order, const std::vector<db::Value>& params) {
  CHIDOAN_TRY(rows, conn_.query("SELECT " + std::string(kColumns) + " FROM outbox " + std::string(where_and_order),
                                params));
  return to_entries(rows);
}

Result<std::vector<Entry>> Outbox::pending(int limit) {
  return select("WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
                {clock_.unix_seconds(), int64_t{limit}});
}

Result<std::vector<Entry>> Outbox::claim(int limit, const std::vector<Channel>& channels, std::chrono::seconds lease) {
  if (channels.empty() || limit <= 0) return std::vector<Entry>{};
  int64_t now = clock_.unix_seconds();
  // kDue is repeated outside the subquery: on PostgreSQL an UPDATE that waited for another
  // worker's claim re-checks it on the row as that worker left it, and skips the row.
  std::string sql = "UPDATE outbox SET status = 'sending', claimed_until = ?2 WHERE id IN (SELECT id FROM outbox WHERE " +
                    std::string(kDue) + " AND channel IN (?4, ?5) ORDER BY next_attempt_at, id LIMIT ?3) AND " +
                    std::string(kDue) + " RETURNING " + std::string(kColumns);
  CHIDOAN_TRY(rows, conn_.query(sql, {now, now + lease.count(), int64_t{limit},
                                      std::string(channel_name(channels.front())),
                                      std::string(channel_name(channels.back()))}));
  std::vector<Entry> out = to_entries(rows);
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
  });
  return out;
}

Result<void> Outbox::mark_sent(int64_t id) {
  int64_t now = clock_.unix_seconds();
  CHIDOAN_TRY(n, conn_.execute("UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?2, "
                               "claimed_until = NULL, last_error = NULL WHERE id = ?1 AND status = 'sending'",
                               {id, now}));
  if (n == 0) return fail(ErrorKind::conflict, "outbox: notice " + std::to_string(id) + " is not being sent");
  return {};
}

Result<Status> Outbox::mark_failed(int64_t id, std::string_view error, bool permanent) {
  CHIDOAN_TRY(row, conn_.query_one("SELECT attempts FROM outbox WHERE id = ?1 AND status = 'sending'", {id}));
  if (!row) return fail(ErrorKind::conflict, "outbox: notice " + std::to_string(id) + " is not being sent");
  int64_t attempts = row->i64(0) + 1;
  std::optional<std::chrono::seconds> delay;
  if (!permanent) delay = retry_delay(attempts);
  Status next = delay ? Status::pending : Status::failed;
  int64_t at = clock_.unix_seconds() + (delay ? delay->count() : 0);
  // The attempts guard makes the read-then-write safe without a transaction.
  CHIDOAN_TRY(n, conn_.execute("UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5, "
                               "claimed_until = NULL WHERE id = ?1 AND status = 'sending' AND attempts = ?6",
                               {id, std::string(status_name(next)), attempts, at,
                                utf8_prefix(error, 2000), attempts - 1}));
  if (n == 0) return fail(ErrorKind::conflict, "outbox: notice " + std::to_string(id) + " changed while failing");
  return next;
}

Result<Entry> Outbox::get(int64_t id) {
  CHIDOAN_TRY(rows, select("WHERE id = ?1", {id}));
  if (rows.empty()) return fail(ErrorKind::not_found, "Không có thông báo " + std::to_string(id));
  return std::move(rows[0]);
}

Result<std::vector<Entry>> Outbox::recent(int limit) {
  return select("ORDER BY created_at DESC, id DESC LIMIT ?1", {int64_t{limit}});
}

}  // namespace chidoan::notify
