#include "ideas/notices.hpp"

#include <map>

#include "platform/notify/outbox.hpp"
#include "platform/text/text.hpp"

namespace chidoan::ideas::notices {
namespace {

using nlohmann::json;

// One notice row; a duplicate (recipient, idea, kind, ref) with a ref is skipped by the unique
// indexes of idea_notices.
Result<void> insert(db::Connection& conn, std::optional<int64_t> member_id, std::optional<int64_t> user_id,
                    int64_t idea_id, const std::string& kind, const std::string& text, int64_t at,
                    const std::string& ref) {
  CHIDOAN_TRY_VOID(conn.execute(
      "INSERT INTO idea_notices (member_id, user_id, idea_id, kind, text, ref, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
      {db::nullable(member_id), db::nullable(user_id), idea_id, kind, text, ref, at}));
  return {};
}

// "(member_id = ?1 OR (member_id IS NULL AND user_id = ?2))" with a member id of -1 for none.
constexpr const char* kMine = "(n.member_id = ?1 OR (n.member_id IS NULL AND n.user_id = ?2))";
int64_t member_of(const Recipient& r) { return r.member_id.value_or(-1); }

}  // namespace

Result<void> tell_authors(db::Connection& conn, int64_t idea_id, const std::string& kind, const std::string& text,
                          int64_t at, std::optional<int64_t> except_member, const std::string& ref) {
  CHIDOAN_TRY(rows, conn.query("SELECT member_id FROM idea_authors WHERE idea_id = ?1 AND status = 'accepted' "
                               "AND member_id <> ?2 ORDER BY member_id",
                               {idea_id, except_member.value_or(-1)}));
  for (const auto& row : rows) CHIDOAN_TRY_VOID(insert(conn, row.i64(0), std::nullopt, idea_id, kind, text, at, ref));
  return {};
}

Result<void> tell_user(db::Connection& conn, int64_t user_id, int64_t idea_id, const std::string& kind,
                       const std::string& text, int64_t at, const std::string& ref) {
  CHIDOAN_TRY(row, conn.query_one("SELECT member_id FROM users WHERE id = ?1", {user_id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy người dùng.", "user_id");
  if (auto member = row->opt_i64(0)) return insert(conn, *member, std::nullopt, idea_id, kind, text, at, ref);
  return insert(conn, std::nullopt, user_id, idea_id, kind, text, at, ref);
}

Result<std::vector<Notice>> list(db::Connection& conn, const Recipient& r, int limit) {
  CHIDOAN_TRY(rows, conn.query(std::string("SELECT n.id, n.idea_id, i.title, i.forum_id, n.kind, n.text, n.created_at, "
                                           "n.read_at FROM idea_notices n JOIN ideas i ON i.id = n.idea_id WHERE ") +
                                   kMine + " ORDER BY n.created_at DESC, n.id DESC LIMIT ?3",
                               {member_of(r), r.user_id, int64_t{limit}}));
  std::vector<Notice> out;
  out.reserve(rows.size());
  for (const auto& row : rows)
    out.push_back(Notice{row.i64(0), row.i64(1), row.str(2), row.i64(3), row.str(4), row.str(5), row.i64(6),
                         row.opt_i64(7)});
  return out;
}

Result<int64_t> unread_count(db::Connection& conn, const Recipient& r) {
  CHIDOAN_TRY(row, conn.query_one(std::string("SELECT COUNT(*) FROM idea_notices n WHERE ") + kMine +
                                      " AND n.read_at IS NULL",
                                  {member_of(r), r.user_id}));
  return row ? row->i64(0) : 0;
}

Result<int64_t> mark_read(db::Connection& conn, const Recipient& r, std::optional<int64_t> id, int64_t at) {
  if (!id) {
    return conn.execute(std::string("UPDATE idea_notices AS n SET read_at = ?3 WHERE ") + kMine + " AND n.read_at IS NULL",
                        {member_of(r), r.user_id, at});
  }
  CHIDOAN_TRY(row, conn.query_one(std::string("SELECT n.read_at FROM idea_notices n WHERE ") + kMine + " AND n.id = ?3",
                                  {member_of(r), r.user_id, *id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy thông báo.", "id");
  if (!row->is_null(0)) return int64_t{0};
  return conn.execute("UPDATE idea_notices SET read_at = ?1 WHERE id = ?2 AND read_at IS NULL", {at, *id});
}

Result<int> enqueue_digests(db::Connection& conn, const Clock& clock, const render::Renderer& texts, Date on) {
  const std::string day = to_iso(on);
  const int64_t before = unix_of_local(day + "T00:00");
  // The recipient's member record: the notice's own, or the member record of its user.
  CHIDOAN_TRY(rows, conn.query(
      "SELECT n.id, n.member_id, n.user_id, COALESCE(m.email, ''), COALESCE(m.given_name, ''), n.read_at, i.title, "
      "n.text, n.created_at FROM idea_notices n JOIN ideas i ON i.id = n.idea_id "
      "LEFT JOIN users u ON u.id = n.user_id LEFT JOIN members m ON m.id = COALESCE(n.member_id, u.member_id) "
      "WHERE n.digested_at IS NULL AND n.created_at < ?1 ORDER BY n.member_id, n.user_id, n.created_at, n.id",
      {before}));
  struct Digest {
    std::string ref, email, name;
    json items = json::array();
  };
  std::map<std::string, Digest> digests;  // by ref
  for (const auto& row : rows) {
    const std::string ref = row.is_null(1) ? "user:" + row.str(2) + ":" + day : "member:" + row.str(1) + ":" + day;
    auto& d = digests[ref];
    d.ref = ref;
    d.email = row.str(3);
    d.name = row.str(4);
    if (row.is_null(5))
      d.items.push_back(json{{"idea", row.str(6)}, {"text", row.str(7)}, {"at", text::format_date(local_time(row.i64(8)).substr(0, 10))}});
  }
  notify::Outbox outbox(conn, clock);
  int n = 0;
  for (auto& [ref, d] : digests) {
    if (d.items.empty() || !notify::is_email_address(d.email)) continue;
    notify::Message m;
    m.channel = notify::Channel::email;
    m.recipient = d.email;
    m.kind = "ideas.digest";
    m.ref = ref;
    std::string all = texts.render("ideas/notices_digest",
                                   json{{"name", d.name}, {"date", text::format_date(day)}, {"items", d.items},
                                        {"count", d.items.size()}});
    size_t nl = all.find('\n');
    m.subject = all.substr(0, nl);
    m.body = nl == std::string::npos ? "" : all.substr(nl + 1);
    while (!m.body.empty() && m.body.front() == '\n') m.body.erase(0, 1);
    CHIDOAN_TRY_VOID(outbox.enqueue(m));
    ++n;
  }
  CHIDOAN_TRY_VOID(conn.execute("UPDATE idea_notices SET digested_at = ?1 WHERE digested_at IS NULL AND created_at < ?2",
                                {clock.unix_seconds(), before}));
  return n;
}

}  // namespace chidoan::ideas::notices
