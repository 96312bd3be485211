// The help desk's scanned papers (docs/scan.md "In the help desk"): plain types.
// A paper is one document of an assisted citizen's dossier; its pages are the files a
// volunteer uploaded, in order and with the turns they chose; once made, the paper carries
// one PDF. Instants are unix seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace chidoan::scan {

// One uploaded file (a photo, a scan, or a TIFF/PDF of several pages that stay together).
struct PageFile {
  int64_t id = 0;
  int64_t paper_id = 0;
  int position = 0;   // 1-based, the paper's order
  int rotation = 0;   // 0, 90, 180, 270: quarter turns clockwise chosen by the volunteer
  std::string file_name;
  std::string mime;   // image/jpeg, image/png, image/tiff, application/pdf
  int page_count = 1;
  int64_t size = 0;   // bytes of the file
  bool has_thumbnail = false;
  int64_t created_at = 0;
};

struct Paper {
  int64_t id = 0;
  int64_t assist_id = 0;
  std::string name;                // the document's name from the procedure's list, or a free one
  std::optional<int> doc_index;    // 1-based place in the procedure's list; empty: another paper
  bool keep_originals = false;
  int64_t created_at = 0, changed_at = 0, expires_at = 0;
  // The uploaded files and their pages (sums over scan_pages).
  int files = 0, pages = 0;
  int64_t bytes = 0;
  // Once made.
  std::optional<int64_t> made_at;
  int64_t pdf_bytes = 0;
  int pdf_pages = 0;
  std::string report;  // JSON text: {"pages": [...], "notes": [...]} (papers_views.hpp)
  std::optional<int64_t> originals_deleted_at;

  bool made() const { return made_at.has_value(); }
  // The uploaded pages were deleted after making: the paper can no longer be changed or remade.
  bool closed() const { return originals_deleted_at.has_value(); }
  // Pages changed since the PDF was made.
  bool stale() const { return made_at && changed_at > *made_at && !closed(); }
};

}  // namespace chidoan::scan
