#include "ideas/talk_store.hpp"

#include <map>

namespace chidoan::ideas {
namespace {

using talk_rules::Comment;

constexpr const char* kCommentColumns =
    "c.id, c.idea_id, c.parent_id, c.thread, c.user_id, c.member_id, c.author_name, COALESCE(mt.title, ''), "
    "mt.user_id, c.body, c.created_at, c.hidden, "
    "(SELECT COUNT(*) FROM idea_reports r WHERE r.target = 'comment' AND r.target_id = c.id AND r.resolved_at IS NULL) "
    "FROM idea_comments c JOIN ideas i ON i.id = c.idea_id "
    "LEFT JOIN idea_mentors mt ON mt.forum_id = i.forum_id AND mt.user_id = c.user_id ";

Comment comment_of(const db::Row& r) {
  Comment c;
  c.id = r.i64(0);
  c.idea_id = r.i64(1);
  c.parent_id = r.opt_i64(2);
  c.thread = r.str(3);
  c.user_id = r.i64(4);
  c.member_id = r.opt_i64(5);
  c.author_name = r.str(6);
  c.mentor_title = r.is_null(8) ? "" : (r.str(7).empty() ? "Người hướng dẫn" : r.str(7));
  c.body = r.str(9);
  c.created_at = r.i64(10);
  c.hidden = r.i64(11) != 0;
  c.pending_reports = r.i64(12);
  return c;
}

const char* table_of(const std::string& target) { return target == "idea" ? "ideas" : "idea_comments"; }

}  // namespace

Result<TalkIdea> TalkStore::idea(int64_t idea_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT i.id, i.title, i.state, i.hidden, f.id, f.title, f.org_id, i.submitted_at FROM ideas i "
                                 "JOIN idea_forums f ON f.id = i.forum_id WHERE i.id = ?1",
                                 {idea_id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy ý tưởng");
  return TalkIdea{row->i64(0), row->str(1), row->str(2), row->i64(3) != 0, !row->is_null(7), row->i64(4), row->str(5), row->i64(6)};
}

Result<std::vector<Comment>> TalkStore::comments(int64_t idea_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kCommentColumns + "WHERE c.idea_id = ?1 ORDER BY c.created_at, c.id", {idea_id}));
  std::vector<Comment> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(comment_of(r));
  return out;
}

Result<Comment> TalkStore::comment(int64_t comment_id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kCommentColumns + "WHERE c.id = ?1", {comment_id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy bình luận");
  return comment_of(*row);
}

Result<int64_t> TalkStore::add_comment(int64_t idea_id, const std::string& thread, const talk_rules::CommentInput& in,
                                       int64_t user_id, std::optional<int64_t> member_id, const std::string& author_name) {
  return db_.insert_id(
      "INSERT INTO idea_comments (idea_id, parent_id, thread, user_id, member_id, author_name, body, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
      {idea_id, db::nullable(in.parent_id), thread, user_id, db::nullable(member_id), author_name, in.body, clock_.unix_seconds()});
}

Result<bool> TalkStore::reported_by(const std::string& target, int64_t target_id, int64_t user_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT 1 FROM idea_reports WHERE target = ?1 AND target_id = ?2 AND user_id = ?3",
                                 {target, target_id, user_id}));
  return row.has_value();
}

Result<int64_t> TalkStore::report(const std::string& target, int64_t target_id, int64_t idea_id, int64_t user_id,
                                  std::optional<int64_t> member_id, const std::string& reason) {
  // The reported row is locked first: PostgreSQL runs at READ COMMITTED, and two reports counted
  // at once would each see one pending report too few, so the third would not hide.
  CHIDOAN_TRY_VOID(db_.execute(std::string("UPDATE ") + table_of(target) + " SET hidden = hidden WHERE id = ?1", {target_id}));
  // Asked first: on PostgreSQL a failed INSERT would abort the caller's transaction.
  CHIDOAN_TRY(again, reported_by(target, target_id, user_id));
  if (again) return fail(ErrorKind::conflict, "Bạn đã báo cáo nội dung này rồi; người kiểm duyệt sẽ xem xét", "reason");
  auto added = db_.execute("INSERT INTO idea_reports (target, target_id, idea_id, user_id, member_id, reason, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           {target, target_id, idea_id, user_id, db::nullable(member_id), reason, clock_.unix_seconds()});
  if (!added) {
    if (added.error().kind == ErrorKind::conflict)
      return fail(ErrorKind::conflict, "Bạn đã báo cáo nội dung này rồi; người kiểm duyệt sẽ xem xét", "reason");
    return std::unexpected(added.error());
  }
  CHIDOAN_TRY(row, db_.query_one("SELECT COUNT(*) FROM idea_reports WHERE target = ?1 AND target_id = ?2 AND resolved_at IS NULL",
                                 {target, target_id}));
  return row ? row->i64(0) : 0;
}

Result<std::set<int64_t>> TalkStore::reported_comments(int64_t idea_id, int64_t user_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT target_id FROM idea_reports WHERE idea_id = ?1 AND user_id = ?2 AND target = 'comment'",
                              {idea_id, user_id}));
  std::set<int64_t> out;
  for (const auto& r : rows) out.insert(r.i64(0));
  return out;
}

