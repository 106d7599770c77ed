#pragma once
// Shifumi's own settings, from SHIFUMI_* variables the game spec may set in
// server.env (examples/shifumi/game.toml). The session comes from the SDK.

#include <chrono>

namespace shifumi {

struct Settings {
  // SHIFUMI_ROUNDS: best of this many rounds; odd, 1 to 99. Default: 3.
  int best_of = 3;
  // SHIFUMI_JOIN_TIMEOUT_S: how long after ready both players have to join.
  // Default: 60 s.
  std::chrono::seconds join_timeout{60};
  // SHIFUMI_REJOIN_TIMEOUT_S: how long a player who dropped out mid-game has
  // to come back before forfeiting. Default: 10 s.
  std::chrono::seconds rejoin_timeout{10};
  // How long a new connection has to send its join line. Not configurable.
  std::chrono::seconds hello_timeout{10};

  // Throws std::runtime_error naming a malformed variable.
  static Settings from_environment();
};

}  // namespace shifumi
