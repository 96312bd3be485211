// The demo bundle (data/demo/lam-dong-2021.json) for tests; CHIDOAN_SOURCE_DIR is set by CTest.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace chidoan::testing {

inline nlohmann::json demo_bundle() {
  const char* dir = std::getenv("CHIDOAN_SOURCE_DIR");
  std::ifstream in(std::string(dir ? dir : ".") + "/data/demo/lam-dong-2021.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

}  // namespace chidoan::testing
