#include "lobby/lobby_records.h"

#include <boost/json.hpp>

namespace webgames {
namespace {

namespace json = boost::json;

std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

TimePoint at(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return TimePoint{std::chrono::milliseconds{v && v->is_int64() ? v->get_int64() : 0}};
}

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<std::string> strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& e : v->get_array())
      if (e.is_string()) out.emplace_back(e.get_string());
  return out;
}

json::array array_of(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& i : items) out.emplace_back(i);
  return out;
}

json::object names_of(const std::vector<std::string>& players, const PlayerNames& names) {
  json::object out;
  for (const auto& p : players)
    if (auto it = names.find(p); it != names.end()) out[p] = it->second;
  return out;
}

void read_names(const json::object& o, PlayerNames& names) {
  if (auto* v = o.if_contains("names"); v && v->is_object())
    for (const auto& kv : v->get_object())
      if (kv.value().is_string()) names[std::string(kv.key())] = std::string(kv.value().get_string());
}

std::optional<json::object> object_of(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

std::optional<TicketState> ticket_state(std::string_view s) {
  for (auto state : {TicketState::queued, TicketState::matched, TicketState::cancelled, TicketState::expired})
    if (to_string(state) == s) return state;
  return std::nullopt;
}

}  // namespace

std::string party_record(const Party& party, const PlayerNames& names) {
  return json::serialize(json::object{{"id", party.id},
                                      {"code", party.code},
                                      {"leader_id", party.leader_id},
                                      {"members", array_of(party.members)},
                                      {"created_at", ms(party.created_at)},
                                      {"names", names_of(party.members, names)}});
}

std::optional<Party> party_from_record(std::string_view text, PlayerNames& names) {
  auto o = object_of(text);
  if (!o) return std::nullopt;
  Party p{str(*o, "id"), str(*o, "code"), str(*o, "leader_id"), strings(*o, "members"), at(*o, "created_at")};
  if (p.id.empty() || p.code.empty() || !p.has(p.leader_id)) return std::nullopt;
  read_names(*o, names);
  return p;
}

std::string ticket_record(const Ticket& t, const PlayerNames& names) {
  json::object attributes;
  if (t.attributes.skill) attributes["skill"] = *t.attributes.skill;
  json::object pings;
  for (const auto& [region, rtt] : t.attributes.pings) pings[region] = rtt;
  json::object tags;
  for (const auto& [tag, value] : t.attributes.tags) tags[tag] = value;
  attributes["pings"] = std::move(pings);
  attributes["tags"] = std::move(tags);
  return json::serialize(json::object{{"id", t.id},
                                      {"game_id", t.game_id},
                                      {"game", t.game},
                                      {"queue", t.queue},
                                      {"players", array_of(t.players)},
                                      {"party_id", t.party_id},
                                      {"attributes", std::move(attributes)},
                                      {"state", to_string(t.state)},
                                      {"created_at", ms(t.created_at)},
                                      {"expires_at", ms(t.expires_at)},
                                      {"match_id", t.match_id},
                                      {"session_id", t.session_id},
                                      {"requeues", t.requeues},
                                      {"request_key", t.request_key},
                                      {"names", names_of(t.players, names)}});
}

std::optional<Ticket> ticket_from_record(std::string_view text, PlayerNames& names) {
  auto o = object_of(text);
  if (!o) return std::nullopt;
  Ticket t;
  t.id = str(*o, "id");
  t.game_id = str(*o, "game_id");  // empty in records written before games had ids
  t.game = str(*o, "game");
  t.queue = str(*o, "queue");
  t.players = strings(*o, "players");
  t.party_id = str(*o, "party_id");
  auto state = ticket_state(str(*o, "state"));
  if (t.id.empty() || t.game.empty() || t.queue.empty() || t.players.empty() || !state) return std::nullopt;
  t.state = *state;
  if (auto* a = o->if_contains("attributes"); a && a->is_object()) {
    const auto& attributes = a->get_object();
    if (auto* skill = attributes.if_contains("skill"); skill && skill->is_number())
      t.attributes.skill = skill->to_number<double>();
    if (auto* pings = attributes.if_contains("pings"); pings && pings->is_object())
      for (const auto& kv : pings->get_object())
        if (kv.value().is_int64()) t.attributes.pings[std::string(kv.key())] = static_cast<int>(kv.value().get_int64());
    if (auto* tags = attributes.if_contains("tags"); tags && tags->is_object())
      for (const auto& kv : tags->get_object())
        if (kv.value().is_string()) t.attributes.tags[std::string(kv.key())] = std::string(kv.value().get_string());
  }
  t.created_at = at(*o, "created_at");
  t.expires_at = at(*o, "expires_at");
  t.match_id = str(*o, "match_id");
  t.session_id = str(*o, "session_id");
  if (auto* r = o->if_contains("requeues"); r && r->is_int64()) t.requeues = static_cast<int>(r->get_int64());
  t.request_key = str(*o, "request_key");
  read_names(*o, names);
  return t;
}

}  // namespace webgames
