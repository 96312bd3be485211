// SQL of the help desk's assistance log (sổ hướng dẫn) and of its catalogue of administrative
// procedures: procedures added, edited, deactivated (never deleted: the log refers to them) and
// imported from a file; citizens helped, logged and deleted as corrections; the log of a month
// and its counts per volunteer, shift, procedure and month.
//
// Phones of citizens are read by assists() and assist() only (for coordinators); the counts
// never carry one.
//
// REQUIRES: write methods run inside Connection::transaction() (the caller audits in the same
// transaction); on an error the caller's rollback undoes any part written. The connection and
// clock outlive the store; one store per request or job, not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "desk/assist_rules.hpp"
#include "desk/model.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::desk {

// Citizens helped, and among them those whose dossier was submitted online.
struct AssistCount {
  int64_t helped = 0, submitted = 0;
};

// The counts of a center's log over a year "YYYY" or a month "YYYY-MM" (Vietnam time).
struct AssistStats {
  std::string period;
  AssistCount total;
  struct Volunteer {
    int64_t member_id = 0;
    std::string name;
    AssistCount n;
  };
  struct ShiftRow {
    std::optional<int64_t> shift_id;  // empty: logged outside any shift
    std::string on_date, template_name, counter_name;
    int64_t starts_at = 0, ends_at = 0;
    AssistCount n;
  };
  struct ProcedureRow {
    int64_t procedure_id = 0;
    std::string code, name, level;
    AssistCount n;
  };
  struct Month {
    std::string month;
    AssistCount n;
  };
  std::vector<Volunteer> by_volunteer;    // most helped first, then by name
  std::vector<ShiftRow> by_shift;         // by start; outside any shift last
  std::vector<ProcedureRow> by_procedure; // most helped first, then by code
  std::vector<Month> by_month;            // every month of the period, in order, zeros included
  std::map<std::string, int64_t> by_outcome;  // every outcome, zeros included
  std::map<std::string, int64_t> by_level;    // every level, zeros included
};

class AssistStore {
 public:
  AssistStore(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  // ---- The catalogue. A code is unique within its center (ErrorKind::conflict on "code").
  Result<int64_t> add_procedure(int64_t center_id, const assist_rules::ProcedureInput& in);
  Result<void> update_procedure(int64_t id, const assist_rules::ProcedureInput& in);
  Result<void> set_procedure_active(int64_t id, bool active);
  Result<Procedure> procedure(int64_t id);
  Result<std::optional<Procedure>> procedure_by_code(int64_t center_id, const std::string& code);
  Result<std::vector<Procedure>> procedures(int64_t center_id, bool active_only);  // by code

  // Upserts by code: a new code is added, a known one takes the file's name, field, level and
  // documents and is active again. A table with any bad row is refused whole
  // (assist_rules::import_error, invalid on "file") before anything is written.
  struct ImportOutcome {
    size_t added = 0, updated = 0;
  };
  Result<ImportOutcome> import_procedures(int64_t center_id, const assist_rules::ProcedureTable& table);

  // ---- The log.
  // Logs one citizen helped by `member_id` at center `c`. Refuses (invalid, field named): a
  // procedure not in the center's catalogue or no longer active ("procedure_id"), a shift of
  // another center ("shift_id"), a time outside the shift ±60 min ("at"), a member who is not a
  // volunteer of the center ("member_id"). An empty level takes the procedure's.
  Result<int64_t> log(const Center& c, int64_t member_id, assist_rules::AssistInput in);
  Result<Assist> assist(int64_t id);
  Result<void> remove(int64_t id);
  // The entries of a month "YYYY-MM", newest first; only `member_id`'s when given. `limit` 0:
  // all of them.
  Result<std::vector<Assist>> assists(int64_t center_id, const std::string& month, std::optional<int64_t> member_id = std::nullopt,
                                      size_t limit = 0, size_t offset = 0);
  // The center's shifts on a date "YYYY-MM-DD" (through its roster periods), by start.
  Result<std::vector<Shift>> shifts_on(int64_t center_id, const std::string& date);
  // A shift with the center of its period, or not_found.
  Result<std::pair<Shift, int64_t>> shift_with_center(int64_t shift_id);

  Result<AssistStats> stats(int64_t center_id, const std::string& period);

  // ---- Low-level writer (log() and the bundle loader): no check but assist_rules::check_assist.
  Result<int64_t> insert(int64_t center_id, int64_t member_id, const assist_rules::AssistInput& in);

 private:
  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::desk
