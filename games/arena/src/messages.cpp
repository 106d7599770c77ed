#include "messages.h"

#include <boost/json/parse.hpp>

#include <cmath>

namespace arena {

namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxSeq = (std::int64_t{1} << 53) - 1;

// The integer at `key`, also when written as a whole double (2.0).
std::optional<std::int64_t> integer_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(kMaxSeq))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && std::isfinite(v->get_double()) && std::trunc(v->get_double()) == v->get_double() &&
      std::fabs(v->get_double()) <= static_cast<double>(kMaxSeq))
    return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

BadMessage bad_input(std::string reason) { return {"bad_input", std::move(reason)}; }

ClientMessage parse_input(const json::object& o) {
  InputMessage m;
  auto seq = integer_field(o, "seq");
  if (!seq || *seq < 1 || *seq > kMaxSeq) return bad_input("seq must be an integer from 1 to 2^53-1");
  m.seq = *seq;
  for (auto [key, out] : {std::pair{"dx", &m.input.dx}, std::pair{"dy", &m.input.dy}}) {
    auto d = integer_field(o, key);
    if (!d || *d < -1 || *d > 1) return bad_input(std::string(key) + " must be -1, 0 or 1");
    *out = static_cast<int>(*d);
  }
  if (const auto* aim = o.if_contains("aim")) {
    double a = aim->is_double() ? aim->get_double() : aim->is_int64() ? static_cast<double>(aim->get_int64()) : NAN;
    if (!std::isfinite(a) || std::fabs(a) > 1e6) return bad_input("aim must be a finite number (radians)");
    m.input.aim = a;
    m.has_aim = true;
  }
  if (const auto* fire = o.if_contains("fire")) {
    if (!fire->is_bool()) return bad_input("fire must be true or false");
    m.input.fire = fire->get_bool();
  }
  return m;
}

json::array player_ids(const Roster& roster, const std::vector<bool>& which) {
  json::array out;
  for (std::size_t i = 0; i < roster.size(); ++i)
    if (which[i]) out.emplace_back(roster[i].id);
  return out;
}

// Two decimals: enough to draw, a third of the bytes of a full double.
double rounded(double v) { return std::round(v * 100) / 100; }

std::int64_t ms_of_ticks(const Simulation& sim, int ticks) {
  return static_cast<std::int64_t>(ticks) * 1000 / sim.rules().tick_rate;
}

}  // namespace

ClientMessage parse_client_message(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return BadMessage{"bad_request", "a message is one JSON object with a \"type\""};
  const auto& o = value.get_object();
  const auto* type = o.if_contains("type");
  if (type == nullptr || !type->is_string())
    return BadMessage{"bad_request", "a message is one JSON object with a \"type\""};
  std::string_view t = type->get_string();
  if (t == "input") return parse_input(o);
  if (t == "ping") {
    auto id = integer_field(o, "id");
    if (!id || *id < 0 || *id > kMaxSeq) return bad_input("id must be an integer from 0 to 2^53-1");
    return PingMessage{*id};
  }
  if (t == "join") return JoinMessage{};
  return BadMessage{"bad_request", "unknown message type; expected input or ping"};
}

std::int64_t time_ms(const Simulation& sim, int tick) { return ms_of_ticks(sim, tick); }

json::object error_message(std::string_view code, std::string_view reason) {
  return {{"type", "error"}, {"code", code}, {"reason", reason}};
}

