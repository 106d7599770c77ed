#pragma once
// Request counts and latency histograms per route, rendered in the
// Prometheus text exposition format (version 0.0.4). Recording is lock-free
// (relaxed atomics), so it costs a few nanoseconds on the request path.

#include "http/message.h"

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace webgames::http {

class HttpMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 14> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   2.5};

  // One slot per route, plus one for requests that matched none.
  // `routes` are "METHOD pattern" labels, in route index order.
  explicit HttpMetrics(std::vector<std::pair<std::string, std::string>> routes);

  // REQUIRES: route_index < routes.size(), or == routes.size() for "unmatched".
  void record(std::size_t route_index, unsigned status, std::chrono::nanoseconds latency);

  std::size_t unmatched_index() const { return slots_.size() - 1; }

  // The exposition text, with process-wide gauges passed in by the caller.
  std::string render(std::size_t open_connections) const;

 private:
  struct Slot {
    std::string method;
    std::string route;
    std::array<std::atomic<std::uint64_t>, 600> by_status{};                // index: HTTP status
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace webgames::http
