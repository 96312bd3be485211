// Files embedded in the binary at build time (templates/, static/, migrations/, i18n/,
// data/): the server needs nothing on disk but its database.
#pragma once

#include <algorithm>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace chidoan::assets {

struct Asset {
  std::string_view path;  // relative to the source tree, e.g. "templates/org/branch.mustache"
  std::string_view data;
};

// All embedded files, sorted by path.
std::span<const Asset> all();

inline std::optional<std::string_view> find(std::string_view path) {
  auto files = all();
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const Asset& a, std::string_view p) { return a.path < p; });
  if (it == files.end() || it->path != path) return std::nullopt;
  return it->data;
}

// Files whose path starts with `prefix`, in path order.
inline std::vector<Asset> under(std::string_view prefix) {
  std::vector<Asset> out;
  for (const auto& a : all())
    if (a.path.starts_with(prefix)) out.push_back(a);
  return out;
}

}  // namespace chidoan::assets