json::object welcome_message(const PlayerInfo& you, const Roster& roster, const Simulation& sim,
                             std::string_view phase) {
  const auto& r = sim.rules();
  const auto& map = sim.map();
  json::array walls;
  for (const auto& w : map.walls) walls.push_back(json::object{{"x", w.x}, {"y", w.y}, {"w", w.w}, {"h", w.h}});
  json::array players;
  for (std::size_t i = 0; i < roster.size(); ++i)
    players.push_back(
        json::object{{"id", roster[i].id}, {"name", roster[i].name}, {"team", roster[i].team}, {"slot", i}});
  return {{"type", "welcome"},
          {"player", you.id},
          {"name", you.name},
          {"tick_rate", r.tick_rate},
          {"arena", json::object{{"width", map.width}, {"height", map.height}, {"walls", std::move(walls)}}},
          {"rules", json::object{{"player_radius", r.player_radius},
                                 {"player_speed", r.player_speed},
                                 {"bullet_radius", r.bullet_radius},
                                 {"bullet_speed", r.bullet_speed},
                                 {"bullet_lifetime_ms", ms_of_ticks(sim, r.bullet_lifetime_ticks)},
                                 {"fire_cooldown_ms", ms_of_ticks(sim, r.fire_cooldown_ticks)},
                                 {"hp", r.hp},
                                 {"time_limit_ms", ms_of_ticks(sim, r.time_limit_ticks)},
                                 {"countdown_ms", ms_of_ticks(sim, r.countdown_ticks)}}},
          {"players", std::move(players)},
          {"phase", phase}};
}

json::object lobby_message(const Roster& roster, const std::vector<bool>& connected, std::int64_t deadline_ms) {
  return {{"type", "lobby"}, {"connected", player_ids(roster, connected)}, {"join_deadline_ms", deadline_ms}};
}

json::object state_message(const Roster& roster, const Simulation& sim, const std::vector<bool>& connected,
                           std::int64_t ack) {
  json::array players;
  for (int i = 0; i < sim.player_count(); ++i) {
    const auto& p = sim.player(i);
    players.push_back(json::object{{"id", roster[i].id},
                                   {"x", rounded(p.x)},
                                   {"y", rounded(p.y)},
                                   {"aim", std::round(p.aim * 10000) / 10000},
                                   {"hp", p.hp},
                                   {"alive", p.alive},
                                   {"connected", bool(connected[i])},
                                   {"kills", p.kills}});
  }
  json::array bullets;
  double per_second = sim.rules().tick_rate;
  for (const auto& b : sim.bullets())
    bullets.push_back(json::object{{"id", b.id},
                                   {"owner", roster[b.owner].id},
                                   {"x", rounded(b.x)},
                                   {"y", rounded(b.y)},
                                   {"vx", rounded(b.vx * per_second)},
                                   {"vy", rounded(b.vy * per_second)}});
  json::array events;
  for (const auto& e : sim.events()) {
    json::object o{{"kind", to_string(e.kind)}, {"player", roster[e.player].id}};
    if (e.kind == Event::Kind::shot) o["bullet"] = e.bullet;
    if (e.by) o["by"] = roster[*e.by].id;
    if (e.kind == Event::Kind::hit) o["hp"] = e.hp;
    events.push_back(std::move(o));
  }
  return {{"type", "state"},
          {"tick", sim.tick()},
          {"time_ms", ms_of_ticks(sim, sim.tick())},
          {"phase", to_string(sim.phase())},
          {"remaining_ms", ms_of_ticks(sim, sim.remaining_ticks())},
          {"ack", ack},
          {"players", std::move(players)},
          {"bullets", std::move(bullets)},
          {"events", std::move(events)}};
}

json::object game_over_message(const Roster& roster, const Simulation& sim, std::string_view reason) {
  auto standings = sim.standings();
  std::stable_sort(standings.begin(), standings.end(), [](const auto& a, const auto& b) { return a.rank < b.rank; });
  json::array out;
  for (const auto& s : standings) {
    const auto& p = sim.player(s.player);
    out.push_back(json::object{
        {"player", roster[s.player].id}, {"rank", s.rank}, {"hp", p.hp}, {"kills", p.kills}, {"alive", p.alive}});
  }
  auto winner = sim.winner();
  return {{"type", "game_over"},
          {"reason", reason},
          {"winner", winner ? json::value(roster[*winner].id) : json::value(nullptr)},
          {"tick", sim.tick()},
          {"standings", std::move(out)}};
}

json::object pong_message(std::int64_t id, std::int64_t time_ms) {
  return {{"type", "pong"}, {"id", id}, {"time_ms", time_ms}};
}

}  // namespace arena