Result<void> TalkStore::set_hidden(const std::string& target, int64_t target_id, bool hidden) {
  CHIDOAN_TRY_VOID(db_.execute(std::string("UPDATE ") + table_of(target) + " SET hidden = ?1 WHERE id = ?2",
                               {int64_t{hidden ? 1 : 0}, target_id}));
  return {};
}

Result<int64_t> TalkStore::resolve(const std::string& target, int64_t target_id, const std::string& resolution, int64_t user_id) {
  return db_.execute("UPDATE idea_reports SET resolved_at = ?1, resolution = ?2, resolved_by = ?3 "
                     "WHERE target = ?4 AND target_id = ?5 AND resolved_at IS NULL",
                     {clock_.unix_seconds(), resolution, user_id, target, target_id});
}

Result<std::vector<QueueItem>> TalkStore::queue(int64_t org_id) {
  constexpr const char* kPendingOf =
      "EXISTS (SELECT 1 FROM idea_reports r WHERE r.target = ?2 AND r.target_id = %ID% AND r.resolved_at IS NULL)";
  auto with = [&](std::string s, const char* id) {
    std::string p = kPendingOf;
    p.replace(p.find("%ID%"), 4, id);
    s.replace(s.find("%PENDING%"), 9, p);
    return s;
  };
  const std::string scope = "JOIN idea_forums f ON f.id = i.forum_id JOIN orgs o ON o.id = f.org_id JOIN orgs top ON top.id = ?1 "
                            "WHERE o.path LIKE top.path || '%' ";
  CHIDOAN_TRY(ideas, db_.query(with("SELECT i.id, i.id, i.title, f.id, f.title, i.title, '', i.hidden FROM ideas i " + scope +
                                        "AND (i.hidden = 1 OR %PENDING%) ORDER BY i.id DESC",
                                    "i.id"),
                               {org_id, std::string("idea")}));
  CHIDOAN_TRY(comments, db_.query(with("SELECT c.id, i.id, i.title, f.id, f.title, c.body, c.author_name, c.hidden "
                                       "FROM idea_comments c JOIN ideas i ON i.id = c.idea_id " +
                                           scope + "AND (c.hidden = 1 OR %PENDING%) ORDER BY c.id DESC",
                                       "c.id"),
                                  {org_id, std::string("comment")}));
  // Every pending report of the subtree in one query, grouped by target below.
  CHIDOAN_TRY(reports, db_.query("SELECT r.target, r.target_id, r.id, u.display_name, r.reason, r.created_at FROM idea_reports r "
                                 "JOIN users u ON u.id = r.user_id JOIN ideas i ON i.id = r.idea_id " +
                                     scope + "AND r.resolved_at IS NULL ORDER BY r.created_at DESC, r.id DESC",
                                 {org_id}));
  std::map<std::pair<std::string, int64_t>, std::vector<Report>> pending_of;
  for (const auto& r : reports) pending_of[{r.str(0), r.i64(1)}].push_back(Report{r.i64(2), r.str(3), r.str(4), r.i64(5)});
  std::vector<QueueItem> out;
  auto add = [&](const std::vector<db::Row>& rows, const std::string& target) {
    for (const auto& r : rows) {
      QueueItem q{target, r.i64(0), r.i64(1), r.str(2), r.i64(3), r.str(4), r.str(5), r.str(6), r.i64(7) != 0, {}};
      if (auto it = pending_of.find({target, q.target_id}); it != pending_of.end()) q.pending = std::move(it->second);
      out.push_back(std::move(q));
    }
  };
  add(ideas, "idea");
  add(comments, "comment");
  return out;
}

Result<std::vector<TitleRow>> TalkStore::titles(int64_t forum_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT id, title, title_key, state FROM ideas WHERE forum_id = ?1 AND hidden = 0 AND submitted_at IS NOT NULL "
                              "ORDER BY id",
                              {forum_id}));
  std::vector<TitleRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(TitleRow{r.i64(0), r.str(1), r.str(2), r.str(3)});
  return out;
}

}  // namespace chidoan::ideas
