#include "ideas/store.hpp"

#include <algorithm>
#include <map>

#include "org/store.hpp"
#include "platform/text/text.hpp"

namespace chidoan::ideas {
namespace {

using db::Row;
using db::Value;

db::Value flag(bool b) { return int64_t{b ? 1 : 0}; }
db::Value text_or_null(const std::optional<std::string>& s) { return s ? Value(*s) : Value(nullptr); }

constexpr const char* kForumColumns =
    "f.id, f.org_id, o.name, f.title, f.description, f.kind, f.held_on, f.opens_on, f.closes_on, f.post_scope, f.support_scope, "
    "f.support_threshold, f.self_support, f.activity_id, f.created_at FROM idea_forums f JOIN orgs o ON o.id = f.org_id";
Forum forum_from(const Row& r) {
  Forum f;
  f.id = r.i64(0);
  f.org_id = r.i64(1);
  f.org_name = r.str(2);
  f.title = r.str(3);
  f.description = r.str(4);
  f.kind = r.str(5);
  f.held_on = r.opt_str(6);
  f.opens_on = r.str(7);
  f.closes_on = r.opt_str(8);
  f.post_scope = r.str(9);
  f.support_scope = r.str(10);
  f.support_threshold = r.i64(11);
  f.self_support = r.i64(12) != 0;
  f.activity_id = r.opt_i64(13);
  f.created_at = r.i64(14);
  return f;
}

constexpr const char* kIdeaColumns =
    "i.id, i.forum_id, i.title, i.problem, i.proposal, i.benefit, i.state, i.answer, i.outcome, i.implemented_on, i.hidden, "
    "i.created_at, i.updated_at, i.submitted_at, (SELECT COUNT(*) FROM idea_supports s WHERE s.idea_id = i.id) "
    "FROM ideas i";
Idea idea_from(const Row& r) {
  Idea i;
  i.id = r.i64(0);
  i.forum_id = r.i64(1);
  i.title = r.str(2);
  i.problem = r.str(3);
  i.proposal = r.str(4);
  i.benefit = r.str(5);
  i.state = r.str(6);
  i.answer = r.str(7);
  i.outcome = r.str(8);
  i.implemented_on = r.opt_str(9);
  i.hidden = r.i64(10) != 0;
  i.created_at = r.i64(11);
  i.updated_at = r.i64(12);
  i.submitted_at = r.opt_i64(13);
  i.supports = r.i64(14);
  return i;
}

std::vector<Value> forum_params(const rules::ForumInput& in) {
  return {in.title,         in.description,   in.kind,
          text_or_null(in.held_on), in.opens_on,  text_or_null(in.closes_on),
          in.post_scope,    in.support_scope, in.support_threshold,
          flag(in.self_support), db::nullable(in.activity_id)};
}

}  // namespace

// ---- Forums

Result<int64_t> Store::create_forum(int64_t org_id, const rules::ForumInput& in) {
  if (in.activity_id) CHIDOAN_TRY_VOID(check_activity(org_id, *in.activity_id));
  auto params = forum_params(in);
  params.push_back(org_id);
  params.push_back(clock_.unix_seconds());
  return db_.insert_id(
      "INSERT INTO idea_forums (title, description, kind, held_on, opens_on, closes_on, post_scope, support_scope, support_threshold, "
      "self_support, activity_id, org_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
      params);
}

Result<void> Store::update_forum(int64_t id, const rules::ForumInput& in) {
  CHIDOAN_TRY(f, forum(id));
  if (in.activity_id) CHIDOAN_TRY_VOID(check_activity(f.org_id, *in.activity_id));
  auto params = forum_params(in);
  params.push_back(id);
  CHIDOAN_TRY_VOID(db_.execute("UPDATE idea_forums SET title = ?1, description = ?2, kind = ?3, held_on = ?4, opens_on = ?5, closes_on = ?6, "
                               "post_scope = ?7, support_scope = ?8, support_threshold = ?9, self_support = ?10, activity_id = ?11 WHERE id = ?12",
                               params));
  return {};
}

Result<Forum> Store::forum(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kForumColumns + " WHERE f.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có diễn đàn này");
  return forum_from(*row);
}

