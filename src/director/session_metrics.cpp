#include "director/session_metrics.h"

#include <algorithm>

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

SessionMetrics::Tally& SessionMetrics::tally(const Session& s) {
  ++counts_made_;
  auto it = tallies_.find(s.game_id);
  if (it == tallies_.end()) {
    if (tallies_.size() >= kMaxTotals)
      tallies_.erase(std::min_element(tallies_.begin(), tallies_.end(), [](const auto& a, const auto& b) {
        return a.second.touched < b.second.touched;
      }));
    it = tallies_.emplace(s.game_id, Tally{}).first;
    it->second.totals.owner_id = s.owner_id;
  }
  it->second.totals.game = s.game;
  it->second.touched = counts_made_;
  return it->second;
}

void SessionMetrics::started(const Session& s) {
  started_.at({s.game, s.runtime}).inc();
  ended_.at({s.game, s.runtime});
  for (auto kind : kFailureKinds) failed_.at({s.game, s.runtime, kind});
  std::lock_guard lock(mutex_);
  ++tally(s).totals.started;
}

void SessionMetrics::ended(const Session& s) {
  ended_.at({s.game, s.runtime}).inc();
  std::lock_guard lock(mutex_);
  ++tally(s).totals.ended;
}

void SessionMetrics::failed(const Session& s) {
  auto kind = failure_kind(s.reason);
  failed_.at({s.game, s.runtime, kind}).inc();
  std::lock_guard lock(mutex_);
  ++tally(s).totals.failed[std::string(kind)];
}

void SessionMetrics::ready(const Session& s, std::chrono::nanoseconds since_created) {
  time_to_ready_.at({s.game}).observe(since_created);
}

void SessionMetrics::assigned(const Session& s, std::chrono::nanoseconds since_ticket) {
  time_to_play_.at({s.game}).observe(since_ticket);
  std::lock_guard lock(mutex_);
  auto& t = tally(s);
  if (!t.time_to_play) t.time_to_play = std::make_unique<metrics::Histogram>(metrics::kWaitBuckets);
  t.time_to_play->observe(since_ticket);
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
  std::lock_guard lock(mutex_);
  for (const auto& [id, t] : tallies_) {
    auto& totals = out[id] = t.totals;
    if (t.time_to_play) totals.time_to_play = t.time_to_play->buckets();
  }
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
