// Review routes (docs/review.md): the year-end report of an organisation as a page and its JSON
// twin, and as PDF and XLSX files (/orgs/{id}/report.pdf|.xlsx?year=). Who: view_members on the
// org (the report names members who received awards).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "platform/http/http.hpp"
#include "platform/render/render.hpp"
#include "platform/web/web.hpp"

namespace chidoan::review {

void add_routes(http::Router& r, const web::Services& s);

// The report's JSON with what its renderings show besides: "heading", the heading block of a
// Union document (superior org, issuing committee, place and date), "year", and "generated_on"
// (today, ISO: the PDF's date). The parts' tables and charts are made from it by
// review::report_tables and review::report_charts, for the page, the PDF and the XLSX alike.
Result<nlohmann::json> report_view(db::Connection& db, const Clock& clock, const nlohmann::json& report);
// The view as one printable HTML document (its own stylesheet inside), for `chidoan report`.
std::string report_document(const render::Renderer& renderer, const nlohmann::json& view);
// The report (year_report's JSON) as the bytes of `format`: "json" (indented), "html"
// (report_document), "pdf" (report_pdf) or "xlsx" (report_xlsx); the view is made here. What the
// command line writes and the download routes send. Errors: invalid for another format.
Result<std::string> render_report(db::Connection& db, const Clock& clock, const render::Renderer& renderer, const nlohmann::json& report,
                                  std::string_view format);

}  // namespace chidoan::review