Result<std::vector<Forum>> Store::forums(int64_t org_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kForumColumns +
                                  " JOIN orgs top ON top.id = ?1 WHERE o.path LIKE top.path || '%' ORDER BY f.opens_on DESC, f.id DESC",
                              {org_id}));
  std::vector<Forum> out;
  for (const auto& r : rows) out.push_back(forum_from(r));
  return out;
}

Result<void> Store::check_activity(int64_t org_id, int64_t activity_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT id FROM activities WHERE id = ?1 AND org_id = ?2", {activity_id, org_id}));
  if (!row) return fail(ErrorKind::invalid, "Hoạt động không thuộc tổ chức của diễn đàn", "activity_id");
  return {};
}

Result<std::vector<Mentor>> Store::mentors(int64_t forum_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT m.forum_id, m.user_id, u.display_name, m.title, u.username FROM idea_mentors m "
                              "JOIN users u ON u.id = m.user_id WHERE m.forum_id = ?1 ORDER BY u.display_name, u.id",
                              {forum_id}));
  std::vector<Mentor> out;
  for (const auto& r : rows) out.push_back(Mentor{r.i64(0), r.i64(1), r.str(2).empty() ? r.str(4) : r.str(2), r.str(3)});
  return out;
}

Result<void> Store::put_mentor(int64_t forum_id, int64_t user_id, const std::string& title) {
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO idea_mentors (forum_id, user_id, title) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (forum_id, user_id) DO UPDATE SET title = excluded.title",
                               {forum_id, user_id, title}));
  return {};
}

Result<void> Store::remove_mentor(int64_t forum_id, int64_t user_id) {
  CHIDOAN_TRY(n, db_.execute("DELETE FROM idea_mentors WHERE forum_id = ?1 AND user_id = ?2", {forum_id, user_id}));
  if (n == 0) return fail(ErrorKind::not_found, "Người này không phải người hướng dẫn của diễn đàn");
  return {};
}

Result<bool> Store::is_mentor(int64_t forum_id, int64_t user_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT 1 FROM idea_mentors WHERE forum_id = ?1 AND user_id = ?2", {forum_id, user_id}));
  return row.has_value();
}

Result<std::optional<int64_t>> Store::user_who_sees(const std::string& username, int64_t org_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT u.id FROM users u JOIN orgs uo ON uo.id = u.org_id JOIN orgs fo ON fo.id = ?2 "
                                 "WHERE u.username = ?1 AND u.disabled = 0 AND fo.path LIKE uo.path || '%'",
                                 {username, org_id}));
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(row->i64(0));
}

Result<bool> Store::member_in(int64_t org_id, int64_t member_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT m.id FROM members m JOIN orgs b ON b.id = m.branch_id JOIN orgs top ON top.id = ?1 "
                                 "WHERE m.id = ?2 AND m.status = 'active' AND b.path LIKE top.path || '%'",
                                 {org_id, member_id}));
  return row.has_value();
}

// ---- Ideas

Result<int64_t> Store::insert_idea(int64_t forum_id, const IdeaRecord& r) {
  return db_.insert_id(
      "INSERT INTO ideas (forum_id, title, title_key, problem, proposal, benefit, state, answer, outcome, implemented_on, hidden, "
      "created_at, updated_at, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
      {forum_id, r.text.title, text::search_fold(r.text.title), r.text.problem, r.text.proposal, r.text.benefit, r.state, r.answer,
       r.outcome, text_or_null(r.implemented_on), flag(r.hidden), r.created_at, r.updated_at, db::nullable(r.submitted_at)});
}

Result<void> Store::insert_author(int64_t idea_id, const Author& a) {
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO idea_authors (idea_id, member_id, role, status, requested_at, accepted_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               {idea_id, a.member_id, a.role, a.status, a.requested_at, db::nullable(a.accepted_at)}));
  return {};
}

Result<void> Store::insert_event(int64_t idea_id, const Event& e) {
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO idea_events (idea_id, at, from_state, to_state, user_id, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               {idea_id, e.at, text_or_null(e.from_state), e.to_state, db::nullable(e.user_id), e.note}));
  return {};
}

Result<void> Store::insert_support(int64_t idea_id, int64_t member_id, int64_t at) {
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO idea_supports (idea_id, member_id, at) VALUES (?1, ?2, ?3)", {idea_id, member_id, at}));
  return {};
}

