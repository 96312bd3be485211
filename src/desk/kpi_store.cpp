#include "desk/kpi_store.hpp"

#include <set>

namespace chidoan::desk {
namespace {

constexpr const char* kMonthColumns =
    "month, received, settled, online_level3, online_level4, online_full, online_partial, assisted";

KpiMonth month_from(const db::Row& r) {
  KpiMonth m;
  m.month = r.str(0);
  m.received = r.i64(1);
  m.settled = r.i64(2);
  m.online_level3 = r.i64(3);
  m.online_level4 = r.i64(4);
  m.online_full = r.i64(5);
  m.online_partial = r.i64(6);
  m.assisted = r.i64(7);
  if (r.size() > 8) m.settled_classed = r.i64(8);  // a sum of centers' months
  return m;
}

std::string first_month(int year) { return std::to_string(year) + "-01"; }
std::string last_month(int year) { return std::to_string(year) + "-12"; }

}  // namespace

Result<void> KpiStore::upsert_month(int64_t center_id, const KpiMonth& m, std::optional<int> year) {
  CHIDOAN_TRY_VOID(kpi::check_figures(m, year));
  CHIDOAN_TRY_VOID(kpi::check_not_ahead(m, today(clock_)));
  CHIDOAN_TRY_VOID(db_.execute(
      "INSERT INTO desk_kpi_months (center_id, month, received, settled, online_level3, online_level4, online_full, online_partial, "
      "assisted, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT (center_id, month) DO UPDATE SET received = excluded.received, settled = excluded.settled, "
      "online_level3 = excluded.online_level3, online_level4 = excluded.online_level4, online_full = excluded.online_full, "
      "online_partial = excluded.online_partial, assisted = excluded.assisted, updated_at = excluded.updated_at",
      {center_id, m.month, m.received, m.settled, m.online_level3, m.online_level4, m.online_full, m.online_partial, m.assisted,
       clock_.unix_seconds()}));
  return {};
}

Result<void> KpiStore::upsert_months(int64_t center_id, const std::vector<KpiMonth>& months, std::optional<int> year) {
  std::set<std::string> seen;
  for (const auto& m : months) {
    CHIDOAN_TRY_VOID(kpi::check_figures(m, year));
    CHIDOAN_TRY_VOID(kpi::check_not_ahead(m, today(clock_)));
    if (!seen.insert(m.month).second) return fail(ErrorKind::invalid, "Tháng " + m.month + " có hai lần", "month");
  }
  for (const auto& m : months) CHIDOAN_TRY_VOID(upsert_month(center_id, m, year));
  return {};
}

Result<void> KpiStore::delete_month(int64_t center_id, const std::string& month) {
  CHIDOAN_TRY(n, db_.execute("DELETE FROM desk_kpi_months WHERE center_id = ?1 AND month = ?2", {center_id, month}));
  if (n == 0) return fail(ErrorKind::not_found, "Chưa có số liệu tháng " + month, "month");
  return {};
}

Result<std::optional<KpiMonth>> KpiStore::month(int64_t center_id, const std::string& month) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kMonthColumns + " FROM desk_kpi_months WHERE center_id = ?1 AND month = ?2",
                                 {center_id, month}));
  if (!row) return std::optional<KpiMonth>();
  return std::optional<KpiMonth>(month_from(*row));
}

Result<std::vector<KpiMonth>> KpiStore::months(int64_t center_id, int year) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kMonthColumns +
                                  " FROM desk_kpi_months WHERE center_id = ?1 AND month >= ?2 AND month <= ?3 ORDER BY month",
                              {center_id, first_month(year), last_month(year)}));
  std::vector<KpiMonth> out;
  for (const auto& r : rows) out.push_back(month_from(r));
  return out;
}

