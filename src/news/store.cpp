#include "news/store.hpp"

#include "org/store.hpp"
#include "platform/text/text.hpp"

namespace chidoan::news {
namespace {

using db::Row;
using db::Value;

constexpr const char* kPostColumns =
    "SELECT p.id, p.org_id, o.name, p.title, p.summary, p.body, p.state, p.author_id, COALESCE(u.display_name, ''), "
    "p.author_member_id, c.member_id, m.family_name, m.middle_name, m.given_name, p.activity_id, p.campaign_id, p.forum_id, "
    "p.produce_cycle_id, p.created_at, p.updated_at, p.submitted_at, p.published_at, p.withdrawn_at, p.approved_by, p.note, p.version, "
    "(SELECT COUNT(*) FROM news_photos ph WHERE ph.post_id = p.id), "
    "(SELECT ph.id FROM news_photos ph WHERE ph.post_id = p.id ORDER BY ph.position, ph.id LIMIT 1) "
    "FROM news_posts p JOIN orgs o ON o.id = p.org_id LEFT JOIN users u ON u.id = p.author_id "
    "LEFT JOIN members m ON m.id = p.author_member_id LEFT JOIN news_consents c ON c.member_id = p.author_member_id ";

Post post_from(const Row& r) {
  Post p;
  p.id = r.i64(0);
  p.org_id = r.i64(1);
  p.org_name = r.str(2);
  p.title = r.str(3);
  p.summary = r.str(4);
  p.body = r.str(5);
  p.state = r.str(6);
  p.author_id = r.opt_i64(7);
  p.author_name = r.str(8);
  p.author_member_id = r.opt_i64(9);
  if (!r.is_null(10)) p.byline = org::full_name_of(r, 11);
  p.links = {r.opt_i64(14), r.opt_i64(15), r.opt_i64(16), r.opt_i64(17)};
  p.created_at = r.i64(18);
  p.updated_at = r.i64(19);
  p.submitted_at = r.opt_i64(20);
  p.published_at = r.opt_i64(21);
  p.withdrawn_at = r.opt_i64(22);
  p.approved_by = r.opt_i64(23);
  p.note = r.str(24);
  p.version = r.i64(25);
  p.photos = r.i64(26);
  p.first_photo_id = r.opt_i64(27);
  return p;
}

std::vector<Value> input_params(const rules::PostInput& in) {
  return {in.title,
          in.summary,
          in.body,
          db::nullable(in.links.activity_id),
          db::nullable(in.links.campaign_id),
          db::nullable(in.links.forum_id),
          db::nullable(in.links.produce_cycle_id)};
}

PhotoInfo photo_from(const Row& r) {
  return {r.i64(0), r.i64(1), r.i64(2), r.str(3), r.i64(4), r.i64(5), r.i64(6), r.i64(7), r.i64(8)};
}
constexpr const char* kPhotoColumns =
    "SELECT id, post_id, position, alt, width, height, small_width, small_height, LENGTH(large) FROM news_photos ";

}  // namespace

// ---- Posts

Result<int64_t> Store::create_post(int64_t org_id, std::optional<int64_t> author_id, std::optional<int64_t> author_member_id,
                                   const rules::PostInput& in) {
  auto params = input_params(in);
  params.insert(params.end(), {org_id, db::nullable(author_id), db::nullable(author_member_id), now()});
  return db_.insert_id(
      "INSERT INTO news_posts (title, summary, body, activity_id, campaign_id, forum_id, produce_cycle_id, org_id, author_id, "
      "author_member_id, created_at, updated_at, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, 'draft') RETURNING id",
      params);
}

namespace {
Error moved() { return Error{ErrorKind::conflict, "Bài viết vừa được người khác chuyển trạng thái hoặc sửa; hãy tải lại trang", "to_state"}; }
}  // namespace

Result<void> Store::touch(int64_t post_id, const std::string& expected_state) {
  CHIDOAN_TRY(n, db_.execute("UPDATE news_posts SET updated_at = ?1, version = version + 1 WHERE id = ?2 AND state = ?3",
                             {now(), post_id, expected_state}));
  if (n != 1) return std::unexpected(moved());
  return {};
}

Result<void> Store::update_post(int64_t id, const std::string& expected_state, const rules::PostInput& in) {
  auto params = input_params(in);
  params.insert(params.end(), {now(), id, expected_state});
  CHIDOAN_TRY(n, db_.execute("UPDATE news_posts SET title = ?1, summary = ?2, body = ?3, activity_id = ?4, campaign_id = ?5, "
                             "forum_id = ?6, produce_cycle_id = ?7, updated_at = ?8, version = version + 1 WHERE id = ?9 AND state = ?10",
                             params));
  if (n != 1) return std::unexpected(moved());
  if (expected_state == "published") return bump_epoch();
  return {};
}

Result<Post> Store::post(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string(kPostColumns) + "WHERE p.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có bài viết này");
  return post_from(*row);
}

