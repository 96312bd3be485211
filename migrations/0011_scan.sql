-- The help desk's scanned papers (docs/scan.md "In the help desk"): the pages a volunteer
-- uploads for one paper of an assisted citizen's dossier, and the one PDF made of them.
-- These are citizens' personal papers: they are never exported in a bundle, and every row is
-- deleted at expires_at (7 days after the last upload or the making of the PDF).

-- One paper of an assist's dossier: a document of the procedure's list (name copied, doc_index
-- its 1-based place in the list) or another paper named by the volunteer (doc_index NULL).
-- Once made: the PDF, its size, pages, made_at and the engine's page report (JSON text).
-- originals_deleted_at: when the uploaded pages were deleted after making (no remaking then).
CREATE TABLE scan_papers (
  id {{ID}},
  assist_id BIGINT NOT NULL REFERENCES desk_assists(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  doc_index BIGINT,
  keep_originals BIGINT NOT NULL DEFAULT 0 CHECK (keep_originals IN (0, 1)),
  created_at BIGINT NOT NULL,
  changed_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  pdf {{BLOB}},
  pdf_bytes BIGINT NOT NULL DEFAULT 0,
  pdf_pages BIGINT NOT NULL DEFAULT 0,
  report TEXT NOT NULL DEFAULT '',
  made_at BIGINT,
  originals_deleted_at BIGINT,
  UNIQUE (assist_id, name),
  CHECK (made_at IS NOT NULL OR pdf IS NULL)
);
CREATE INDEX scan_papers_expires ON scan_papers (expires_at);

-- One uploaded file of a paper, in the paper's order (position 1, 2, …). A TIFF or PDF with
-- several pages is one row (page_count) whose pages stay together. rotation: quarter turns
-- clockwise chosen by the volunteer. thumbnail: a small JPEG of its first page.
CREATE TABLE scan_pages (
  id {{ID}},
  paper_id BIGINT NOT NULL REFERENCES scan_papers(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  rotation BIGINT NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),
  file_name TEXT NOT NULL,
  mime TEXT NOT NULL,
  page_count BIGINT NOT NULL DEFAULT 1 CHECK (page_count >= 1),
  size BIGINT NOT NULL,
  bytes {{BLOB}} NOT NULL,
  thumbnail {{BLOB}},
  created_at BIGINT NOT NULL
);
CREATE INDEX scan_pages_paper ON scan_pages (paper_id, position);
