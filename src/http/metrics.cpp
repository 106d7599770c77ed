#include "http/metrics.h"

#include "metrics/family.h"

#include <fmt/format.h>

#include <algorithm>

namespace webgames::http {

HttpMetrics::HttpMetrics(std::vector<RouteLabels> routes) {
  routes.push_back({"", "unmatched"});
  for (auto& labels : routes) {
    auto slot = std::make_unique<Slot>();
    slot->labels = std::move(labels);
    slots_.push_back(std::move(slot));
  }
}

void HttpMetrics::record(std::size_t route_index, unsigned status, std::chrono::nanoseconds latency) {
  auto& s = *slots_[std::min(route_index, slots_.size() - 1)];
  s.by_status[std::min(status, 599u)].fetch_add(1, std::memory_order_relaxed);
  s.latency.observe(latency);
}

void HttpMetrics::websocket_open(std::size_t route_index, int delta) {
  slots_[std::min(route_index, slots_.size() - 1)]->websockets.fetch_add(delta, std::memory_order_relaxed);
}

void HttpMetrics::connection_refused(Refusal why) {
  refused_[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
}

std::string HttpMetrics::render(std::size_t open_connections) const {
  std::string out;
  auto labels = [](const Slot& s) {
    return metrics::label_text({"method", "route"}, {s.labels.method, s.labels.route});
  };

  metrics::write_header(out, "webgames_http_requests_total", "counter",
                        "HTTP requests answered, by route and status code.");
  for (const auto& s : slots_)
    for (unsigned code = 100; code < s->by_status.size(); ++code)
      if (auto n = s->by_status[code].load(std::memory_order_relaxed))
        out += fmt::format("webgames_http_requests_total{{{},code=\"{}\"}} {}\n", labels(*s), code, n);

  metrics::write_header(out, "webgames_http_request_duration_seconds", "histogram",
                        "Time from a complete request to its response.");
  for (const auto& s : slots_)
    if (s->latency.count() != 0) s->latency.render(out, "webgames_http_request_duration_seconds", labels(*s));

  metrics::write_header(out, "webgames_http_open_connections", "gauge", "Client connections currently open.");
  out += fmt::format("webgames_http_open_connections {}\n", open_connections);

  metrics::write_header(out, "webgames_http_refused_connections_total", "counter",
                        "Connections closed as soon as accepted: the server held http.max_connections "
                        "(max_connections), or their address held http.max_connections_per_address.");
  out += fmt::format("webgames_http_refused_connections_total{{reason=\"max_connections\"}} {}\n",
                     refused_[static_cast<std::size_t>(Refusal::server_full)].load(std::memory_order_relaxed));
  out += fmt::format("webgames_http_refused_connections_total{{reason=\"max_connections_per_address\"}} {}\n",
                     refused_[static_cast<std::size_t>(Refusal::address_full)].load(std::memory_order_relaxed));

  metrics::write_header(out, "webgames_websocket_connections", "gauge",
                        "WebSockets open, by route: /v1/events (players' events), "
                        "/v1/sessions/{session}/connect (the relay to game servers).");
  for (const auto& s : slots_)
    if (s->labels.websocket)
      out += fmt::format("webgames_websocket_connections{{{}}} {}\n", metrics::label_text({"route"}, {s->labels.route}),
                         s->websockets.load(std::memory_order_relaxed));
  return out;
}

}  // namespace webgames::http
