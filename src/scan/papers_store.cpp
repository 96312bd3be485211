#include "scan/papers_store.hpp"

namespace chidoan::scan {
namespace {

using db::Row;
using db::Value;

constexpr const char* kPaperColumns =
    "p.id, p.assist_id, p.name, p.doc_index, p.keep_originals, p.created_at, p.changed_at, p.expires_at, p.made_at, p.pdf_bytes, "
    "p.pdf_pages, p.report, p.originals_deleted_at, "
    "(SELECT COUNT(*) FROM scan_pages g WHERE g.paper_id = p.id), "
    "(SELECT CAST(COALESCE(SUM(g.page_count), 0) AS BIGINT) FROM scan_pages g WHERE g.paper_id = p.id), "
    "(SELECT CAST(COALESCE(SUM(g.size), 0) AS BIGINT) FROM scan_pages g WHERE g.paper_id = p.id) "
    "FROM scan_papers p";

Paper paper_from(const Row& r) {
  Paper p;
  p.id = r.i64(0);
  p.assist_id = r.i64(1);
  p.name = r.str(2);
  if (auto d = r.opt_i64(3)) p.doc_index = static_cast<int>(*d);
  p.keep_originals = r.i64(4) != 0;
  p.created_at = r.i64(5);
  p.changed_at = r.i64(6);
  p.expires_at = r.i64(7);
  p.made_at = r.opt_i64(8);
  p.pdf_bytes = r.i64(9);
  p.pdf_pages = static_cast<int>(r.i64(10));
  p.report = r.str(11);
  p.originals_deleted_at = r.opt_i64(12);
  p.files = static_cast<int>(r.i64(13));
  p.pages = static_cast<int>(r.i64(14));
  p.bytes = r.i64(15);
  return p;
}

constexpr const char* kPageColumns =
    "id, paper_id, position, rotation, file_name, mime, page_count, size, CASE WHEN thumbnail IS NULL THEN 0 ELSE 1 END, created_at";

PageFile page_from(const Row& r) {
  return PageFile{r.i64(0),
                  r.i64(1),
                  static_cast<int>(r.i64(2)),
                  static_cast<int>(r.i64(3)),
                  r.str(4),
                  r.str(5),
                  static_cast<int>(r.i64(6)),
                  r.i64(7),
                  r.i64(8) != 0,
                  r.i64(9)};
}

}  // namespace

Error closed_error() {
  return Error{ErrorKind::invalid,
               "Bản gốc của giấy tờ này đã được xoá sau khi tạo PDF: không thể thay đổi hay tạo lại. Hãy xoá giấy tờ và tải lên lại.",
               "pages"};
}

// ---- Papers

Result<int64_t> PaperStore::create(int64_t assist_id, const papers_rules::PaperName& name, int64_t now) {
  CHIDOAN_TRY(same, db_.query_one("SELECT id FROM scan_papers WHERE assist_id = ?1 AND name = ?2", {assist_id, name.name}));
  if (same) return fail(ErrorKind::conflict, "Hồ sơ đã có giấy tờ \"" + name.name + "\"", name.doc_index ? "document" : "name");
  return db_.insert_id(
      "INSERT INTO scan_papers (assist_id, name, doc_index, created_at, changed_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5) RETURNING id",
      {assist_id, name.name, name.doc_index ? Value(int64_t{*name.doc_index}) : Value(nullptr), now, papers_rules::expires_after(now)});
}

Result<Paper> PaperStore::paper(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kPaperColumns + " WHERE p.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có giấy tờ này (có thể đã được xoá sau thời hạn lưu)");
  return paper_from(*row);
}

Result<std::vector<Paper>> PaperStore::papers(int64_t assist_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kPaperColumns +
                                  " WHERE p.assist_id = ?1 ORDER BY CASE WHEN p.doc_index IS NULL THEN 1 ELSE 0 END, p.doc_index, p.id",
                              {assist_id}));
  std::vector<Paper> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(paper_from(r));
  return out;
}