Result<std::vector<Post>> Store::posts(int64_t org_id, const PostFilter& f) {
  std::string sql = std::string(kPostColumns) + "JOIN orgs top ON top.id = ?1 WHERE o.path LIKE top.path || '%'";
  std::vector<Value> params{org_id};
  if (f.state) {
    params.push_back(*f.state);
    sql += " AND p.state = ?" + std::to_string(params.size());
  }
  if (f.author_id) {
    params.push_back(*f.author_id);
    sql += " AND (p.author_id = ?" + std::to_string(params.size()) + " OR p.state = 'published')";
  }
  sql += " ORDER BY COALESCE(p.published_at, p.updated_at) DESC, p.id DESC LIMIT 500";
  CHIDOAN_TRY(rows, db_.query(sql, params));
  std::vector<Post> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(post_from(r));
  return out;
}

Result<std::vector<Post>> Store::published(int64_t org_id, int64_t limit, int64_t offset) {
  CHIDOAN_TRY(rows, db_.query(std::string(kPostColumns) +
                                  "JOIN orgs top ON top.id = ?1 WHERE o.path LIKE top.path || '%' AND p.state = 'published' "
                                  "ORDER BY p.published_at DESC, p.id DESC LIMIT ?2 OFFSET ?3",
                              {org_id, limit, offset}));
  std::vector<Post> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(post_from(r));
  return out;
}

Result<int64_t> Store::published_count(int64_t org_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT COUNT(*) FROM news_posts p JOIN orgs o ON o.id = p.org_id JOIN orgs top ON top.id = ?1 "
                                 "WHERE o.path LIKE top.path || '%' AND p.state = 'published'",
                                 {org_id}));
  return row ? row->i64(0) : 0;
}

Result<void> Store::move(int64_t id, std::string_view to, int64_t by_user, const std::string& note,
                         std::optional<int64_t> expected_version) {
  CHIDOAN_TRY(p, post(id));
  std::string landing(rules::landing(to));
  int64_t t = now();
  std::vector<Value> params{landing, t, note};
  auto param = [&](Value v) {
    params.push_back(std::move(v));
    return "?" + std::to_string(params.size());
  };
  std::string sql = "UPDATE news_posts SET state = ?1, updated_at = ?2, note = ?3, version = version + 1";
  if (landing == "awaiting") sql += ", submitted_at = ?2";
  if (landing == "published") sql += ", published_at = ?2, withdrawn_at = NULL, approved_by = " + param(by_user);
  if (landing == "withdrawn") sql += ", withdrawn_at = ?2";
  // The row is changed only if it is still in the state the move was checked against.
  sql += " WHERE id = " + param(id);
  sql += " AND state = " + param(p.state);
  if (expected_version) sql += " AND version = " + param(*expected_version);
  CHIDOAN_TRY(n, db_.execute(sql, params));
  if (n != 1)
    return fail(ErrorKind::conflict,
                expected_version ? "Bài viết vừa được sửa sau khi bạn mở; hãy đọc lại nội dung mới rồi duyệt" : "Bài viết vừa được người khác chuyển trạng thái; hãy tải lại trang",
                "to_state");
  if (landing == "published" || p.state == "published") return bump_epoch();
  return {};
}

Result<void> Store::delete_draft(int64_t id) {
  CHIDOAN_TRY(p, post(id));
  if (p.state != "draft" || p.published_at)
    return fail(ErrorKind::conflict, "Chỉ xoá được bản nháp chưa từng đăng; bài đã đăng thì gỡ bài", "id");
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM news_photos WHERE post_id = ?1", {id}));
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM news_posts WHERE id = ?1", {id}));
  return {};
}