Result<int64_t> Store::create_idea(int64_t forum_id, int64_t member_id, const rules::IdeaInput& in, std::optional<int64_t> user_id) {
  const int64_t now = clock_.unix_seconds();
  IdeaRecord r;
  r.text = in;
  r.state = "draft";
  r.created_at = r.updated_at = now;
  CHIDOAN_TRY(id, insert_idea(forum_id, r));
  Author a;
  a.member_id = member_id;
  a.requested_at = now;
  a.accepted_at = now;
  CHIDOAN_TRY_VOID(insert_author(id, a));
  Event e;
  e.at = now;
  e.to_state = "draft";
  e.user_id = user_id;
  CHIDOAN_TRY_VOID(insert_event(id, e));
  return id;
}

Result<void> Store::update_idea(int64_t id, const rules::IdeaInput& in) {
  // Only while the text may change (rules::text_editable): an edit racing with a move finds
  // the idea moved and changes nothing.
  CHIDOAN_TRY(n, db_.execute("UPDATE ideas SET title = ?2, title_key = ?3, problem = ?4, proposal = ?5, benefit = ?6, updated_at = ?7 "
                             "WHERE id = ?1 AND state IN ('draft', 'submitted')",
                             {id, in.title, text::search_fold(in.title), in.problem, in.proposal, in.benefit, clock_.unix_seconds()}));
  if (n == 0) return fail(ErrorKind::conflict, "Ý tưởng đã chuyển trạng thái nên không sửa được nữa", "state");
  return {};
}

Result<void> Store::fill(std::vector<Idea>& ideas) {
  // The authors of all the ideas in one query per 500 ideas, not one per idea.
  std::map<int64_t, Idea*> by_id;
  for (auto& i : ideas) {
    i.authors.clear();
    by_id[i.id] = &i;
  }
  constexpr size_t kChunk = 500;
  for (size_t from = 0; from < ideas.size(); from += kChunk) {
    std::string in;
    std::vector<db::Value> params;
    for (size_t k = from; k < std::min(ideas.size(), from + kChunk); ++k) {
      params.push_back(ideas[k].id);
      in += (in.empty() ? "?" : ", ?") + std::to_string(params.size());
    }
    CHIDOAN_TRY(rows, db_.query("SELECT a.idea_id, a.member_id, m.family_name, m.middle_name, m.given_name, a.role, a.status, a.requested_at, "
                                "a.accepted_at FROM idea_authors a JOIN members m ON m.id = a.member_id WHERE a.idea_id IN (" + in + ") "
                                "ORDER BY a.idea_id, CASE a.role WHEN 'author' THEN 0 ELSE 1 END, a.requested_at, a.member_id",
                                params));
    for (const auto& r : rows)
      by_id.at(r.i64(0))->authors.push_back(Author{r.i64(1), org::full_name_of(r, 2), r.str(5), r.str(6), r.i64(7), r.opt_i64(8)});
  }
  return {};
}

Result<Idea> Store::idea(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kIdeaColumns + " WHERE i.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có ý tưởng này");
  std::vector<Idea> one{idea_from(*row)};
  CHIDOAN_TRY_VOID(fill(one));
  return one.front();
}

Result<std::vector<Idea>> Store::ideas(const IdeaFilter& f, std::optional<int64_t> org_id) {
  std::string sql = std::string("SELECT ") + kIdeaColumns;
  std::vector<Value> params;
  auto param = [&](Value v) {
    params.push_back(std::move(v));
    return "?" + std::to_string(params.size());
  };
  std::vector<std::string> where;
  if (org_id) {
    sql += " JOIN idea_forums f ON f.id = i.forum_id JOIN orgs o ON o.id = f.org_id JOIN orgs top ON top.id = " + param(*org_id);
    where.push_back("o.path LIKE top.path || '%'");
  }
  if (f.forum_id) where.push_back("i.forum_id = " + param(*f.forum_id));
  if (f.state) where.push_back("i.state = " + param(*f.state));
  if (!f.with_hidden) where.push_back("i.hidden = 0");
  if (f.drafts_of_member)
    where.push_back("(i.submitted_at IS NOT NULL OR EXISTS (SELECT 1 FROM idea_authors a WHERE a.idea_id = i.id AND a.status = 'accepted' AND a.member_id = " +
                    param(*f.drafts_of_member) + "))");
  else
    where.push_back("i.submitted_at IS NOT NULL");
  for (size_t k = 0; k < where.size(); ++k) sql += (k == 0 ? " WHERE " : " AND ") + where[k];
  sql += " ORDER BY i.created_at DESC, i.id DESC";
  CHIDOAN_TRY(rows, db_.query(sql, params));
  std::vector<Idea> out;
  for (const auto& r : rows) out.push_back(idea_from(r));
  CHIDOAN_TRY_VOID(fill(out));
  return out;
}