Result<void> PaperStore::remove(int64_t id) {
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM scan_pages WHERE paper_id = ?1", {id}));
  CHIDOAN_TRY(n, db_.execute("DELETE FROM scan_papers WHERE id = ?1", {id}));
  if (n == 0) return fail(ErrorKind::not_found, "Không có giấy tờ này");
  return {};
}

Result<void> PaperStore::touch(int64_t paper_id, int64_t now) {
  CHIDOAN_TRY_VOID(db_.execute("UPDATE scan_papers SET changed_at = ?2, expires_at = ?3 WHERE id = ?1",
                               {paper_id, now, papers_rules::expires_after(now)}));
  return {};
}

// ---- Pages

Result<std::vector<int64_t>> PaperStore::add_pages(int64_t paper_id, const std::vector<NewPage>& files, int64_t now) {
  // Totals are read under the paper's row lock: two uploads at once cannot pass the limits.
  CHIDOAN_TRY_VOID(db_.execute("UPDATE scan_papers SET changed_at = changed_at WHERE id = ?1", {paper_id}));
  CHIDOAN_TRY(p, paper(paper_id));
  if (p.closed()) return std::unexpected(closed_error());
  int adding = 0;
  int64_t adding_bytes = 0;
  for (const auto& f : files) {
    adding += f.page_count;
    adding_bytes += static_cast<int64_t>(f.bytes.size());
  }
  CHIDOAN_TRY_VOID(papers_rules::check_page_total(p.pages, adding));
  CHIDOAN_TRY_VOID(papers_rules::check_byte_total(p.bytes, adding_bytes));
  CHIDOAN_TRY(last, db_.query_one("SELECT CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM scan_pages WHERE paper_id = ?1", {paper_id}));
  int64_t position = last ? last->i64(0) : 0;
  std::vector<int64_t> ids;
  for (const auto& f : files) {
    CHIDOAN_TRY(id, db_.insert_id("INSERT INTO scan_pages (paper_id, position, rotation, file_name, mime, page_count, size, bytes, thumbnail, "
                                  "created_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                                  {paper_id, ++position, f.file_name, f.mime, int64_t{f.page_count}, static_cast<int64_t>(f.bytes.size()),
                                   f.bytes, f.thumbnail.empty() ? Value(nullptr) : Value(f.thumbnail), now}));
    ids.push_back(id);
  }
  CHIDOAN_TRY_VOID(touch(paper_id, now));
  return ids;
}

Result<std::vector<PageFile>> PaperStore::pages(int64_t paper_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kPageColumns + " FROM scan_pages WHERE paper_id = ?1 ORDER BY position, id", {paper_id}));
  std::vector<PageFile> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(page_from(r));
  return out;
}

Result<PageFile> PaperStore::page(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kPageColumns + " FROM scan_pages WHERE id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có trang này (có thể đã được xoá)");
  return page_from(*row);
}

Result<std::vector<std::pair<PageFile, std::string>>> PaperStore::inputs(int64_t paper_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kPageColumns + ", bytes FROM scan_pages WHERE paper_id = ?1 ORDER BY position, id", {paper_id}));
  std::vector<std::pair<PageFile, std::string>> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.emplace_back(page_from(r), r.str(10));
  return out;
}

Result<std::optional<std::string>> PaperStore::thumbnail(int64_t page_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT thumbnail FROM scan_pages WHERE id = ?1", {page_id}));
  if (!row || row->is_null(0)) return std::optional<std::string>();
  return std::optional<std::string>(row->str(0));
}

Result<void> PaperStore::rotate(int64_t page_id, int rotation, int64_t now) {
  CHIDOAN_TRY(g, page(page_id));
  CHIDOAN_TRY_VOID(db_.execute("UPDATE scan_pages SET rotation = ?2 WHERE id = ?1", {page_id, int64_t{rotation}}));
  return touch(g.paper_id, now);
}

