// Prometheus metrics. One mutex around small maps: an observation is a map lookup and a few
// additions, far below the cost of the request it measures.
#include <array>
#include <cstdio>
#include <mutex>
#include <tuple>

#include "platform/http/http.hpp"

namespace chidoan::http {

namespace {

constexpr std::array<double, 12> kBuckets = {.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5};
constexpr std::array<const char*, 12> kBucketLabels = {"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
                                                       "0.1",   "0.25",   "0.5",   "1",    "2.5",  "5"};

}  // namespace

// Outside the anonymous namespace: Metrics::Impl, declared in metrics.hpp, holds it.
struct Histogram {
  std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative; summed on render
  uint64_t count = 0;
  double sum = 0;
};

namespace {

std::string label_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

// Client-chosen methods must not create unbounded label values.
const char* known_method(const std::string& m) {
  static constexpr const char* kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (const char* k : kMethods)
    if (m == k) return k;
  return "OTHER";
}

}  // namespace

struct Metrics::Impl {
  mutable std::mutex mu;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests;
  std::map<std::string, Histogram> durations;  // by route
};

std::shared_ptr<Metrics::Impl> Metrics::make_impl() { return std::make_shared<Impl>(); }

void Metrics::observe(const std::string& method, const std::string& route, int status, double seconds) {
  size_t bucket = kBuckets.size();
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      bucket = i;
      break;
    }
  }
  const std::string& r = route.empty() ? std::string("unmatched") : route;
  std::lock_guard lock(impl_->mu);
  ++impl_->requests[{known_method(method), r, status}];
  auto& h = impl_->durations[r];
  if (bucket < kBuckets.size()) ++h.buckets[bucket];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(4096);
  char num[64];
  std::lock_guard lock(impl_->mu);
  out += "# HELP chidoan_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE chidoan_http_requests_total counter\n";
  for (const auto& [key, n] : impl_->requests) {
    const auto& [method, route, status] = key;
    out += "chidoan_http_requests_total{method=\"" + label_escape(method) + "\",route=\"" +
           label_escape(route) + "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP chidoan_http_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE chidoan_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : impl_->durations) {
    std::string lbl = "route=\"" + label_escape(route) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += "chidoan_http_request_duration_seconds_bucket{" + lbl + ",le=\"" + kBucketLabels[i] + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "chidoan_http_request_duration_seconds_bucket{" + lbl + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    std::snprintf(num, sizeof num, "%.9g", h.sum);
    out += "chidoan_http_request_duration_seconds_sum{" + lbl + "} " + num + "\n";
    out += "chidoan_http_request_duration_seconds_count{" + lbl + "} " + std::to_string(h.count) + "\n";
  }
  return out;
}

}  // namespace chidoan::http
