// Member import and export (CSV, XLSX): header mapping, a preview that validates every row,
// and an all-or-nothing commit. Shared by the web wizard, the API and `chidoan members import`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "org/model.hpp"
#include "org/rules.hpp"
#include "org/store.hpp"
#include "platform/tabular/tabular.hpp"

namespace chidoan::org {

struct ImportRow {
  size_t line = 0;  // row number in the file
  RawFields raw;
  std::optional<MemberInput> input;  // set when the row is valid
  std::optional<Error> error;        // set when it is not
};

struct ImportPlan {
  std::vector<ImportRow> rows;
  std::vector<std::string> columns;         // the API field each file column maps to ("" if ignored)
  std::vector<std::string> ignored_headers; // headers that map to nothing
  size_t bad = 0;
  bool ok() const { return bad == 0 && !rows.empty(); }
};

// Maps a header cell to a member field: the central Union software's Vietnamese template
// ("Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", …), accent- and case-insensitively, or
// the API's English field names. "full_name" means "Họ và tên" (split into họ/đệm/tên).
std::string map_header(std::string_view header);

// Validates every row against the rules and the branch's current data (units by name,
// duplicate CCCDs in the file and in the database). Writes nothing.
Result<ImportPlan> plan_import(const tabular::Table& table, Store& store, int64_t branch_id, Date today);

// Rows written a statement group at a time (Store::add_members) by commit_import.
inline constexpr size_t kImportBatch = 1000;

// Inserts every row of a plan with no bad rows, kImportBatch rows at a time. REQUIRES: inside a
// transaction, so that a failure leaves nothing behind. `progress(done, total)` is called after
// each batch.
Result<size_t> commit_import(const ImportPlan& plan, Store& store, int64_t branch_id,
                             const std::function<void(size_t, size_t)>& progress = {});

// A file's fingerprint (hex SHA-256), which the audit entry of its import records as "sha256".
std::string file_fingerprint(std::string_view data);
// Refuses (409) a file that an earlier import into `branch_id` recorded: a second click on the
// commit, a form sent again, the same command run twice would add the same people again (a CCCD
// is optional, so nothing else would stop them).
// It waits first for an import of the branch being written (Store::lock_roll), whose audit entry
// it then reads.
Result<void> check_not_imported(Store& store, db::Connection& conn, int64_t branch_id, const std::string& fingerprint);

// The member roll of an org as a table with the import template's Vietnamese headers, read
// `page_size` members at a time.
Result<tabular::Table> export_table(Store& store, const Org& org, Date today, int64_t page_size = 1000);

}  // namespace chidoan::org
