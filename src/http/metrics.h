#pragma once
// Request counts and latency histograms per route, and the WebSockets open
// per route, rendered in the Prometheus text exposition format (version
// 0.0.4). Recording is lock-free (relaxed atomics), so it costs a few
// nanoseconds on the request path.

#include "http/message.h"
#include "metrics/histogram.h"

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace webgames::http {

// The labels of one route's series.
struct RouteLabels {
  std::string method;
  std::string route;       // the pattern, "/v1/games/{game}"
  bool websocket = false;  // a WebSocket route: its open connections are a gauge
};

class HttpMetrics {
 public:
  // One slot per route, plus one for requests that matched none; `routes`
  // in route index order.
  explicit HttpMetrics(std::vector<RouteLabels> routes);

  // REQUIRES: route_index < routes.size(), or == routes.size() for "unmatched".
  void record(std::size_t route_index, unsigned status, std::chrono::nanoseconds latency);
  // A WebSocket of the route opened (+1) or closed (-1).
  // REQUIRES: route_index names a WebSocket route.
  void websocket_open(std::size_t route_index, int delta);

  std::size_t unmatched_index() const { return slots_.size() - 1; }

  // Why a connection was closed as soon as it was accepted.
  enum class Refusal { server_full, address_full };
  void connection_refused(Refusal why);

  // The exposition text, with process-wide gauges passed in by the caller.
  std::string render(std::size_t open_connections) const;

 private:
  struct Slot {
    RouteLabels labels;
    std::array<std::atomic<std::uint64_t>, 600> by_status{};  // index: HTTP status
    metrics::Histogram latency{metrics::kCallBuckets};
    std::atomic<std::int64_t> websockets{0};
  };
  std::vector<std::unique_ptr<Slot>> slots_;
  std::array<std::atomic<std::uint64_t>, 2> refused_{};  // by Refusal
};

}  // namespace webgames::http
