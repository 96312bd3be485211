// Small helpers shared by the benchmark programs: fail fast on a Result, and the statistics
// the figures in docs/benchmarks.md use.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "platform/core/result.hpp"

namespace chidoan::bench {

// The program's name in error messages; set it first thing in main().
inline std::string program = "bench";

[[noreturn]] inline void die(const std::string& what, const Error& e) {
  std::cerr << program << ": " << what << ": " << e.message << (e.field.empty() ? "" : " (" + e.field + ")") << "\n";
  std::exit(1);
}
template <typename T>
T must(Result<T> r, const std::string& what) {
  if (!r) die(what, r.error());
  return std::move(*r);
}
inline void must(Result<void> r, const std::string& what) {
  if (!r) die(what, r.error());
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
// Nearest-rank percentile.
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(k, 1, v.size()) - 1];
}

}  // namespace chidoan::bench
