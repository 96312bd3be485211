// SQL of the help desk's scanned papers (tables scan_papers and scan_pages, migration 0011):
// papers of an assist, their uploaded files in order with their turns, the PDF once made, and
// the purge of everything kept longer than papers_rules::kRetentionSeconds.
//
// Reads of lists never carry the files' bytes: inputs(), thumbnail() and pdf() read them one
// paper or page at a time.
//
// REQUIRES: write methods run inside Connection::transaction() (the caller audits in the same
// transaction); on an error the caller's rollback undoes any part written. The connection
// outlives the store; one store per request or job, not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/db/db.hpp"
#include "scan/papers_model.hpp"
#include "scan/papers_rules.hpp"

namespace chidoan::scan {

// One file to store: checked (papers_rules::check_file) and probed by the engine.
struct NewPage {
  std::string file_name, mime;
  int page_count = 1;
  std::string bytes;
  std::string thumbnail;  // a small JPEG; empty when the engine could not make one
};

// What making a paper's PDF stores.
struct MadePdf {
  std::string pdf;
  int pages = 0;
  std::string report;  // JSON text
  bool keep_originals = false;
  // The uploads the PDF was made of, as page_signature() gave them when they were read: a paper
  // whose pages changed while the PDF was being made is not saved (and nothing deleted).
  std::string made_of;
};

// What changing a paper whose originals were deleted after making its PDF gets.
Error closed_error();

// The paper's uploads in order with their turns ("id:rotation," each): what a PDF is made of.
std::string page_signature(const std::vector<PageFile>& pages);

class PaperStore {
 public:
  explicit PaperStore(db::Connection& conn) : db_(conn) {}

  // A new paper of an assist. Another paper of that assist with the same name: conflict on
  // "document" (a listed document) or "name".
  Result<int64_t> create(int64_t assist_id, const papers_rules::PaperName& name, int64_t now);
  Result<Paper> paper(int64_t id);  // not_found
  // An assist's papers: listed documents in the list's order, then the others as created.
  Result<std::vector<Paper>> papers(int64_t assist_id);
  Result<void> remove(int64_t id);

  // Appends files after the paper's last page. Refused (invalid on "pages"): a closed paper,
  // more than papers_rules::kMaxPages pages or kMaxPaperBytes in all. The paper is kept 7
  // more days.
  Result<std::vector<int64_t>> add_pages(int64_t paper_id, const std::vector<NewPage>& files, int64_t now);
  Result<std::vector<PageFile>> pages(int64_t paper_id);  // in order
  Result<PageFile> page(int64_t id);                      // not_found
  // The paper's files with their bytes, in order, for the engine.
  Result<std::vector<std::pair<PageFile, std::string>>> inputs(int64_t paper_id);
  Result<std::optional<std::string>> thumbnail(int64_t page_id);
  Result<void> rotate(int64_t page_id, int rotation, int64_t now);
  // Puts the page at the 1-based position `to` and renumbers the paper's pages 1..n.
  Result<void> move(int64_t page_id, int to, int64_t now);
  Result<void> remove_page(int64_t page_id, int64_t now);

  // Stores the PDF and its report; deletes the uploaded files unless keep_originals (the
  // paper is closed then). The paper is kept 7 more days.
  Result<void> save_pdf(int64_t paper_id, const MadePdf& made, int64_t now);
  Result<std::optional<std::string>> pdf(int64_t paper_id);

  // Deletes every paper (files and PDF) whose time is up at `now`; returns how many.
  Result<int64_t> purge(int64_t now);

 private:
  Result<void> touch(int64_t paper_id, int64_t now);
  Result<void> renumber(int64_t paper_id, const std::vector<int64_t>& ids);
  db::Connection& db_;
};

}  // namespace chidoan::scan
