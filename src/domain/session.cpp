#include "domain/session.h"

#include <fmt/chrono.h>
#include <boost/json/parse.hpp>

namespace webgames {

namespace json = boost::json;

std::string_view to_string(SessionState s) {
  switch (s) {
    case SessionState::allocating:
      return "allocating";
    case SessionState::starting:
      return "starting";
    case SessionState::idle:
      return "idle";
    case SessionState::ready:
      return "ready";
    case SessionState::running:
      return "running";
    case SessionState::ended:
      return "ended";
    case SessionState::failed:
      return "failed";
  }
  return "failed";
}

std::optional<SessionState> parse_session_state(std::string_view text) {
  for (auto s : {SessionState::allocating, SessionState::starting, SessionState::idle, SessionState::ready,
                 SessionState::running, SessionState::ended, SessionState::failed})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

bool is_final(SessionState s) { return s == SessionState::ended || s == SessionState::failed; }

bool can_transition(SessionState from, SessionState to) {
  if (is_final(from)) return false;
  if (to == SessionState::failed) return true;
  switch (from) {
    case SessionState::allocating:
      return to == SessionState::starting;
    case SessionState::starting:  // ended: a pool server stopped unused
      return to == SessionState::ready || to == SessionState::idle || to == SessionState::ended;
    case SessionState::idle:
      return to == SessionState::ready || to == SessionState::ended;
    case SessionState::ready:
      return to == SessionState::running || to == SessionState::ended;
    case SessionState::running:
      return to == SessionState::ended;
    default:
      return false;
  }
}

json::object session_roster(const Session& s) {
  json::array teams(static_cast<std::size_t>(s.teams), json::array());
  json::array players;
  for (const auto& p : s.players) {
    if (p.team >= 0 && p.team < s.teams) teams[static_cast<std::size_t>(p.team)].as_array().emplace_back(p.id);
    players.push_back(json::object{{"id", p.id}, {"name", p.name}, {"team", p.team}});
  }
  return json::object{{"teams", std::move(teams)}, {"players", std::move(players)}};
}

std::string time_text(TimePoint t) {
  auto ms = t.time_since_epoch().count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", utc, ms % 1000);
}

json::object session_to_json(const Session& s) {
  json::array players;
  for (const auto& p : s.players)
    players.push_back(json::object{{"id", p.id}, {"name", p.name}, {"team", p.team}, {"connected", p.connected}});
  json::object ports;
  for (const auto& [k, v] : s.ports) ports[k] = v;
  // RFC 3339 in UTC with milliseconds: the steps of a session are close together.
  auto at = [](TimePoint t) -> json::value {
    if (t == TimePoint{}) return nullptr;
    return json::value(time_text(t));
  };
  json::object timings{{"queued_at", at(s.queued_at)},
                       {"matched_at", at(s.matched_at)},
                       {"started_at", at(s.started_at)},
                       {"ready_at", at(s.ready_at)},
                       {"ended_at", at(s.ended_at)}};
  json::object out{{"id", s.id},
                   {"game", s.game},
                   {"game_id", s.game_id},
                   {"queue", s.queue},
                   {"state", to_string(s.state)},
                   {"pooled", s.pooled},
                   {"players", std::move(players)},
                   {"teams", s.teams},
                   {"region", s.region},
                   {"host", s.host},
                   {"port", s.port},
                   {"ports", std::move(ports)},
                   {"timings", std::move(timings)}};
  if (!s.reason.empty()) out["reason"] = s.reason;
  auto used = usage_of(s, s.ended_at == TimePoint{} ? s.last_heartbeat : s.ended_at);
  out["usage"] = json::object{{"server_seconds", used.server_seconds}, {"cpu", s.cpu}, {"memory_mb", s.memory_mb}};
  if (!s.results.empty()) {
    boost::system::error_code ec;
    auto results = json::parse(s.results, ec);
    out["results"] = ec ? json::value(nullptr) : std::move(results);
  }
  return out;
}

}  // namespace webgames

namespace webgames {

namespace {

std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_ms(const boost::json::value& v) {
  return TimePoint{std::chrono::milliseconds{v.is_int64() ? v.get_int64() : 0}};
}
std::string str(const boost::json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

SessionUsage usage_of(const Session& s, TimePoint now) {
  if (s.started_at == TimePoint{}) return {};  // its server never started
  auto end = s.ended_at != TimePoint{} ? s.ended_at : now;
  double seconds = std::max(0.0, std::chrono::duration<double>(end - s.started_at).count());
  return SessionUsage{seconds, seconds * s.cpu, seconds * s.memory_mb};
}

boost::json::object session_record_to_json(const Session& s) {
  json::array players;
  for (const auto& p : s.players)
    players.push_back(json::object{
        {"id", p.id}, {"name", p.name}, {"team", p.team}, {"ticket_id", p.ticket_id}, {"connected", p.connected}});
  json::object ports;
  for (const auto& [k, v] : s.ports) ports[k] = v;
  json::array requeued;
  for (const auto& id : s.requeued) requeued.emplace_back(id);
  return json::object{{"id", s.id},
                      {"game_id", s.game_id},
                      {"game", s.game},
                      {"queue", s.queue},
                      {"owner_id", s.owner_id},
                      {"players", std::move(players)},
                      {"teams", s.teams},
                      {"region", s.region},
                      {"state", to_string(s.state)},
                      {"reason", s.reason},
                      {"pooled", s.pooled},
                      {"runtime", s.runtime},
                      {"runtime_id", s.runtime_id},
                      {"host", s.host},
                      {"node", s.node},
                      {"ports", std::move(ports)},
                      {"port", s.port},
                      {"max_duration_s", s.max_duration_s},
                      {"cpu", s.cpu},
                      {"memory_mb", s.memory_mb},
                      {"sdk_secret_hash", s.sdk_secret_hash},
                      {"join_key_id", s.join_key_id},
                      {"queued_at", ms(s.queued_at)},
                      {"matched_at", ms(s.matched_at)},
                      {"started_at", ms(s.started_at)},
                      {"ready_at", ms(s.ready_at)},
                      {"ended_at", ms(s.ended_at)},
                      {"last_heartbeat", ms(s.last_heartbeat)},
                      {"results", s.results},
                      {"requeued", std::move(requeued)},
                      {"told", s.told}};
}

bool is_untold(const Session& s) { return is_final(s.state) && !s.told && !s.players.empty(); }

std::optional<Session> session_from_record(const boost::json::value& record) {
  if (!record.is_object()) return std::nullopt;
  const auto& o = record.get_object();
  Session s;
  s.id = str(o, "id");
  s.game_id = str(o, "game_id");
  s.game = str(o, "game");
  s.queue = str(o, "queue");
  s.region = str(o, "region");
  s.owner_id = str(o, "owner_id");
  if (auto* players = o.if_contains("players"); players && players->is_array())
    for (const auto& p : players->get_array()) {
      if (!p.is_object()) continue;
      const auto& po = p.get_object();
      auto* team = po.if_contains("team");
      auto* connected = po.if_contains("connected");
      s.players.push_back(SessionPlayer{
          str(po, "id"), str(po, "name"), team && team->is_int64() ? static_cast<int>(team->get_int64()) : 0,
          str(po, "ticket_id"), connected && connected->is_bool() && connected->get_bool()});
    }
  if (auto* teams = o.if_contains("teams"); teams && teams->is_int64()) s.teams = static_cast<int>(teams->get_int64());
  auto state = parse_session_state(str(o, "state"));
  if (s.id.empty() || !state) return std::nullopt;
  s.state = *state;
  s.reason = str(o, "reason");
  if (auto* pooled = o.if_contains("pooled"); pooled && pooled->is_bool()) s.pooled = pooled->get_bool();
  s.runtime = str(o, "runtime");
  s.runtime_id = str(o, "runtime_id");
  s.host = str(o, "host");
  s.node = str(o, "node");
  if (auto* ports = o.if_contains("ports"); ports && ports->is_object())
    for (const auto& kv : ports->get_object())
      if (kv.value().is_int64()) s.ports[std::string(kv.key())] = static_cast<int>(kv.value().get_int64());
  if (auto* port = o.if_contains("port"); port && port->is_int64()) s.port = static_cast<int>(port->get_int64());
  if (auto* d = o.if_contains("max_duration_s"); d && d->is_int64())
    s.max_duration_s = static_cast<int>(d->get_int64());
  if (auto* cpu = o.if_contains("cpu"); cpu && cpu->is_number()) s.cpu = cpu->to_number<double>();
  if (auto* m = o.if_contains("memory_mb"); m && m->is_int64()) s.memory_mb = static_cast<int>(m->get_int64());
  s.sdk_secret_hash = str(o, "sdk_secret_hash");
  s.join_key_id = str(o, "join_key_id");
  auto at = [&](std::string_view k) { return o.contains(k) ? from_ms(o.at(k)) : TimePoint{}; };
  s.queued_at = at("queued_at");
  s.matched_at = at("matched_at");
  s.started_at = at("started_at");
  s.ready_at = at("ready_at");
  s.ended_at = at("ended_at");
  s.last_heartbeat = at("last_heartbeat");
  s.results = str(o, "results");
  if (auto* requeued = o.if_contains("requeued"); requeued && requeued->is_array())
    for (const auto& p : requeued->get_array())
      if (p.is_string()) s.requeued.emplace(p.get_string());
  // Records from before the mark: their ends were told when they were written.
  auto* told = o.if_contains("told");
  s.told = told && told->is_bool() ? told->get_bool() : is_final(s.state);
  return s;
}

}  // namespace webgames
