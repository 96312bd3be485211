// Private to the db library: the two backends behind Connection::open.
#pragma once

#include <memory>
#include <string>

#include "platform/db/db.hpp"

namespace chidoan::db::detail {

// `path` is a file name, ":memory:" or an SQLite "file:" URI.
Result<std::unique_ptr<Connection>> open_sqlite(const std::string& path);
// `conninfo` is a postgresql:// URL accepted by libpq.
Result<std::unique_ptr<Connection>> open_postgres(const std::string& conninfo);
// Online backup of the SQLite database at `from` into the file `to` (replaced atomically).
Result<void> sqlite_backup(const std::string& from, const std::string& to);
// The backup `from` (checked: integrity, a chidoan schema) copied into the new file `to`.
Result<void> sqlite_restore(const std::string& from, const std::string& to);

}  // namespace chidoan::db::detail
