#pragma once
// The JSON messages of Arena's protocol (docs/arena.md), in one place: the
// checks of what clients send, and everything the server sends.

#include "simulation.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace arena {

// {"type":"input",...}: checked, ready for Simulation::set_input.
struct InputMessage {
  std::int64_t seq = 0;
  Input input;
  bool has_aim = false;  // absent: the last aim holds
};
// {"type":"ping","id":N}
struct PingMessage {
  std::int64_t id = 0;
};
// {"type":"join",...} after the join: refused as already_joined.
struct JoinMessage {};
// Anything else: `code` is bad_request (not an object with a string type,
// unknown type) or bad_input (a field missing or invalid, named in `reason`).
struct BadMessage {
  std::string code;
  std::string reason;
};
using ClientMessage = std::variant<InputMessage, PingMessage, JoinMessage, BadMessage>;

// Never throws, whatever `text` is.
ClientMessage parse_client_message(std::string_view text);

// A player of the match, in slot order.
struct PlayerInfo {
  std::string id;
  std::string name;
  int team = 0;
};
using Roster = std::vector<PlayerInfo>;

boost::json::object error_message(std::string_view code, std::string_view reason);
boost::json::object welcome_message(const PlayerInfo& you, const Roster& roster, const Simulation& sim,
                                    std::string_view phase);
boost::json::object lobby_message(const Roster& roster, const std::vector<bool>& connected, std::int64_t deadline_ms);
// The state after sim.tick() steps; `ack`: the last seq of the receiver applied.
boost::json::object state_message(const Roster& roster, const Simulation& sim, const std::vector<bool>& connected,
                                  std::int64_t ack);
// `reason`: last_standing, time_limit or forfeit.
boost::json::object game_over_message(const Roster& roster, const Simulation& sim, std::string_view reason);
boost::json::object pong_message(std::int64_t id, std::int64_t time_ms);

// The match clock at `tick`: tick * 1000 / tick_rate, rounded down.
std::int64_t time_ms(const Simulation& sim, int tick);

}  // namespace arena
