// Review routes (docs/review.md): the year-end report of an organisation as a page and its JSON
// twin. Who: view_members on the org (the report names members who received awards).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "platform/http/http.hpp"
#include "platform/render/render.hpp"
#include "platform/web/web.hpp"

namespace chidoan::review {

void add_routes(http::Router& r, const web::Services& s);

// The report's JSON with what its pages show besides: the heading block of a Union document
// (superior org, issuing committee, place and date) and the figures as Vietnamese text.
Result<nlohmann::json> report_view(db::Connection& db, const Clock& clock, const nlohmann::json& report);
// The view as one printable HTML document (its own stylesheet inside), for `chidoan report`.
std::string report_document(const render::Renderer& renderer, const nlohmann::json& view);

}  // namespace chidoan::review
