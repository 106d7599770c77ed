#include "director/session_metrics.h"

namespace webgames {

std::string_view failure_kind(std::string_view reason) {
  auto has = [&](std::string_view part) { return reason.find(part) != std::string_view::npos; };
  if (reason.starts_with("the server could not start")) return "launch_failed";
  if (reason.starts_with("the server did not say ready")) return "ready_timeout";
  if (reason.starts_with("the server missed") && has("heartbeat")) return "heartbeat_lost";
  if (reason.starts_with("the session reached its maximum duration")) return "time_limit";
  if (reason.starts_with("the server ") && reason.ends_with(" before ending the session")) return "crashed";
  if (reason.starts_with("no server could be allocated")) return has(": quota ") ? "quota_timeout" : "no_capacity";
  if (reason.starts_with("webgames restarted before the server started") ||
      reason.starts_with("the server was gone when webgames restarted"))
    return "lost_on_restart";
  if (reason.starts_with("the session could not be recorded")) return "record_failed";
  return "other";
}

SessionMetrics::SessionMetrics() = default;

void SessionMetrics::started(std::string_view game, std::string_view runtime) {
  started_.at({game, runtime}).inc();
  ended_.at({game, runtime});
  for (auto kind : kFailureKinds) failed_.at({game, runtime, kind});
}

void SessionMetrics::ended(std::string_view game, std::string_view runtime) { ended_.at({game, runtime}).inc(); }

void SessionMetrics::failed(std::string_view game, std::string_view runtime, std::string_view reason) {
  failed_.at({game, runtime, failure_kind(reason)}).inc();
}

void SessionMetrics::ready(std::string_view game, std::chrono::nanoseconds since_created) {
  time_to_ready_.at({game}).observe(since_created);
}

void SessionMetrics::assigned(std::string_view game, std::chrono::nanoseconds since_ticket) {
  time_to_play_.at({game}).observe(since_ticket);
}

namespace {

// Every series of `family` takes its value in `values`, or 0.
template <class Key, class Value>
void set_all(metrics::Family<metrics::Gauge>& family, const std::map<Key, Value>& values,
             const std::function<std::int64_t(const Value&)>& pick,
             const std::function<Key(const std::vector<std::string>&)>& key_of) {
  family.for_each_mut([&](const std::vector<std::string>& labels, metrics::Gauge& g) {
    auto it = values.find(key_of(labels));
    g.set(it == values.end() ? 0 : pick(it->second));
  });
}

}  // namespace

void SessionMetrics::set_sessions(const std::vector<std::pair<std::string_view, std::int64_t>>& by_state) {
  for (const auto& [state, n] : by_state) sessions_.at({state}).set(n);
}

void SessionMetrics::set_servers(const std::map<std::pair<std::string, std::string>, std::int64_t>& by_runtime_node) {
  for (const auto& [key, n] : by_runtime_node) servers_.at({key.first, key.second});
  set_all<std::pair<std::string, std::string>, std::int64_t>(
      servers_, by_runtime_node, [](const std::int64_t& n) { return n; },
      [](const std::vector<std::string>& l) { return std::pair(l[0], l[1]); });
}

void SessionMetrics::set_ports(const std::map<std::string, std::int64_t>& in_use_by_node, std::int64_t range) {
  for (const auto& [node, n] : in_use_by_node) {
    ports_in_use_.at({node});
    ports_free_.at({node});
  }
  auto node_of = [](const std::vector<std::string>& l) { return l[0]; };
  set_all<std::string, std::int64_t>(
      ports_in_use_, in_use_by_node, [](const std::int64_t& n) { return n; }, node_of);
  ports_free_.for_each_mut([&](const std::vector<std::string>& labels, metrics::Gauge& g) {
    auto it = in_use_by_node.find(labels[0]);
    g.set(range - (it == in_use_by_node.end() ? 0 : it->second));
  });
}

std::map<std::string, SessionMetrics::GameTotals> SessionMetrics::totals() const {
  std::map<std::string, GameTotals> out;
  started_.for_each([&](const std::vector<std::string>& values, const std::string&, const metrics::Counter& c) {
    out[values[0]].started += c.get();
  });
  ended_.for_each([&](const std::vector<std::string>& values, const std::string&, const metrics::Counter& c) {
    out[values[0]].ended += c.get();
  });
  failed_.for_each([&](const std::vector<std::string>& values, const std::string&, const metrics::Counter& c) {
    if (c.get() > 0) out[values[0]].failed[values[2]] += c.get();
  });
  time_to_play_.for_each([&](const std::vector<std::string>& values, const std::string&, const metrics::Histogram& h) {
    out[values[0]].time_to_play = h.buckets();
  });
  return out;
}

std::string SessionMetrics::render() const {
  std::string out;
  metrics::render(out, "webgames_sessions_started_total", "Sessions created for a match; each ends as ended or failed.",
                  started_);
  metrics::render(out, "webgames_sessions_ended_total", "Sessions whose server reported the end of the game.", ended_);
  metrics::render(out, "webgames_sessions_failed_total", "Sessions failed, by kind of reason.", failed_);
  metrics::render(out, "webgames_session_time_to_ready_seconds",
                  "From a session's creation (its match formed) to its server saying ready.", time_to_ready_);
  metrics::render(out, "webgames_time_to_play_seconds",
                  "From a ticket's creation to its players getting their server's address (session.ready).",
                  time_to_play_);
  metrics::render(out, "webgames_sessions", "Sessions not yet forgotten by the director, by state.", sessions_);
  metrics::render(out, "webgames_servers_running", "Game servers started (or starting) and not yet gone.", servers_);
  metrics::render(out, "webgames_ports_in_use", "Ports of the range handed out to servers, by node.", ports_in_use_);
  metrics::render(out, "webgames_ports_free", "Ports of the range not handed out, by node.", ports_free_);
  return out;
}

}  // namespace webgames