Result<std::vector<int>> KpiStore::years(int64_t center_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT DISTINCT substr(month, 1, 4) FROM desk_kpi_months WHERE center_id = ?1", {center_id}));
  CHIDOAN_TRY(targets, db_.query("SELECT year FROM desk_kpi_targets WHERE center_id = ?1", {center_id}));
  std::set<int, std::greater<>> years;
  for (const auto& r : rows) years.insert(static_cast<int>(std::stoi(r.str(0))));
  for (const auto& r : targets) years.insert(static_cast<int>(r.i64(0)));
  return std::vector<int>(years.begin(), years.end());
}

Result<void> KpiStore::set_target(int64_t center_id, const kpi::Target& t) {
  CHIDOAN_TRY_VOID(kpi::check_target(t));
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO desk_kpi_targets (center_id, year, target_bp, source) VALUES (?1, ?2, ?3, ?4) "
                               "ON CONFLICT (center_id, year) DO UPDATE SET target_bp = excluded.target_bp, source = excluded.source",
                               {center_id, int64_t{t.year}, t.bp, t.source}));
  return {};
}

Result<std::optional<kpi::Target>> KpiStore::target(int64_t center_id, int year) {
  CHIDOAN_TRY(row, db_.query_one("SELECT year, target_bp, source FROM desk_kpi_targets WHERE center_id = ?1 AND year = ?2",
                                 {center_id, int64_t{year}}));
  if (!row) return std::optional<kpi::Target>();
  return std::optional<kpi::Target>(kpi::Target{static_cast<int>(row->i64(0)), row->i64(1), row->str(2)});
}

Result<std::vector<kpi::Target>> KpiStore::targets(int64_t center_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT year, target_bp, source FROM desk_kpi_targets WHERE center_id = ?1 ORDER BY year", {center_id}));
  std::vector<kpi::Target> out;
  for (const auto& r : rows) out.push_back({static_cast<int>(r.i64(0)), r.i64(1), r.str(2)});
  return out;
}

Result<std::vector<KpiMonth>> KpiStore::org_months(int64_t org_id, int year) {
  CHIDOAN_TRY(rows, db_.query("SELECT k.month, CAST(SUM(k.received) AS BIGINT), CAST(SUM(k.settled) AS BIGINT), "
                              "CAST(SUM(k.online_level3) AS BIGINT), CAST(SUM(k.online_level4) AS BIGINT), "
                              "CAST(SUM(k.online_full) AS BIGINT), CAST(SUM(k.online_partial) AS BIGINT), CAST(SUM(k.assisted) AS BIGINT), "
                              "CAST(SUM(CASE WHEN k.online_full + k.online_partial > 0 THEN k.settled ELSE 0 END) AS BIGINT) "
                              "FROM desk_kpi_months k JOIN desk_centers c ON c.id = k.center_id "
                              "WHERE c.org_id = ?1 AND k.month >= ?2 AND k.month <= ?3 GROUP BY k.month ORDER BY k.month",
                              {org_id, first_month(year), last_month(year)}));
  std::vector<KpiMonth> out;
  for (const auto& r : rows) out.push_back(month_from(r));
  return out;
}

Result<std::optional<int64_t>> KpiStore::org_target(int64_t org_id, int year) {
  CHIDOAN_TRY(rows, db_.query("SELECT t.target_bp, CAST(COALESCE((SELECT SUM(k.received) FROM desk_kpi_months k "
                              "WHERE k.center_id = c.id AND k.month >= ?3 AND k.month <= ?4), 0) AS BIGINT) "
                              "FROM desk_kpi_targets t JOIN desk_centers c ON c.id = t.center_id "
                              "WHERE c.org_id = ?1 AND t.year = ?2 ORDER BY c.id",
                              {org_id, int64_t{year}, first_month(year), last_month(year)}));
  std::vector<std::pair<int64_t, int64_t>> centers;
  for (const auto& r : rows) centers.emplace_back(r.i64(0), r.i64(1));
  return kpi::combined_target(centers);
}

}  // namespace chidoan::desk