// ---- Photos

Result<int64_t> Store::add_photo(int64_t post_id, const std::string& expected_state, const std::string& alt, const photo::Prepared& p) {
  // Locks the post: two uploads at once get positions one after the other.
  CHIDOAN_TRY_VOID(touch(post_id, expected_state));
  CHIDOAN_TRY(count, db_.query_one("SELECT COUNT(*), COALESCE(MAX(position), 0) FROM news_photos WHERE post_id = ?1", {post_id}));
  if (count->i64(0) >= static_cast<int64_t>(rules::kMaxPhotos))
    return fail(ErrorKind::invalid, "Mỗi bài có tối đa " + std::to_string(rules::kMaxPhotos) + " ảnh", "photo");
  CHIDOAN_TRY(id, db_.insert_id("INSERT INTO news_photos (post_id, position, alt, width, height, large, small_width, small_height, "
                                "small, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                                {post_id, count->i64(1) + 1, alt, int64_t{p.large.width}, int64_t{p.large.height}, p.large.jpeg,
                                 int64_t{p.small.width}, int64_t{p.small.height}, p.small.jpeg, now()}));
  if (expected_state == "published") CHIDOAN_TRY_VOID(bump_epoch());
  return id;
}

Result<std::vector<PhotoInfo>> Store::photos(int64_t post_id) {
  CHIDOAN_TRY(rows, db_.query(std::string(kPhotoColumns) + "WHERE post_id = ?1 ORDER BY position, id", {post_id}));
  std::vector<PhotoInfo> out;
  for (const auto& r : rows) out.push_back(photo_from(r));
  return out;
}

Result<PhotoInfo> Store::photo_info(int64_t photo_id) {
  CHIDOAN_TRY(row, db_.query_one(std::string(kPhotoColumns) + "WHERE id = ?1", {photo_id}));
  if (!row) return fail(ErrorKind::not_found, "Không có ảnh này");
  return photo_from(*row);
}

Result<std::string> Store::photo_bytes(int64_t photo_id, std::string_view size) {
  std::string sql = size == "small" ? "SELECT small FROM news_photos WHERE id = ?1" : "SELECT large FROM news_photos WHERE id = ?1";
  CHIDOAN_TRY(row, db_.query_one(sql, {photo_id}));
  if (!row) return fail(ErrorKind::not_found, "Không có ảnh này");
  return row->str(0);
}

Result<void> Store::set_alt(int64_t photo_id, const std::string& expected_state, const std::string& alt) {
  CHIDOAN_TRY(info, photo_info(photo_id));
  CHIDOAN_TRY_VOID(touch(info.post_id, expected_state));
  CHIDOAN_TRY_VOID(db_.execute("UPDATE news_photos SET alt = ?1 WHERE id = ?2", {alt, photo_id}));
  if (expected_state == "published") return bump_epoch();
  return {};
}

Result<void> Store::remove_photo(int64_t photo_id, const std::string& expected_state) {
  CHIDOAN_TRY(info, photo_info(photo_id));
  CHIDOAN_TRY_VOID(touch(info.post_id, expected_state));
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM news_photos WHERE id = ?1", {photo_id}));
  if (expected_state == "published") return bump_epoch();
  return {};
}

// ---- People

Result<bool> Store::consented(int64_t member_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT 1 FROM news_consents WHERE member_id = ?1", {member_id}));
  return row.has_value();
}

Result<void> Store::set_consent(int64_t member_id, bool given) {
  if (given)
    CHIDOAN_TRY_VOID(db_.execute("INSERT INTO news_consents (member_id, given_at) VALUES (?1, ?2) ON CONFLICT (member_id) DO NOTHING",
                                 {member_id, now()}));
  else
    CHIDOAN_TRY_VOID(db_.execute("DELETE FROM news_consents WHERE member_id = ?1", {member_id}));
  return bump_epoch();
}

