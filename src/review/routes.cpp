#include "review/routes.hpp"

#include <cctype>

#include "org/store.hpp"
#include "platform/chart/chart.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "review/awards_routes.hpp"
#include "review/classification_routes.hpp"
#include "review/rating_routes.hpp"
#include "review/report.hpp"
#include "review/report_charts.hpp"
#include "review/report_pdf.hpp"
#include "review/report_tables.hpp"
#include "review/report_xlsx.hpp"
#include "review/route_support.hpp"

namespace chidoan::review {
namespace {

using http::Response;
using web::Ctx;
using web::Json;

std::string upper(std::string_view s) { return text::upper(s); }

// The heading block of a Union document: the superior org and the issuing committee on the left,
// "ĐOÀN TNCS HỒ CHÍ MINH" with place and date on the right. The place is the province of the
// tree (a rank-1 org named "Tỉnh đoàn X" or "Thành đoàn X" gives X).
Result<Json> heading_of(db::Connection& db, const Clock& clock, int64_t org_id) {
  org::Store store(db, clock);
  CHIDOAN_TRY(o, store.org(org_id));
  Json h{{"issuer", upper(o.holds_members ? "BCH " + o.name : "BAN THƯỜNG VỤ " + o.name)}, {"superior", ""}};
  if (o.parent_id) {
    CHIDOAN_TRY(parent, store.org(*o.parent_id));
    if (parent.level_rank > 0) h["superior"] = upper(parent.name);
  }
  std::string place;
  for (const auto& id : org::Store::path_ids(o.path)) {
    CHIDOAN_TRY(a, store.org(id));
    if (a.level_rank != 1) continue;
    for (std::string_view prefix : {"Tỉnh đoàn ", "Thành đoàn "})
      if (a.name.starts_with(prefix)) place = a.name.substr(prefix.size());
  }
  Date d = today(clock);
  char date[64];
  std::snprintf(date, sizeof date, "ngày %02u tháng %02u năm %d", static_cast<unsigned>(d.day()), static_cast<unsigned>(d.month()),
                static_cast<int>(d.year()));
  h["place_date"] = (place.empty() ? std::string() : place + ", ") + date;
  return h;
}

// The strings of i18n/vi/review_report.json (the report is a Vietnamese document).
Json words_of(const render::Renderer& renderer) { return renderer.strings("vi").value("review_report", Json::object()); }

// The parts' tables and charts for the HTML page and document (review::report_tables,
// review::report_charts: the same as the PDF and XLSX show), and the words of the page.
void add_parts(Json& v, const Json& words) {
  const auto charts = report_charts(v, words);
  Json parts = Json::array();
  for (const auto& t : report_tables(v, words)) {
    Json columns = Json::array(), rows = Json::array(), svgs = Json::array();
    for (size_t c = 0; c < t.columns.size(); ++c) columns.push_back({{"title", t.columns[c]}, {"num", t.numeric[c]}});
    for (const auto& row : t.rows) {
      Json cells = Json::array();
      for (size_t c = 0; c < row.size(); ++c) cells.push_back({{"text", row[c].text}, {"num", c < t.numeric.size() && t.numeric[c]}});
      rows.push_back({{"cells", cells}});
    }
    for (const auto& c : charts)
      if (c.part == t.key) svgs.push_back({{"svg", chart::svg(c.chart)}});
    parts.push_back({{"key", t.key}, {"title", t.title}, {"columns", columns}, {"rows", rows}, {"charts", svgs}});
  }
  v["parts"] = parts;
  v["w"] = words;
}

std::string_view content_type(std::string_view format) {
  if (format == "pdf") return "application/pdf";
  if (format == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (format == "html") return "text/html; charset=utf-8";
  return "application/json";
}

// The org of the route and the year asked (default: last year), after view_members on it.
struct Asked {
  org::Org org;
  int year = 0;
};
Result<Asked> asked(Ctx& ctx) {
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  CHIDOAN_TRY_VOID(ctx.authorize(auth::Action::view_members, org::scope_of(o)));
  int this_year = static_cast<int>(ctx.today().year());
  CHIDOAN_TRY(year, web::int_param(ctx.req, "year", this_year - 1, 1930, this_year));
  return Asked{std::move(o), static_cast<int>(year)};
}

// GET /orgs/{id}/report?year=YYYY (default: last year): the year-end report.
Response show_report(Ctx& ctx) {
  CHIDOAN_CHECK(a, asked(ctx));
  CHIDOAN_CHECK(report, year_report(ctx.db(), *ctx.services.clock, a.org.id, a.year));
  if (ctx.req.wants_json()) return Response::json(200, report.dump());
  CHIDOAN_CHECK(v, report_view(ctx.db(), *ctx.services.clock, report));
  add_parts(v, words_of(*ctx.services.renderer));
  v["years"] = year_options(ctx, a.year);
  v["org_id"] = a.org.id;
  return web::respond(ctx, "review/report", v, 200, ctx.t("review.title"));
}

// GET /orgs/{id}/report.pdf|.xlsx?year=YYYY: the report as a file to download, named
// "bao-cao-<code>-<year>.<ext>" (ASCII: the org's code with anything but letters and digits
// dropped).
Response report_file(Ctx& ctx, std::string_view format) {
  CHIDOAN_CHECK(a, asked(ctx));
  CHIDOAN_CHECK(report, year_report(ctx.db(), *ctx.services.clock, a.org.id, a.year));
  CHIDOAN_CHECK(bytes, render_report(ctx.db(), *ctx.services.clock, *ctx.services.renderer, report, format));
  std::string code;
  for (char c : a.org.code)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') code += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (code.empty()) code = std::to_string(a.org.id);
  Response r;
  r.body = std::move(bytes);
  r.header("Content-Type", std::string(content_type(format)));
  r.header("Content-Disposition", "attachment; filename=\"bao-cao-" + code + "-" + std::to_string(a.year) + "." + std::string(format) + "\"");
  return r;
}

}  // namespace

Result<nlohmann::json> report_view(db::Connection& db, const Clock& clock, const nlohmann::json& report) {
  Json v = report;
  CHIDOAN_TRY(h, heading_of(db, clock, report["org"]["id"].get<int64_t>()));
  v["heading"] = h;
  v["generated_on"] = to_iso(today(clock));
  v["year"] = std::stoi(report["org"]["as_of"].get<std::string>().substr(0, 4));
  return v;
}

std::string report_document(const render::Renderer& renderer, const nlohmann::json& view) {
  Json v = view;
  add_parts(v, words_of(renderer));
  v["content"] = renderer.render("review/report_body", v, "vi");
  return renderer.render("review/report_doc", v, "vi");
}

Result<std::string> render_report(db::Connection& db, const Clock& clock, const render::Renderer& renderer, const nlohmann::json& report,
                                  std::string_view format) {
  if (format == "json") return report.dump(2) + "\n";
  if (format != "html" && format != "pdf" && format != "xlsx") return fail(ErrorKind::invalid, "Định dạng phải là json, html, pdf hoặc xlsx", "format");
  CHIDOAN_TRY(view, report_view(db, clock, report));
  if (format == "html") return report_document(renderer, view);
  const Json words = words_of(renderer);
  return format == "pdf" ? report_pdf(view, words) : report_xlsx(view, words);
}

void add_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.slow("/orgs/{id:int}/report", show_report);
  routes.both("GET", "/orgs/{id:int}/report.pdf", [](Ctx& c) { return report_file(c, "pdf"); });
  routes.both("GET", "/orgs/{id:int}/report.xlsx", [](Ctx& c) { return report_file(c, "xlsx"); });
  add_award_routes(r, s);
  add_classification_routes(r, s);
  add_rating_routes(r, s);
}

}  // namespace chidoan::review
