#pragma once
// Plays one game of Shifumi on its game server, over TCP, with the line
// protocol of shifumi_protocol.h. Blocking, on a BlockingIo.

#include "core/error.h"
#include "play/blocking_io.h"
#include "play/move_source.h"
#include "play/shifumi_protocol.h"

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace webgames::play {

struct GameServer {
  std::string host;
  std::uint16_t port = 0;
  std::string join_token;
};

// Connects, joins with the join token, answers every round with a move from
// `moves`, writes one line per step to `out` ("round 1: you rock, opponent
// paper: you lose the round (score 0-1)"), and returns the outcome.
// Errors:
// - forbidden when the server refuses to let the player join (its reason in
//   the message; complaints after the welcome only go to `out`);
// - unavailable when the server cannot be reached within 10 s, closes before
//   the game is over, breaks the protocol or is silent for longer than
//   `silence_limit`, and ("interrupted") when the user interrupts;
// - whatever `moves` returns.
Result<Outcome> play_shifumi(BlockingIo& io, const GameServer& server, MoveSource& moves, std::ostream& out,
                             std::chrono::seconds silence_limit = std::chrono::minutes(15));

}  // namespace webgames::play
