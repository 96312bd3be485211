// JSON views of the help desk's scanned papers: the API's shapes, also the templates' input.
// Never a file's bytes; file names of uploads only to those who may see the paper.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "scan/engine.hpp"
#include "scan/papers_model.hpp"

namespace chidoan::scan {

// {id, paper_id, position, rotation, file_name, mime, page_count, size, has_thumbnail,
//  thumbnail_url, created_at}
nlohmann::json page_json(const PageFile& g);
// {id, assist_id, name, doc_index, keep_originals, created_at, changed_at, expires_at, files,
//  pages, upload_bytes, made, made_at, pdf_bytes, pdf_pages, closed, originals_deleted_at, stale, file_name,
//  url, pdf_url, report: {pages: [...], notes: [...]} or null}
nlohmann::json paper_json(const Paper& p);

// The engine's report as it is stored with the PDF (JSON text):
// {"pages": [{number, source, kind, dpi, turned, skew, blank, words, bytes}], "notes": [..]}.
std::string report_text(const Output& out);

// Adds what a page shows besides the API's fields: Vietnamese times and sizes, labels of the
// page kinds, the rotation's CSS class, the blank and turned pages counted.
void add_paper_labels(nlohmann::json& paper);
void add_page_labels(nlohmann::json& page);

}  // namespace chidoan::scan
