// Pure rules of the help desk's assistance log (sổ hướng dẫn) and its catalogue of
// administrative procedures (danh mục thủ tục hành chính): the names of levels, outcomes and
// steps, validation of a logged citizen and of a procedure, and the mapping of a catalogue CSV.
// No database and no clock: `now` is passed in. Times are Vietnam's (UTC+7).
//
// Conventions (tested in assist_rules_test.cpp):
// - Levels are stored as "3", "4" (Decree 43/2011) or "full" (toàn trình), "partial" (một phần)
//   (Decree 42/2022). Forms and files may also write "Mức độ 3", "DVC mức độ 4", "Toàn trình",
//   "Một phần", with or without accents and in any case.
// - Outcomes: "submitted" (the dossier was submitted online), "missing_papers", "referred".
//   "submitted" exactly when the step "submitted" was done.
// - A phone of the citizen only with their consent, recorded at the time of logging; it is
//   normalised to "+84…". No name or identity number of the citizen is ever taken.
// - The time of an assist is not in the future (5 minutes of clock skew allowed) and, when a
//   shift is named, within the shift give or take 60 minutes.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "desk/model.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"
#include "platform/tabular/tabular.hpp"

namespace chidoan::desk::assist_rules {

inline constexpr std::array<std::string_view, 4> kLevels = {"3", "4", "full", "partial"};
inline constexpr std::array<std::string_view, 3> kOutcomes = {"submitted", "missing_papers", "referred"};
// The steps of an assist, in the order they are done and shown.
inline constexpr std::array<std::string_view, 4> kSteps = {"scanned", "account", "fileset", "submitted"};

inline constexpr int64_t kShiftSlackSeconds = 60 * 60;  // an assist may be logged this long around its shift
inline constexpr int64_t kFutureSkewSeconds = 5 * 60;   // clocks of phones and servers differ a little
inline constexpr size_t kMaxNoteChars = 500;
inline constexpr size_t kMaxDocuments = 60;

// ---- Names

// Any accepted spelling of a level -> its stored form ("3", "4", "full", "partial"); anything
// else (also "Mức độ 2") is invalid on `field` with a Vietnamese message.
Result<std::string> parse_level(std::string_view raw, const std::string& field = "level");
// "Mức độ 3", "Mức độ 4", "Toàn trình", "Một phần"; an unknown value is returned as it is.
std::string level_label(std::string_view level);
// The stored names only.
Result<std::string> parse_outcome(std::string_view raw, const std::string& field = "outcome");
std::string outcome_label(std::string_view outcome);  // "Đã nộp trực tuyến", "Thiếu giấy tờ", "Chuyển nơi khác"
std::string step_label(std::string_view step);        // "Scan giấy tờ", "Tạo tài khoản", ...

struct Steps {
  bool scanned = false, account = false, fileset = false, submitted = false;
};
// "scanned,submitted" (repeated form checkboxes and JSON arrays arrive joined by commas).
Result<Steps> parse_steps(std::string_view joined, const std::string& field = "steps");
std::vector<std::string> step_names(const Steps& s);  // in kSteps order

// ---- Times

// A local time "YYYY-MM-DDTHH:MM" (the browser's datetime-local; a space for the T and ":SS"
// are accepted too) or unix seconds written in digits -> unix seconds.
Result<int64_t> parse_time(std::string_view raw, const std::string& field);
// Unix seconds -> "YYYY-MM-DDTHH:MM:SS", Vietnam time (the bundle's form).
std::string local_seconds(int64_t unix_seconds);
// [start, end) in unix seconds of a month "YYYY-MM" or a year "YYYY" in Vietnam time; invalid
// on `field` otherwise.
Result<std::pair<int64_t, int64_t>> period_range(std::string_view period, const std::string& field);
// "YYYY-MM" `delta` months after `month` (REQUIRES: a valid month).
std::string month_after(std::string_view month, int delta);
// The months "YYYY-MM" of a period "YYYY" (twelve) or "YYYY-MM" (itself).
std::vector<std::string> months_of(std::string_view period);

// ---- The assistance log

// One citizen helped, as received and checked on its own. The store checks what needs the
// database: the procedure and the shift belong to the center, the member is a volunteer.
struct AssistInput {
  std::optional<int64_t> member_id;  // empty: the signed-in member
  std::optional<int64_t> shift_id;
  int64_t procedure_id = 0;
  int64_t at = 0;
  std::string level;  // empty: the procedure's level
  Steps steps;
  std::string outcome;
  std::optional<std::string> phone;  // "+84…"
  std::optional<int64_t> phone_consent_at;
  std::string note;
};

// The fields of the form and of the API: member_id, shift_id, procedure_id, at (empty: now),
// level (empty: the procedure's), steps, outcome, phone, phone_consent ("1"), note.
// The first problem is returned, invalid with the field named. A phone with consent gets
// phone_consent_at = now.
Result<AssistInput> validate_assist(const RawFields& raw, int64_t now);
// What holds for every stored assist, wherever it comes from (form, API, bundle): a known
// level and outcome, "submitted" exactly with the submitted step, a phone only in "+84…" form
// and with its consent, a note of at most kMaxNoteChars characters.
Result<void> check_assist(const AssistInput& in);
// The time of an assist on shift `s`: within [start - 60 min, end + 60 min] (invalid on "at").
Result<void> check_in_shift(int64_t at, const Shift& s);
// A free text normalised (NFC, line breaks kept), at most `max_chars` characters.
Result<std::string> clean_text(std::string_view raw, const std::string& field, size_t max_chars, bool keep_lines);

// ---- The catalogue of procedures

struct ProcedureInput {
  std::string code, name, field, level;
  std::vector<std::string> documents;  // the papers of the dossier, in order, without repeats
};
// Fields code (e.g. "1.000656" or "2.001255.000.00.00.H35": letters, digits, '.', '-', '_', at most
// 50), name, field (lĩnh vực), level, documents (one per line or separated by ';').
Result<ProcedureInput> validate_procedure(const RawFields& raw);
// "a; b\nc" -> {"a", "b", "c"}: trimmed, empty parts dropped, repeats refused.
Result<std::vector<std::string>> split_documents(std::string_view raw, const std::string& field = "documents");
// The database's form: one per line.
std::string join_documents(const std::vector<std::string>& docs);
std::vector<std::string> documents_of(std::string_view stored);

// A catalogue file mapped to procedures. Headers, in any case and with or without accents:
//   code       "Mã thủ tục", "Mã TTHC", "Mã", "code"
//   name       "Tên thủ tục", "Tên TTHC", "Tên", "name"
//   field      "Lĩnh vực", "field"
//   level      "Mức độ", "Mức độ DVC", "Mức độ dịch vụ công", "level"
//   documents  "Thành phần hồ sơ", "Hồ sơ", "Giấy tờ", "documents"
// Other columns are ignored (and listed). Every row is checked; a code met twice is an error.
struct ProcedureRow {
  size_t line = 0;  // where the row starts in the file
  ProcedureInput in;
};
struct RowError {
  size_t line = 0;
  std::string field, message;
};
struct ProcedureTable {
  std::vector<ProcedureRow> rows;
  std::vector<RowError> errors;  // empty: every row is good
  std::vector<std::string> ignored_headers;
};
// Errors (invalid on "file"): an empty file, a missing code, name or level column, a column named
// twice. Row problems are collected in `errors`, not returned.
Result<ProcedureTable> map_procedure_table(const tabular::Table& t);
// The error of a file with bad rows: invalid on "file", "Dòng 3: …; dòng 7: …" (the first ten).
Error import_error(const std::vector<RowError>& errors);

}  // namespace chidoan::desk::assist_rules
