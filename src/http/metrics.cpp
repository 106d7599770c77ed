#include "http/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace webgames::http {

HttpMetrics::HttpMetrics(std::vector<std::pair<std::string, std::string>> routes) {
  routes.emplace_back("", "unmatched");
  for (auto& [method, route] : routes) {
    auto slot = std::make_unique<Slot>();
    slot->method = std::move(method);
    slot->route = std::move(route);
    slots_.push_back(std::move(slot));
  }
}

void HttpMetrics::record(std::size_t route_index, unsigned status, std::chrono::nanoseconds latency) {
  auto& s = *slots_[std::min(route_index, slots_.size() - 1)];
  s.by_status[std::min(status, 599u)].fetch_add(1, std::memory_order_relaxed);
  double seconds = std::chrono::duration<double>(latency).count();
  auto bucket =
      static_cast<std::size_t>(std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
  s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
}

std::string HttpMetrics::render(std::size_t open_connections) const {
  std::string out;
  auto labels = [](const Slot& s) { return fmt::format("method=\"{}\",route=\"{}\"", s.method, s.route); };

  out += "# HELP webgames_http_requests_total HTTP requests answered, by route and status code.\n";
  out += "# TYPE webgames_http_requests_total counter\n";
  for (const auto& s : slots_)
    for (unsigned code = 100; code < s->by_status.size(); ++code)
      if (auto n = s->by_status[code].load(std::memory_order_relaxed))
        out += fmt::format("webgames_http_requests_total{{{},code=\"{}\"}} {}\n", labels(*s), code, n);

  out += "# HELP webgames_http_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE webgames_http_request_duration_seconds histogram\n";
  for (const auto& s : slots_) {
    auto count = s->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += s->buckets[b].load(std::memory_order_relaxed);
      out += fmt::format("webgames_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels(*s), kBuckets[b],
                         cumulative);
    }
    cumulative += s->buckets.back().load(std::memory_order_relaxed);
    out += fmt::format("webgames_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels(*s), cumulative);
    out += fmt::format("webgames_http_request_duration_seconds_sum{{{}}} {}\n", labels(*s),
                       static_cast<double>(s->sum_ns.load(std::memory_order_relaxed)) / 1e9);
    out += fmt::format("webgames_http_request_duration_seconds_count{{{}}} {}\n", labels(*s), cumulative);
  }

  out += "# HELP webgames_http_open_connections Client connections currently open.\n";
  out += "# TYPE webgames_http_open_connections gauge\n";
  out += fmt::format("webgames_http_open_connections {}\n", open_connections);
  return out;
}

}  // namespace webgames::http