Result<std::vector<std::string>> Store::unconsented_names(const std::vector<std::string>& candidates) {
  std::vector<std::string> out;
  constexpr size_t kChunk = 400;  // bound parameters a statement
  for (size_t from = 0; from < candidates.size(); from += kChunk) {
    size_t n = std::min(kChunk, candidates.size() - from);
    std::string sql = "SELECT m.id, m.family_name, m.middle_name, m.given_name FROM members m LEFT JOIN news_consents c ON c.member_id = m.id "
                      "WHERE c.member_id IS NULL AND m.status = 'active' AND m.search_text IN (";
    std::vector<Value> params;
    for (size_t i = 0; i < n; ++i) {
      sql += (i ? ", ?" : "?") + std::to_string(i + 1);
      params.emplace_back(candidates[from + i]);
    }
    CHIDOAN_TRY(rows, db_.query(sql + ")", params));
    for (const auto& r : rows) out.push_back(org::full_name_of(r, 1));
  }
  return out;
}

Result<std::vector<int64_t>> Store::published_naming(int64_t member_id) {
  CHIDOAN_TRY(m, db_.query_one("SELECT id, family_name, middle_name, given_name FROM members WHERE id = ?1", {member_id}));
  if (!m) return std::vector<int64_t>();
  std::vector<std::string> name{org::full_name_of(*m, 1)};
  CHIDOAN_TRY(rows, db_.query("SELECT id, title, summary, body FROM news_posts WHERE state = 'published' ORDER BY id"));
  std::vector<int64_t> out;
  for (const auto& r : rows) {
    std::vector<std::pair<std::string, std::string>> texts{{"title", r.str(1)}, {"summary", r.str(2)}, {"body", r.str(3)}};
    CHIDOAN_TRY(alts, db_.query("SELECT alt FROM news_photos WHERE post_id = ?1", {r.i64(0)}));
    for (const auto& a : alts) texts.emplace_back("alt", a.str(0));
    for (const auto& f : rules::personal_data(texts, name))
      if (f.what.starts_with("tên đoàn viên")) {
        out.push_back(r.i64(0));
        break;
      }
  }
  return out;
}

Result<bool> Store::member_in(int64_t org_id, int64_t member_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT m.id FROM members m JOIN orgs b ON b.id = m.branch_id JOIN orgs top ON top.id = ?1 "
                                 "WHERE m.id = ?2 AND m.status = 'active' AND b.path LIKE top.path || '%'",
                                 {org_id, member_id}));
  return row.has_value();
}

// ---- Sources of drafts

Result<std::vector<SourceChoice>> Store::sources(int64_t org_id) {
  std::vector<SourceChoice> out;
  auto add = [&](const std::string& group, const std::string& sql) -> Result<void> {
    CHIDOAN_TRY(rows, db_.query(sql, {org_id}));
    for (const auto& r : rows) {
      std::string date = r.str(2).substr(0, 10);
      out.push_back({group + ":" + r.str(0), text::format_date(date) + " · " + r.str(1), group});
    }
    return {};
  };
  const std::string in_subtree = " JOIN orgs o ON o.id = x.org_id JOIN orgs top ON top.id = ?1 WHERE o.path LIKE top.path || '%' ";
  CHIDOAN_TRY_VOID(add("activity", "SELECT x.id, x.title, x.starts_at FROM activities x" + in_subtree + "ORDER BY x.starts_at DESC, x.id DESC LIMIT 30"));
  CHIDOAN_TRY_VOID(add("campaign", "SELECT x.id, x.name, x.starts_on FROM campaigns x" + in_subtree + "ORDER BY x.starts_on DESC, x.id DESC LIMIT 30"));
  CHIDOAN_TRY_VOID(add("forum", "SELECT x.id, x.title, COALESCE(x.held_on, x.opens_on) FROM idea_forums x" + in_subtree +
                                    "ORDER BY x.opens_on DESC, x.id DESC LIMIT 30"));
  CHIDOAN_TRY_VOID(add("produce", "SELECT x.id, x.title, x.opens_at FROM produce_cycles x" + in_subtree + "ORDER BY x.opens_at DESC, x.id DESC LIMIT 30"));
  return out;
}

// ---- Epoch

Result<int64_t> Store::epoch() {
  CHIDOAN_TRY(row, db_.query_one("SELECT epoch FROM news_epoch WHERE id = 1"));
  return row ? row->i64(0) : 0;
}

Result<void> Store::bump_epoch() {
  CHIDOAN_TRY_VOID(db_.execute("UPDATE news_epoch SET epoch = epoch + 1 WHERE id = 1"));
  return {};
}

}  // namespace chidoan::news
