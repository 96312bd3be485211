// Pages and JSON API of the help desk's scanned papers (docs/scan.md "In the help desk"): for
// one assisted citizen, the volunteer uploads the pages of each paper of the dossier (several
// files at once; phones offer their camera), orders and turns them, makes one searchable PDF
// per paper with the engine (scan::scan) and downloads it, named after the procedure's list.
//
// Who: only the member who helped the citizen (the assist's member) and the center's
// coordinators (manage_desk on the center's org); anyone else with view_desk gets 403, anyone
// outside the center's branch 403 from the policy. Make, download and delete are audited,
// with counts and ids only: never a file, a file name or a paper's free name.
//
// Retention: the uploaded files are deleted once the PDF is made (unless kept on purpose),
// and everything is deleted 7 days after the last upload or making (PaperStore::purge, run by
// the server's hourly job). Scanned papers are never part of a bundle.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::scan {

void add_paper_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::scan
