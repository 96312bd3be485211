// The bundle's plumbing shared by every module's section (docs/bundle.md). The org module owns
// the tree and the member roll; each later module owns one top-level key and reads the org
// section's names through these maps. No domain knowledge here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::bundle {

// What a section may refer to while it is validated, before anything is written.
struct Known {
  std::set<std::string> org_codes;    // orgs of the bundle (codes in the database are checked by the section)
  std::set<std::string> member_refs;  // the "ref" of every member of the bundle
};

// Names -> database ids, once the org section is written (load runs in the same transaction).
struct Refs {
  std::map<std::string, int64_t> orgs;     // code -> id
  std::map<std::string, int64_t> members;  // ref -> id
};

// What a dump covers: the subtree's orgs and the members who ever stayed in it.
struct DumpScope {
  std::string root_path;                        // orgs.path of the subtree's root
  std::map<int64_t, std::string> org_codes;     // every org of the database: id -> code
  std::map<int64_t, std::string> member_refs;   // members in the bundle: id -> ref
};

// One module's top-level key of the bundle.
struct Section {
  std::string key;
  std::function<Result<void>(db::Connection&, const nlohmann::json&, const Known&)> validate;
  std::function<Result<void>(db::Connection&, const Clock&, const nlohmann::json&, const Refs&)> load;
  std::function<Result<nlohmann::json>(db::Connection&, const Clock&, const DumpScope&)> dump;
};

}  // namespace chidoan::bundle
