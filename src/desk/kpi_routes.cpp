#include "desk/kpi_routes.hpp"

#include <charconv>
#include <cstdint>

#include "desk/kpi_rules.hpp"
#include "desk/kpi_store.hpp"
#include "desk/kpi_views.hpp"
#include "desk/support.hpp"
#include "org/views.hpp"
#include "platform/tabular/tabular.hpp"
#include "platform/text/text.hpp"

namespace chidoan::desk {
namespace {

using auth::Action;
using http::Response;
using web::Ctx;
using web::Json;

// ?year=YYYY, this year by default.
Result<int> year_param(Ctx& ctx) {
  CHIDOAN_TRY(y, web::int_param(ctx.req, "year", static_cast<int>(ctx.today().year()), kpi::kMinYear, kpi::kMaxYear));
  return static_cast<int>(y);
}

// A year in a form field: none when empty.
Result<std::optional<int>> year_field(const std::string& raw) {
  if (raw.empty()) return std::optional<int>();
  int64_t y = 0;
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), y);
  if (ec != std::errc() || p != raw.data() + raw.size()) return fail(ErrorKind::invalid, "Năm phải là số, ví dụ 2021", "year");
  CHIDOAN_TRY(year, kpi::check_year(y));
  return std::optional<int>(year);
}

std::string kpi_path(int64_t center_id) { return "/desk/centers/" + std::to_string(center_id) + "/kpi"; }
std::string kpi_page(int64_t center_id, int year) { return kpi_path(center_id) + "?year=" + std::to_string(year); }

// One center's year: its summary and its entry in "centers".
struct CenterYear {
  kpi::YearSummary summary;
  std::optional<kpi::Target> target;
};
Result<CenterYear> center_year(KpiStore& store, int64_t center_id, int year) {
  CHIDOAN_TRY(months, store.months(center_id, year));
  CHIDOAN_TRY(target, store.target(center_id, year));
  std::optional<int64_t> bp;
  if (target) bp = target->bp;
  return CenterYear{kpi::summarize(year, months, bp), target};
}

Json center_entry(const Center& c, const CenterYear& y) {
  Json rate = y.summary.rates.rate_bp ? Json(kpi::fraction(*y.summary.rates.rate_bp)) : Json(nullptr);
  return Json{{"id", c.id},
              {"name", c.name},
              {"org_id", c.org_id},
              {"org_name", c.org_name},
              {"online", y.summary.total.online()},
              {"total", y.summary.total.received},
              {"rate", rate},
              {"target", y.target ? Json(kpi::fraction(y.target->bp)) : Json(nullptr)},
              {"target_source", y.target ? Json(y.target->source) : Json(nullptr)}};
}

// The view of a center's year: year_json plus "center", "centers" and "target_source".
Result<Json> center_view(Ctx& ctx, const CenterCtx& l, int year, CenterYear* out = nullptr) {
  KpiStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(y, center_year(store, l.center.id, year));
  if (out) *out = y;
  Json v = kpi::year_json(y.summary);
  v["center"] = center_json(l.center);
  v["centers"] = Json::array({center_entry(l.center, y)});
  v["target_source"] = y.target ? Json(y.target->source) : Json(nullptr);
  return v;
}

kpi::ChartWords chart_words(Ctx& ctx, const kpi::YearSummary& y, const std::string& center_name) {
  kpi::ChartWords w;
  w.title = ctx.t("desk_kpi.chart_title") + " " + std::to_string(y.year) + " – " + center_name;
  std::string desc = ctx.t("desk_kpi.chart_rate") + " " +
                     (y.rates.rate_bp ? kpi::percent_vn(*y.rates.rate_bp) : "—") + " (" + text::format_int(y.total.online()) + "/" +
                     text::format_int(y.total.received) + ")";
  if (y.target_bp) {
    desc += "; " + ctx.t("desk_kpi.target") + " " + kpi::target_vn(*y.target_bp);
    if (y.rates.gap_bp) desc += ", " + kpi::points_vn(*y.rates.gap_bp) + " " + ctx.t("desk_kpi.points");
  }
  w.description = desc + ".";
  w.received = ctx.t("desk_kpi.received");
  w.online = ctx.t("desk_kpi.online");
  w.rate = ctx.t("desk_kpi.rate");
  w.target = ctx.t("desk_kpi.target");
  w.counts_axis = ctx.t("desk_kpi.counts_axis");
  w.rate_axis = ctx.t("desk_kpi.rate_axis");
  w.month_short = ctx.t("desk_kpi.month_short");
  w.month_long = ctx.t("desk_kpi.month_long");
  return w;
}