Result<void> PaperStore::renumber(int64_t paper_id, const std::vector<int64_t>& ids) {
  for (size_t i = 0; i < ids.size(); ++i)
    CHIDOAN_TRY_VOID(db_.execute("UPDATE scan_pages SET position = ?2 WHERE id = ?1 AND paper_id = ?3",
                                 {ids[i], static_cast<int64_t>(i + 1), paper_id}));
  return {};
}

Result<void> PaperStore::move(int64_t page_id, int to, int64_t now) {
  CHIDOAN_TRY(g, page(page_id));
  CHIDOAN_TRY(all, pages(g.paper_id));
  std::vector<int64_t> ids;
  for (const auto& p : all) ids.push_back(p.id);
  CHIDOAN_TRY_VOID(renumber(g.paper_id, papers_rules::moved(ids, page_id, to)));
  return touch(g.paper_id, now);
}

Result<void> PaperStore::remove_page(int64_t page_id, int64_t now) {
  CHIDOAN_TRY(g, page(page_id));
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM scan_pages WHERE id = ?1", {page_id}));
  CHIDOAN_TRY(rest, pages(g.paper_id));
  std::vector<int64_t> ids;
  for (const auto& p : rest) ids.push_back(p.id);
  CHIDOAN_TRY_VOID(renumber(g.paper_id, ids));
  return touch(g.paper_id, now);
}

// ---- The PDF

std::string page_signature(const std::vector<PageFile>& pages) {
  std::string s;
  for (const auto& g : pages) s += std::to_string(g.id) + ":" + std::to_string(g.rotation) + ",";
  return s;
}

Result<void> PaperStore::save_pdf(int64_t paper_id, const MadePdf& made, int64_t now) {
  // The row is locked first, so uploads and turns wait for this to finish or come before it.
  CHIDOAN_TRY_VOID(db_.execute("UPDATE scan_papers SET changed_at = changed_at WHERE id = ?1", {paper_id}));
  CHIDOAN_TRY(p, paper(paper_id));
  if (p.closed()) return std::unexpected(closed_error());
  CHIDOAN_TRY(now_pages, pages(paper_id));
  if (page_signature(now_pages) != made.made_of)
    return fail(ErrorKind::conflict, "Các trang đã thay đổi trong lúc tạo PDF: hãy bấm Tạo PDF lần nữa", "pages");
  CHIDOAN_TRY_VOID(db_.execute(
      "UPDATE scan_papers SET pdf = ?2, pdf_bytes = ?3, pdf_pages = ?4, report = ?5, made_at = ?6, keep_originals = ?7, expires_at = ?8, "
      "originals_deleted_at = ?9 WHERE id = ?1",
      {paper_id, made.pdf, static_cast<int64_t>(made.pdf.size()), int64_t{made.pages}, made.report, now, int64_t{made.keep_originals ? 1 : 0},
       papers_rules::expires_after(now), made.keep_originals ? Value(nullptr) : Value(now)}));
  if (!made.keep_originals) CHIDOAN_TRY_VOID(db_.execute("DELETE FROM scan_pages WHERE paper_id = ?1", {paper_id}));
  return {};
}

Result<std::optional<std::string>> PaperStore::pdf(int64_t paper_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT pdf FROM scan_papers WHERE id = ?1", {paper_id}));
  if (!row || row->is_null(0)) return std::optional<std::string>();
  return std::optional<std::string>(row->str(0));
}

// ---- Retention

Result<int64_t> PaperStore::purge(int64_t now) {
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM scan_pages WHERE paper_id IN (SELECT id FROM scan_papers WHERE expires_at <= ?1)", {now}));
  return db_.execute("DELETE FROM scan_papers WHERE expires_at <= ?1", {now});
}

}  // namespace chidoan::scan
