// The audit log: who did what to which object, when, from where. Append-only.
//
// Every write path calls record() inside the transaction of its write, so that a change and
// its audit row commit or roll back together. detail_json is a JSON object with the facts a
// reviewer needs (never a password, token or hash).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::audit {

struct AuditEntry {
  std::optional<int64_t> user_id;  // the actor; empty for anonymous or system actions
  std::string username;            // the actor's name as it was (also for unknown users)
  std::string action;              // "login", "login_failed", "create_user", ...
  std::string entity;              // "user", "api_token", "org", "member", ...
  std::optional<int64_t> entity_id;
  std::string detail_json;         // a JSON object; "" is stored as "{}"
  std::string request_id;
  std::string ip;
};

struct AuditRow {
  int64_t id = 0;
  int64_t at = 0;
  AuditEntry entry;
};

// REQUIRES: inside the caller's transaction when it accompanies a write.
Result<void> record(db::Connection& conn, const Clock& clock, const AuditEntry& entry);

// The newest `limit` rows about one object, newest first. entity_id empty: every row of the
// entity kind.
Result<std::vector<AuditRow>> list(db::Connection& conn, const std::string& entity,
                                   std::optional<int64_t> entity_id, int limit = 100);

}  // namespace chidoan::audit
