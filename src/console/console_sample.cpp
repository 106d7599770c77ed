#include "console/console_sample.h"

#include "domain/session.h"
#include "metrics/histogram.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace webgames::console {
namespace {

namespace json = boost::json;

std::int64_t int_of(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : v && v->is_uint64() ? static_cast<std::int64_t>(v->get_uint64()) : 0;
}

double double_of(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : 0.0;
}

std::string string_of(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::array* array_of(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

const json::object* object_of(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

json::object counts_to_json(const std::map<std::string, std::int64_t>& counts) {
  json::object out;
  for (const auto& [k, n] : counts) out[k] = n;
  return out;
}

std::map<std::string, std::int64_t> counts_from_json(const json::object* o) {
  std::map<std::string, std::int64_t> out;
  if (o == nullptr) return out;
  for (const auto& [k, v] : *o)
    if (v.is_int64()) out[std::string(k)] = v.get_int64();
  return out;
}

GameSample game_from_json(const json::object& o) {
  GameSample g;
  g.game = string_of(o, "game");
  g.owner_id = string_of(o, "owner_id");
  if (auto* queues = array_of(o, "queues"))
    for (const auto& q : *queues)
      if (q.is_object()) {
        const auto& qo = q.get_object();
        g.queues.push_back(QueueGlance{string_of(qo, "queue"), int_of(qo, "waiting"), double_of(qo, "oldest_wait_s"),
                                       int_of(qo, "matches_last_minute")});
      }
  g.sessions_by_state = counts_from_json(object_of(o, "sessions_by_state"));
  if (auto* servers = array_of(o, "servers"))
    for (const auto& s : *servers)
      if (s.is_object()) {
        const auto& so = s.get_object();
        g.servers.push_back(ServerCount{string_of(so, "runtime"), string_of(so, "node"), int_of(so, "count")});
      }
  g.players_connected = int_of(o, "players_connected");
  g.started = int_of(o, "started");
  g.ended = int_of(o, "ended");
  g.failed = int_of(o, "failed");
  g.failures = counts_from_json(object_of(o, "failures"));
  if (auto* ttp = array_of(o, "time_to_play"))
    for (const auto& n : *ttp) g.time_to_play.push_back(n.is_number() ? n.to_number<std::uint64_t>() : 0);
  return g;
}

// A number as JSON: an integer when it is whole (Boost.JSON writes 0.0 as "0E0").
json::value number(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15) return static_cast<std::int64_t>(x);
  return x;
}

// The live states a console always sees, at 0 when none is in them.
constexpr std::string_view kLiveStates[] = {"allocating", "starting", "idle", "ready", "running"};

}  // namespace

json::object sample_to_json(const Sample& sample) {
  json::array games;
  for (const auto& g : sample.games) {
    json::array queues;
    for (const auto& q : g.queues)
      queues.push_back(json::object{{"queue", q.queue},
                                    {"waiting", q.waiting},
                                    {"oldest_wait_s", number(q.oldest_wait_s)},
                                    {"matches_last_minute", q.matches_last_minute}});
    json::array servers;
    for (const auto& s : g.servers)
      servers.push_back(json::object{{"runtime", s.runtime}, {"node", s.node}, {"count", s.count}});
    json::array ttp;
    for (auto n : g.time_to_play) ttp.push_back(n);
    games.push_back(json::object{{"game", g.game},
                                 {"owner_id", g.owner_id},
                                 {"queues", std::move(queues)},
                                 {"sessions_by_state", counts_to_json(g.sessions_by_state)},
                                 {"servers", std::move(servers)},
                                 {"players_connected", g.players_connected},
                                 {"started", g.started},
                                 {"ended", g.ended},
                                 {"failed", g.failed},
                                 {"failures", counts_to_json(g.failures)},
                                 {"time_to_play", std::move(ttp)}});
  }
  return json::object{{"t", sample.t}, {"games", std::move(games)}};
}

std::optional<Sample> sample_from_json(const json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  Sample s;
  s.t = int_of(o, "t");
  if (s.t <= 0) return std::nullopt;
  if (auto* games = array_of(o, "games"))
    for (const auto& g : *games)
      if (g.is_object()) s.games.push_back(game_from_json(g.get_object()));
  return s;
}

std::string Scope::key() const {
  return (owner_id ? "o:" + *owner_id : std::string("*")) + "|" + (game ? *game : std::string("*"));
}

json::value quantile_ms(const std::vector<std::uint64_t>& buckets, double p) {
  std::uint64_t total = 0;
  for (auto n : buckets) total += n;
  if (total == 0) return nullptr;
  const auto& bounds = metrics::kWaitBuckets;
  constexpr std::size_t kBounds = std::size(metrics::kWaitBuckets);
  double rank = p * static_cast<double>(total);
  double seen = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    double n = static_cast<double>(buckets[i]);
    if (n > 0 && seen + n >= rank) {
      if (i >= kBounds) return number(bounds[kBounds - 1] * 1000);  // beyond the last bound: say the last
      double low = i == 0 ? 0.0 : bounds[i - 1];
      double high = bounds[i];
      double at = low + (high - low) * ((rank - seen) / n);
      return number(std::round(at * 1000 * 10) / 10);
    }
    seen += n;
  }
  return number(bounds[kBounds - 1] * 1000);
}

SampleHistory::SampleHistory(std::size_t capacity, int interval_s) : capacity_(capacity), interval_s_(interval_s) {
  assert(capacity > 0);
}

bool SampleHistory::add(Sample sample) {
  if (!samples_.empty() && sample.t <= samples_.back().t) return false;
  samples_.push_back(std::move(sample));
  while (samples_.size() > capacity_) samples_.pop_front();
  return true;
}

json::object SampleHistory::entry(const Sample& s, const Scope& scope) const {
  std::int64_t waiting = 0, started = 0, ended = 0, failed = 0;
  double oldest = 0;
  json::object queues;
  std::vector<std::uint64_t> ttp;
  for (const auto& g : s.games) {
    if (!scope.includes(g)) continue;
    for (const auto& q : g.queues) {
      waiting += q.waiting;
      oldest = std::max(oldest, q.oldest_wait_s);
      queues[g.game + "/" + q.queue] = json::object{{"waiting", q.waiting}, {"oldest_wait_s", number(q.oldest_wait_s)}};
    }
    started += g.started;
    ended += g.ended;
    failed += g.failed;
    if (ttp.size() < g.time_to_play.size()) ttp.resize(g.time_to_play.size());
    for (std::size_t i = 0; i < g.time_to_play.size(); ++i) ttp[i] += g.time_to_play[i];
  }
  return json::object{{"t", s.t},
                      {"tickets_waiting", waiting},
                      {"oldest_wait_s", number(oldest)},
                      {"queues", std::move(queues)},
                      {"ttp_p50_ms", quantile_ms(ttp, 0.50)},
                      {"ttp_p99_ms", quantile_ms(ttp, 0.99)},
                      {"started", started},
                      {"ended", ended},
                      {"failed", failed}};
}

json::object SampleHistory::now(const Scope& scope) const {
  std::int64_t players = 0, waiting = 0, matches_per_minute = 0;
  std::map<std::string, std::int64_t> by_state;
  for (auto state : kLiveStates) by_state[std::string(state)] = 0;
  std::map<std::pair<std::string, std::string>, std::int64_t> servers;
  if (const auto* last = latest()) {
    for (const auto& g : last->games) {
      if (!scope.includes(g)) continue;
      players += g.players_connected;
      for (const auto& q : g.queues) {
        waiting += q.waiting;
        matches_per_minute += q.matches_last_minute;
      }
      for (const auto& [state, n] : g.sessions_by_state) by_state[state] += n;
      for (const auto& s : g.servers) servers[{s.runtime, s.node}] += s.count;
    }
  }
  std::map<std::string, std::int64_t> failures;
  for (const auto& s : samples_)
    if (!latest() || s.t > latest()->t - 3600)
      for (const auto& g : s.games)
        if (scope.includes(g))
          for (const auto& [kind, n] : g.failures) failures[kind] += n;
  json::array servers_running;
  for (const auto& [key, n] : servers)
    if (n > 0) servers_running.push_back(json::object{{"runtime", key.first}, {"node", key.second}, {"count", n}});
  std::vector<std::pair<std::string, std::int64_t>> sorted(failures.begin(), failures.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  json::array failures_last_hour;
  for (const auto& [kind, n] : sorted)
    if (n > 0) failures_last_hour.push_back(json::object{{"reason", kind}, {"count", n}});
  return json::object{
      {"players_connected", players},
      {"tickets_waiting", waiting},
      {"matches_per_s", number(std::round(static_cast<double>(matches_per_minute) / 60.0 * 1000) / 1000)},
      {"sessions_by_state", counts_to_json(by_state)},
      {"servers_running", std::move(servers_running)},
      {"failures_last_hour", std::move(failures_last_hour)}};
}

json::array SampleHistory::queues(const Scope& scope) const {
  json::array out;
  if (const auto* last = latest())
    for (const auto& g : last->games) {
      if (!scope.includes(g)) continue;
      for (const auto& q : g.queues)
        out.push_back(json::object{{"game", g.game},
                                   {"queue", q.queue},
                                   {"waiting", q.waiting},
                                   {"oldest_wait_s", number(q.oldest_wait_s)},
                                   {"matches_last_minute", q.matches_last_minute}});
    }
  return out;
}

json::object SampleHistory::overview(const Scope& scope, TimePoint at) const {
  json::array samples;
  for (const auto& s : samples_) samples.push_back(entry(s, scope));
  return json::object{{"at", time_text(at)},
                      {"scope", scope.owner_id ? "tenant" : "all"},
                      {"game", scope.game ? json::value(*scope.game) : json::value(nullptr)},
                      {"now", now(scope)},
                      {"queues", queues(scope)},
                      {"history", json::object{{"interval_s", interval_s_}, {"samples", std::move(samples)}}}};
}

json::object SampleHistory::latest_in(const Scope& scope) const {
  assert(latest() != nullptr);
  return json::object{{"sample", entry(*latest(), scope)}, {"now", now(scope)}, {"queues", queues(scope)}};
}

}  // namespace webgames::console
