// The public-service help desk (bàn hướng dẫn dịch vụ công trực tuyến): plain types.
// Times: instants are unix seconds; dates "YYYY-MM-DD", months "YYYY-MM", clock times "HH:MM",
// all in Vietnam's time (UTC+7). Enumerations keep the strings they are stored with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chidoan::desk {

// A public administrative service center whose desk is staffed by the members of a branch.
struct Center {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  std::string name;
  std::string address;
  int max_shifts_per_week = 3;  // per volunteer, Monday to Sunday
  int min_rest_minutes = 0;     // between two shifts of one volunteer
  int no_show_limit = 3;        // self sign-up locks at this many no-shows in 365 days
};

struct CenterInput {
  std::string name, address;
  int max_shifts_per_week = 3, min_rest_minutes = 0, no_show_limit = 3;
};

struct Counter {
  int64_t id = 0;
  int64_t center_id = 0;
  std::string name;
};

// A shift template: weekdays "12345" (Monday = 1 … Sunday = 7), "07:30"–"11:30", at a counter.
struct Template {
  int64_t id = 0;
  int64_t center_id = 0;
  int64_t counter_id = 0;
  std::string counter_name;
  std::string name;
  std::string weekdays;
  std::string start_time, end_time;
  int min_staff = 1, max_staff = 2;
  bool active = true;
};

// A roster period: one month of a center. activity_id carries the checked hours into the
// members' volunteer record.
struct Period {
  int64_t id = 0;
  int64_t center_id = 0;
  std::string month;
  int64_t activity_id = 0;
};

struct Shift {
  int64_t id = 0;
  int64_t period_id = 0;
  int64_t template_id = 0;
  std::string template_name;
  int64_t counter_id = 0;
  std::string counter_name;
  std::string on_date;
  int64_t starts_at = 0, ends_at = 0;
  int min_staff = 0, max_staff = 0;
};

// Who is on duty on a shift.
struct Assignment {
  int64_t id = 0;
  int64_t shift_id = 0;
  int64_t member_id = 0;
  std::string member_name;
  std::string source;  // signup | roster | swap | coordinator
  int64_t created_at = 0;
  std::optional<int64_t> check_in_at, check_out_at;
  int64_t minutes = 0;
  bool no_show = false;
};

struct Availability {
  int64_t shift_id = 0;
  int64_t member_id = 0;
  bool preferred = false;
};

// A swap (takes effect when accepted) or a drop within 24 h (needs a coordinator).
struct Request {
  int64_t id = 0;
  std::string kind;  // swap | drop
  int64_t shift_id = 0;
  int64_t from_member_id = 0;
  std::string from_name;
  std::optional<int64_t> to_member_id;  // a swap offered to one member; empty: to anyone
  std::string to_name;
  std::string note;
  std::string state;  // open | accepted | approved | refused | cancelled
  int64_t created_at = 0;
  std::optional<int64_t> decided_at;
  std::optional<int64_t> decided_by;
};

// ---- Assistance log

// Service levels: "3", "4" (Decree 43/2011) or "full" (toàn trình), "partial" (một phần)
// after Decree 42/2022.
struct Procedure {
  int64_t id = 0;
  int64_t center_id = 0;
  std::string code;
  std::string name;
  std::string field;
  std::string level;
  std::vector<std::string> documents;  // the papers of the dossier
  bool active = true;
};

// One citizen helped: no name or ID of the citizen; a phone only with the time of consent.
struct Assist {
  int64_t id = 0;
  int64_t center_id = 0;
  std::optional<int64_t> shift_id;
  int64_t member_id = 0;
  std::string member_name;
  int64_t at = 0;
  int64_t procedure_id = 0;
  std::string procedure_code, procedure_name;
  std::string level;
  bool step_scanned = false, step_account = false, step_fileset = false, step_submitted = false;
  std::string outcome;  // submitted | missing_papers | referred
  std::optional<std::string> phone;
  std::optional<int64_t> phone_consent_at;
  std::string note;
};

// ---- Dossier KPI

// The center's figures of one month.
struct KpiMonth {
  std::string month;  // "YYYY-MM"
  int64_t received = 0, settled = 0;
  int64_t online_level3 = 0, online_level4 = 0, online_full = 0, online_partial = 0;
  int64_t assisted = 0;
  // Of `settled`, those of months reported by class (toàn trình/một phần), the national rate's
  // denominator: set on a sum of months (a year, an org's centers); for one month, unset, it is
  // `settled` when the month is reported by class (classed_settled()).
  std::optional<int64_t> settled_classed;
  int64_t online() const { return online_level3 + online_level4 + online_full + online_partial; }
  bool by_class() const { return online_full + online_partial > 0; }
  int64_t classed_settled() const { return settled_classed ? *settled_classed : by_class() ? settled : 0; }
};

}  // namespace chidoan::desk