// What the page adds to the view: labels, the chart, the year navigation, the forms.
Result<void> add_page(Ctx& ctx, const CenterCtx& l, const CenterYear& y, Json& v) {
  KpiStore store(ctx.db(), *ctx.services.clock);
  const int year = y.summary.year;
  kpi::add_labels(v);
  v["org"] = org::to_json(l.org);
  v["coordinator"] = l.coordinator;
  v["chart_svg"] = chart::svg(kpi::year_chart(y.summary, chart_words(ctx, y.summary, l.center.name)));
  v["prev_year"] = year - 1;
  v["next_year"] = year + 1;
  CHIDOAN_TRY(years, store.years(l.center.id));
  Json list = Json::array();
  for (int other : years) list.push_back({{"year", other}, {"current", other == year}});
  v["years"] = list;
  v["first_month"] = std::to_string(year) + "-01";
  v["last_month"] = std::to_string(year) + "-12";
  Json columns = Json::array();
  for (const auto& [field, names] : kpi::csv_header_help()) {
    std::string joined;
    for (const auto& n : names) joined += (joined.empty() ? "" : ", ") + n;
    columns.push_back({{"field", field}, {"names", joined}});
  }
  v["csv_columns"] = columns;
  return {};
}

Response show_year(Ctx& ctx, const CenterCtx& l, int year, int status = 200, const Error* import_error = nullptr) {
  CenterYear y;
  CHIDOAN_CHECK(v, center_view(ctx, l, year, &y));
  if (ctx.req.wants_json()) return Response::json(status, v.dump());
  CHIDOAN_CHECK_VOID(add_page(ctx, l, y, v));
  if (import_error) v["import_error"] = import_error->message;
  return web::respond(ctx, "desk/kpi", v, status, ctx.t("desk_kpi.title") + " " + std::to_string(year));
}

// After a write: the new state of the year as JSON, or back to the page.
Response done(Ctx& ctx, const CenterCtx& l, int year) {
  if (!ctx.req.wants_json()) return Response::redirect(kpi_page(l.center.id, year));
  return show_year(ctx, l, year);
}

// ---- handlers ---------------------------------------------------------------------------

Response show_kpi(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::view_desk));
  CHIDOAN_CHECK(year, year_param(ctx));
  return show_year(ctx, l, year);
}

Response kpi_svg(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::view_desk));
  CHIDOAN_CHECK(year, year_param(ctx));
  KpiStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK(y, center_year(store, l.center.id, year));
  Response r = Response::text(200, chart::svg(kpi::year_chart(y.summary, chart_words(ctx, y.summary, l.center.name))),
                              "image/svg+xml; charset=utf-8");
  r.header("Cache-Control", "no-cache");
  return r;
}

constexpr std::initializer_list<const char*> kMonthFields = {"year", "month", "received", "settled", "online_level3", "online_level4",
                                                             "online_full", "online_partial", "assisted"};

Response post_month(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, kMonthFields));
  CHIDOAN_CHECK(year, year_field(f["year"]));
  CHIDOAN_CHECK(m, kpi::figures_from(f, year));
  KpiStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.upsert_month(l.center.id, m, year));
    return ctx.audit("kpi_month", "desk_center", l.center.id,
                     {{"month", m.month}, {"received", m.received}, {"online", m.online()}, {"settled", m.settled}});
  }));
  return done(ctx, l, std::stoi(m.month.substr(0, 4)));
}

Response delete_month(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"year", "month"}));
  CHIDOAN_CHECK(year, year_field(f["year"]));
  if (f["month"].empty()) return web::fail_page(ctx, Error{ErrorKind::invalid, "Chọn tháng cần xoá", "month"});
  CHIDOAN_CHECK(month, kpi::parse_month(f["month"], year));
  KpiStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.delete_month(l.center.id, month));
    return ctx.audit("kpi_delete", "desk_center", l.center.id, {{"month", month}});
  }));
  return done(ctx, l, std::stoi(month.substr(0, 4)));
}

Response post_target(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(f, web::fields(ctx.req, {"year", "target", "source"}));
  CHIDOAN_CHECK(year, year_field(f["year"]));
  if (!year) return web::fail_page(ctx, Error{ErrorKind::invalid, "Ghi năm của chỉ tiêu", "year"});
  CHIDOAN_CHECK(bp, kpi::parse_percent(f["target"]));
  auto source = text::normalize(f["source"]);
  if (!source) return web::fail_page(ctx, Error{ErrorKind::invalid, source.error().message, "source"});
  kpi::Target t{*year, bp, *source};
  KpiStore store(ctx.db(), *ctx.services.clock);
  CHIDOAN_CHECK_VOID(ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.set_target(l.center.id, t));
    return ctx.audit("kpi_target", "desk_center", l.center.id, {{"year", t.year}, {"target_bp", t.bp}, {"source", t.source}});
  }));
  return done(ctx, l, *year);
}

