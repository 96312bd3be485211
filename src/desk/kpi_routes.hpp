// Pages and JSON API of the dossier KPI (docs/desk.md "Dossier KPI", docs/api.md): a center's
// year (table, chart, forms), its monthly figures entered, imported from the center's monthly
// CSV or deleted, its yearly target, the chart as SVG, and an org's figures summed over the
// centers it runs. Reading needs view_desk on the center's org, writing manage_desk.
#pragma once

#include "platform/http/http.hpp"
#include "platform/web/web.hpp"

namespace chidoan::desk {

// REQUIRES: `services` outlives the router.
void add_kpi_routes(http::Router& r, const web::Services& s);

}  // namespace chidoan::desk
