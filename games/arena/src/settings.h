#pragma once
// Arena's own settings, from ARENA_* variables the game spec may set in
// server.env (examples/arena/game.toml, docs/arena.md). The session comes
// from the SDK.

#include "simulation.h"

#include <chrono>

namespace arena {

struct Settings {
  // ARENA_TICK_RATE (20 to 60), ARENA_TIME_LIMIT_S (5 to 3600),
  // ARENA_COUNTDOWN_MS (0 to 10000), ARENA_HP (1 to 20), turned into ticks.
  // Defaults: 30 ticks/s, 120 s, 3000 ms, 3.
  Rules rules;
  // ARENA_JOIN_TIMEOUT_S (1 to 3600): how long after ready the players have
  // to join. Default: 30 s.
  std::chrono::seconds join_timeout{30};

  // Throws std::runtime_error naming a malformed variable.
  static Settings from_environment();
};

}  // namespace arena