// The center's monthly CSV (or XLSX), multipart field "file", optional field "year": every row
// is checked before anything is written.
Response import_months(Ctx& ctx) {
  CHIDOAN_CHECK(l, load_center(ctx, ctx.req.param_int("cid"), Action::manage_desk));
  CHIDOAN_CHECK(form, ctx.req.form());
  CHIDOAN_CHECK(year, year_field(form.get("year")));
  CHIDOAN_CHECK(page_year, year_param(ctx));
  const int shown_year = year ? *year : page_year;
  auto refuse = [&](Error e) {
    if (e.field.empty()) e.field = "file";
    if (ctx.req.wants_json()) return web::fail_page(ctx, e);
    return show_year(ctx, l, shown_year, http::status_for(e.kind), &e);
  };
  const http::FilePart* file = form.file("file");
  if (!file || file->data.empty()) return refuse(Error{ErrorKind::invalid, "Chưa chọn tệp CSV số liệu hằng tháng", "file"});
  std::string filename = file->filename.empty() ? "so-lieu.csv" : file->filename;
  auto table = tabular::read_any(filename, file->data);
  if (!table) return refuse(table.error());
  auto months = kpi::months_from_table(*table, year);
  if (!months) return refuse(months.error());
  KpiStore store(ctx.db(), *ctx.services.clock);
  auto written = ctx.write([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(store.upsert_months(l.center.id, *months, year));
    Json list = Json::array();
    for (const auto& m : *months) list.push_back(m.month);
    return ctx.audit("kpi_import", "desk_center", l.center.id, {{"file", filename}, {"months", list}});
  });
  if (!written) return refuse(written.error());
  const int first_year = std::stoi(months->front().month.substr(0, 4));
  if (!ctx.req.wants_json()) return Response::redirect(kpi_page(l.center.id, first_year));
  CHIDOAN_CHECK(v, center_view(ctx, l, first_year));
  v["imported"] = months->size();
  return Response::json(200, v.dump());
}

// GET /api/v1/orgs/{id}/desk/kpi?year=YYYY[&center=ID]: the figures of every center the org
// runs, summed month by month (or of one of them), with each center's own year in "centers".
Response org_kpi(Ctx& ctx) {
  const int64_t org_id = ctx.req.param_int("id");
  CHIDOAN_CHECK(year, year_param(ctx));
  CHIDOAN_CHECK(center_id, web::int_param(ctx.req, "center", 0, 0, INT64_MAX));
  CHIDOAN_CHECK(centers, centers_of(ctx, org_id, Action::view_desk));
  KpiStore store(ctx.db(), *ctx.services.clock);
  Json entries = Json::array();
  const Center* picked = nullptr;
  std::optional<CenterYear> picked_year;
  for (const auto& c : centers) {
    if (center_id && c.id != center_id) continue;
    CHIDOAN_CHECK(y, center_year(store, c.id, year));
    entries.push_back(center_entry(c, y));
    if (center_id) {
      picked = &c;
      picked_year = y;
    }
  }
  if (center_id && !picked)
    return web::fail_page(ctx, Error{ErrorKind::not_found, "Tổ chức này không điều hành trung tâm số " + std::to_string(center_id), "center"});
  Json v;
  if (picked) {
    v = kpi::year_json(picked_year->summary);
    v["center"] = center_json(*picked);
  } else {
    CHIDOAN_CHECK(months, store.org_months(org_id, year));
    CHIDOAN_CHECK(target, store.org_target(org_id, year));
    v = kpi::year_json(kpi::summarize(year, months, target));
  }
  v["org_id"] = org_id;
  v["centers"] = entries;
  return Response::json(200, v.dump());
}

}  // namespace

void add_kpi_routes(http::Router& r, const web::Services& s) {
  web::Routes routes(r, s);
  routes.both("GET", "/desk/centers/{cid:int}/kpi", show_kpi);
  routes.both("GET", "/desk/centers/{cid:int}/kpi.svg", kpi_svg);
  routes.both("POST", "/desk/centers/{cid:int}/kpi/months", post_month);
  routes.both("POST", "/desk/centers/{cid:int}/kpi/months/delete", delete_month);
  routes.both("POST", "/desk/centers/{cid:int}/kpi/target", post_target);
  routes.both("POST", "/desk/centers/{cid:int}/kpi/import", import_months);
  routes.api("GET", "/orgs/{id:int}/desk/kpi", org_kpi);
}

}  // namespace chidoan::desk
