// The demo bundle (data/demo/lam-dong-2021.json) for tests; CHIDOAN_SOURCE_DIR is set by CTest.
#pragma once

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace chidoan::testing {

// The whole demo bundle.
inline nlohmann::json demo_bundle_full() {
  const char* dir = std::getenv("CHIDOAN_SOURCE_DIR");
  std::ifstream in(std::string(dir ? dir : ".") + "/data/demo/lam-dong-2021.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

// The org part of the demo plus the named module sections ("activity", "dues", …).
inline nlohmann::json demo_bundle(std::initializer_list<const char*> sections = {}) {
  static const std::set<std::string> org_keys = {"format", "version", "root_parent", "levels", "orgs", "org_events", "units", "members"};
  nlohmann::json d = demo_bundle_full();
  for (auto it = d.begin(); it != d.end();) {
    bool keep = org_keys.contains(it.key());
    for (const char* s : sections) keep = keep || it.key() == s;
    if (keep) ++it;
    else it = d.erase(it);
  }
  return d;
}

}  // namespace chidoan::testing