Result<void> Store::move(int64_t idea_id, const std::string& from, const rules::StateChange& c, std::optional<int64_t> user_id) {
  const int64_t now = clock_.unix_seconds();
  std::string note;
  std::string sql = "UPDATE ideas SET state = ?3, updated_at = ?4";
  std::vector<Value> params = {idea_id, from, c.to, now};
  if (c.to == "accepted" || c.to == "rejected") {
    sql += ", answer = ?5";
    params.push_back(c.answer);
    note = c.answer;
  } else if (c.to == "implemented") {
    sql += ", outcome = ?5, implemented_on = ?6";
    params.push_back(c.outcome);
    params.push_back(text_or_null(c.implemented_on));
    note = c.outcome;
  } else if (c.to == "submitted") {
    sql += ", submitted_at = COALESCE(submitted_at, ?4)";
  }
  CHIDOAN_TRY(n, db_.execute(sql + " WHERE id = ?1 AND state = ?2", params));
  if (n == 0) return fail(ErrorKind::conflict, "Ý tưởng vừa được người khác chuyển trạng thái; hãy tải lại trang", "to_state");
  Event e;
  e.at = now;
  e.from_state = from;
  e.to_state = c.to;
  e.user_id = user_id;
  e.note = note;
  return insert_event(idea_id, e);
}

Result<std::vector<Event>> Store::events(int64_t idea_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT e.id, e.idea_id, e.at, e.from_state, e.to_state, e.user_id, u.display_name, e.note FROM idea_events e "
                              "LEFT JOIN users u ON u.id = e.user_id WHERE e.idea_id = ?1 ORDER BY e.at, e.id",
                              {idea_id}));
  std::vector<Event> out;
  for (const auto& r : rows) out.push_back(Event{r.i64(0), r.i64(1), r.i64(2), r.opt_str(3), r.str(4), r.opt_i64(5), r.str(6), r.str(7)});
  return out;
}

// ---- Authors

Result<bool> Store::is_author(int64_t idea_id, int64_t member_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT 1 FROM idea_authors WHERE idea_id = ?1 AND member_id = ?2 AND status = 'accepted'", {idea_id, member_id}));
  return row.has_value();
}

Result<void> Store::request_coauthor(int64_t idea_id, int64_t member_id) {
  CHIDOAN_TRY(n, db_.execute("INSERT INTO idea_authors (idea_id, member_id, role, status, requested_at) VALUES (?1, ?2, 'coauthor', 'requested', ?3) "
                             "ON CONFLICT (idea_id, member_id) DO NOTHING",
                             {idea_id, member_id, clock_.unix_seconds()}));
  if (n == 0) return fail(ErrorKind::conflict, "Bạn đã là tác giả hoặc đã xin cùng tham gia ý tưởng này", "coauthor");
  return {};
}

Result<void> Store::accept_coauthor(int64_t idea_id, int64_t member_id) {
  CHIDOAN_TRY(n, db_.execute("UPDATE idea_authors SET status = 'accepted', accepted_at = ?3 WHERE idea_id = ?1 AND member_id = ?2 AND status = 'requested'",
                             {idea_id, member_id, clock_.unix_seconds()}));
  if (n == 0) return fail(ErrorKind::not_found, "Không có lời xin cùng tham gia nào của đoàn viên này", "member_id");
  return {};
}

// ---- Attachments

