#include "platform/auth/audit.hpp"

namespace chidoan::audit {

Result<void> record(db::Connection& conn, const Clock& clock, const AuditEntry& e) {
  auto r = conn.execute(
      "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, detail, request_id, ip) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      {clock.unix_seconds(), db::nullable(e.user_id), e.username, e.action, e.entity, db::nullable(e.entity_id),
       e.detail_json.empty() ? std::string("{}") : e.detail_json, e.request_id, e.ip});
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<std::vector<AuditRow>> list(db::Connection& conn, const std::string& entity,
                                   std::optional<int64_t> entity_id, int limit) {
  static constexpr const char* kColumns =
      "SELECT id, at, user_id, username, action, entity, entity_id, detail, request_id, ip FROM audit_log ";
  auto rows = entity_id
                  ? conn.query(std::string(kColumns) +
                                   "WHERE entity = ?1 AND entity_id = ?2 ORDER BY at DESC, id DESC LIMIT ?3",
                               {entity, *entity_id, static_cast<int64_t>(limit)})
                  : conn.query(std::string(kColumns) + "WHERE entity = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
                               {entity, static_cast<int64_t>(limit)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<AuditRow> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    AuditRow a;
    a.id = r.i64(0);
    a.at = r.i64(1);
    a.entry = AuditEntry{r.opt_i64(2), r.str(3), r.str(4), r.str(5), r.opt_i64(6), r.str(7), r.str(8), r.str(9)};
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace chidoan::audit
