#pragma once
// Plays one game of Shifumi on its game server, over TCP, with the line
// protocol of shifumi_protocol.h: asynchronously on an event loop
// (ShifumiGame), or blocking on a BlockingIo (play_shifumi).

#include "core/error.h"
#include "play/blocking_io.h"
#include "play/move_source.h"
#include "play/shifumi_protocol.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

namespace webgames::play {

struct GameServer {
  std::string host;
  std::uint16_t port = 0;
  std::string join_token;
};

// One game on one connection, on `executor` (use it from there only).
// Keep it in a shared_ptr while it plays.
class ShifumiGame : public std::enable_shared_from_this<ShifumiGame> {
 public:
  explicit ShifumiGame(boost::asio::any_io_executor executor);
  ~ShifumiGame();
  ShifumiGame(const ShifumiGame&) = delete;
  ShifumiGame& operator=(const ShifumiGame&) = delete;

  // As play_shifumi below. `connected` (optional) is called once the TCP
  // connection is up, before the join line goes out. `moves` must not block
  // the loop for long (RandomMoves). The host is resolved asynchronously.
  // REQUIRES: every argument outlives the call (the coroutine keeps references).
  boost::asio::awaitable<Result<Outcome>> play(const GameServer& server, MoveSource& moves, std::ostream& out,
                                               std::chrono::seconds silence_limit,
                                               const std::function<void()>& connected = {});
  // Closes the connection: a play() in progress ends with unavailable.
  void abort();

 private:
  class Link;
  std::unique_ptr<Link> link_;
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
