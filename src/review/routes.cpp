#include "review/routes.hpp"

#include "org/store.hpp"
#include "platform/text/text.hpp"
#include "review/report.hpp"

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

// GET /orgs/{id}/report?year=YYYY (default: last year): the year-end report.
Response show_report(Ctx& ctx) {
  CHIDOAN_CHECK(o, org::Store(ctx.db(), *ctx.services.clock).org(ctx.req.param_int("id")));
  CHIDOAN_CHECK_VOID(ctx.authorize(auth::Action::view_members, org::scope_of(o)));
  int this_year = static_cast<int>(ctx.today().year());
  CHIDOAN_CHECK(year, web::int_param(ctx.req, "year", this_year - 1, 1930, this_year));
  CHIDOAN_CHECK(report, year_report(ctx.db(), *ctx.services.clock, o.id, static_cast<int>(year)));
  if (ctx.req.wants_json()) return Response::json(200, report.dump());
  CHIDOAN_CHECK(v, report_view(ctx.db(), *ctx.services.clock, report));
  Json years = Json::array();
  for (int y = this_year; y >= this_year - 5; --y) years.push_back({{"year", y}, {"selected", y == year}});
  v["years"] = years;
  v["org_id"] = o.id;
  return web::respond(ctx, "review/report", v, 200, ctx.t("review.title"));
}

}  // namespace

Result<nlohmann::json> report_view(db::Connection& db, const Clock& clock, const nlohmann::json& report) {
  Json v = report;
  CHIDOAN_TRY(h, heading_of(db, clock, report["org"]["id"].get<int64_t>()));
  v["heading"] = h;
  v["year"] = std::stoi(report["org"]["as_of"].get<std::string>().substr(0, 4));
  if (v.contains("desk")) {
    Json& d = v["desk"];
    d["online_text"] = text::format_int(d["online"].get<int64_t>());
    d["total_text"] = text::format_int(d["total"].get<int64_t>());
    d["rate_text"] = text::format_percent(d["rate"].get<double>(), 2);
    d["target_text"] = d["target"].is_number() ? text::format_percent(d["target"].get<double>(), 0) : "";
  }
  if (v.contains("campaigns")) {
    for (auto& c : v["campaigns"]) {
      std::string rounds;
      for (const auto& r : c["rounds"]) {
        if (!rounds.empty()) rounds += "; ";
        rounds += r["name"].get<std::string>() + ": " + text::format_vnd(r["money_vnd"].get<int64_t>());
      }
      c["rounds_text"] = rounds;
      c["money_text"] = text::format_vnd(c["money_vnd"].get<int64_t>());
    }
  }
  v["has_campaigns"] = v.contains("campaigns") && !v["campaigns"].empty();
  for (auto& a : v["awards"]) a["decision_on_vn"] = a["decision_on"].get<std::string>().empty() ? "" : text::format_date(a["decision_on"].get<std::string>());
  v["has_awards"] = !v["awards"].empty();
  return v;
}

std::string report_document(const render::Renderer& renderer, const nlohmann::json& view) {
  Json v = view;
  v["t"] = renderer.strings("vi");
  v["content"] = renderer.render("review/report_body", v);
  return renderer.render("review/report_doc", v);
}

void add_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/orgs/{id:int}/report", show_report);
}

}  // namespace chidoan::review
