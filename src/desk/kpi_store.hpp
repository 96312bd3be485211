// SQL of the dossier KPI: a center's monthly figures (desk_kpi_months) and its yearly targets
// (desk_kpi_targets), and the same summed over every center an org runs.
//
// REQUIRES: write methods run inside Connection::transaction() (the caller audits in the same
// transaction; on an error the caller's rollback undoes any part written). The connection and
// clock outlive the store; one store per request or job, not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "desk/kpi_rules.hpp"
#include "desk/model.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::desk {

class KpiStore {
 public:
  KpiStore(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  // Writes a month's figures after kpi::check_figures (within `year` when given), replacing the
  // month's earlier figures if any.
  Result<void> upsert_month(int64_t center_id, const KpiMonth& m, std::optional<int> year = std::nullopt);
  // Several months at once (an import): every month is checked before the first is written.
  Result<void> upsert_months(int64_t center_id, const std::vector<KpiMonth>& months, std::optional<int> year = std::nullopt);
  // ErrorKind::not_found when the center has no figures for that month.
  Result<void> delete_month(int64_t center_id, const std::string& month);
  Result<std::optional<KpiMonth>> month(int64_t center_id, const std::string& month);
  // The months of a year with figures, in order.
  Result<std::vector<KpiMonth>> months(int64_t center_id, int year);
  // Years with figures or a target, newest first.
  Result<std::vector<int>> years(int64_t center_id);

  // Sets (or replaces) the year's target after kpi::check_target.
  Result<void> set_target(int64_t center_id, const kpi::Target& t);
  Result<std::optional<kpi::Target>> target(int64_t center_id, int year);
  Result<std::vector<kpi::Target>> targets(int64_t center_id);  // by year

  // ---- An org: every center whose desk org_id runs.
  // The figures of its centers summed month by month.
  Result<std::vector<KpiMonth>> org_months(int64_t org_id, int year);
  // Their targets of the year as one (kpi::combined_target, weighted by each center's received).
  Result<std::optional<int64_t>> org_target(int64_t org_id, int year);

 private:
  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::desk