Result<int64_t> Store::add_attachment(int64_t idea_id, std::optional<int64_t> member_id, const rules::AttachmentInput& in,
                                      const std::string& bytes) {
  // Counted again under the idea's row lock: two uploads at once cannot pass the limit.
  CHIDOAN_TRY_VOID(db_.execute("UPDATE ideas SET updated_at = updated_at WHERE id = ?1", {idea_id}));
  CHIDOAN_TRY(count, db_.query_one("SELECT COUNT(*) FROM idea_attachments WHERE idea_id = ?1", {idea_id}));
  if (count && count->i64(0) >= static_cast<int64_t>(rules::kMaxAttachments))
    return fail(ErrorKind::invalid, "Mỗi ý tưởng đính kèm tối đa " + std::to_string(rules::kMaxAttachments) + " tệp", "file");
  return db_.insert_id("INSERT INTO idea_attachments (idea_id, file_name, mime, size, bytes, member_id, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                       {idea_id, in.file_name, in.mime, static_cast<int64_t>(bytes.size()), bytes, db::nullable(member_id), clock_.unix_seconds()});
}

namespace {
constexpr const char* kAttachmentColumns = "id, idea_id, file_name, mime, size, member_id, created_at FROM idea_attachments";
Attachment attachment_from(const Row& r) { return Attachment{r.i64(0), r.i64(1), r.str(2), r.str(3), r.i64(4), r.opt_i64(5), r.i64(6)}; }
}  // namespace

Result<std::vector<Attachment>> Store::attachments(int64_t idea_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kAttachmentColumns + " WHERE idea_id = ?1 ORDER BY id", {idea_id}));
  std::vector<Attachment> out;
  for (const auto& r : rows) out.push_back(attachment_from(r));
  return out;
}

Result<Attachment> Store::attachment(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kAttachmentColumns + " WHERE id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có tệp đính kèm này");
  return attachment_from(*row);
}

Result<std::string> Store::attachment_bytes(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT bytes FROM idea_attachments WHERE id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có tệp đính kèm này");
  return row->str(0);
}

Result<void> Store::remove_attachment(int64_t id) {
  CHIDOAN_TRY(n, db_.execute("DELETE FROM idea_attachments WHERE id = ?1", {id}));
  if (n == 0) return fail(ErrorKind::not_found, "Không có tệp đính kèm này");
  return {};
}

// ---- Supports

Result<void> Store::support(int64_t idea_id, int64_t member_id) {
  CHIDOAN_TRY(n, db_.execute("INSERT INTO idea_supports (idea_id, member_id, at) VALUES (?1, ?2, ?3) ON CONFLICT (idea_id, member_id) DO NOTHING",
                             {idea_id, member_id, clock_.unix_seconds()}));
  if (n == 0) return fail(ErrorKind::conflict, "Bạn đã ủng hộ ý tưởng này rồi (mỗi đoàn viên chỉ ủng hộ một lần)", "support");
  return {};
}

Result<void> Store::withdraw_support(int64_t idea_id, int64_t member_id) {
  CHIDOAN_TRY(n, db_.execute("DELETE FROM idea_supports WHERE idea_id = ?1 AND member_id = ?2", {idea_id, member_id}));
  if (n == 0) return fail(ErrorKind::conflict, "Bạn chưa ủng hộ ý tưởng này", "support");
  return {};
}

Result<bool> Store::supports(int64_t idea_id, int64_t member_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT 1 FROM idea_supports WHERE idea_id = ?1 AND member_id = ?2", {idea_id, member_id}));
  return row.has_value();
}

Result<int64_t> Store::support_count(int64_t idea_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT COUNT(*) FROM idea_supports WHERE idea_id = ?1", {idea_id}));
  return row ? row->i64(0) : 0;
}

Result<Results> Store::results(const Forum& f) {
  Results r;
  for (const char* s : kStates) r.by_state[s] = 0;
  r.by_state.erase("draft");
  IdeaFilter filter;
  filter.forum_id = f.id;
  CHIDOAN_TRY(list, ideas(filter));
  for (const auto& i : list) {
    ++r.by_state[i.state];
    ++r.ideas;
    r.supports += i.supports;
    if (f.support_threshold > 0 && i.supports >= f.support_threshold) ++r.reached_threshold;
    if (i.state == "implemented" || (i.state == "archived" && i.implemented_on)) r.implemented.push_back(i);
  }
  r.ranked = list;
  std::stable_sort(r.ranked.begin(), r.ranked.end(), [](const Idea& a, const Idea& b) { return a.supports > b.supports; });
  std::stable_sort(r.implemented.begin(), r.implemented.end(),
                   [](const Idea& a, const Idea& b) { return a.implemented_on.value_or("") < b.implemented_on.value_or(""); });
  return r;
}

}  // namespace chidoan::ideas
