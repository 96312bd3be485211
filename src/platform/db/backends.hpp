// Private to the db library: the two backends behind Connection::open.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "platform/db/db.hpp"

namespace chidoan::db::detail {

// Heterogeneous lookup, so that a std::string_view finds a backend's cached statement without a
// copy: std::unordered_map<std::string, T, SvHash, std::equal_to<>>.
struct SvHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// `path` is a file name, ":memory:" or an SQLite "file:" URI.
Result<std::unique_ptr<Connection>> open_sqlite(const std::string& path);
// `conninfo` is a postgresql:// URL accepted by libpq.
Result<std::unique_ptr<Connection>> open_postgres(const std::string& conninfo);
// Online backup of the SQLite database at `from` into the file `to` (replaced atomically).
Result<void> sqlite_backup(const std::string& from, const std::string& to);
// The backup `from` (checked: integrity, a chidoan schema) copied into the new file `to`.
Result<void> sqlite_restore(const std::string& from, const std::string& to);

}  // namespace chidoan::db::detail
