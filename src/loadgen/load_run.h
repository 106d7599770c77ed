#pragma once
// One load run: simulated players (guests, some in parties) that queue,
// wait for a match on their events streams, connect to the game server
// they are given, play (Shifumi) or stay connected until the session ends,
// and queue again, until the run's duration passes. Everything through the
// public API and the game servers' own protocol.
//
// Every player is a coroutine on the run's io_context: a party's players
// share one strand, so thousands of players need no thread each. Every wait
// has a deadline: a run ends at most duration + match timeout + game timeout
// + drain after it starts, whatever the server does.

#include "ctl/http_client.h"
#include "loadgen/load_stats.h"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace webgames::loadgen {

// A party size and its weight in the mix ("1:8,2:2": 8 solo parties for
// every 2 parties of 2).
struct PartyShare {
  int size = 1;
  int weight = 1;
};

// "SIZE:WEIGHT[,SIZE:WEIGHT…]", sizes 1 to 16, weights 1 to 1000, at most 16
// entries. invalid_field (field party-mix) otherwise.
Result<std::vector<PartyShare>> parse_party_mix(std::string_view text);

// How a simulated player plays on the game server.
enum class GameProtocol {
  shifumi,  // the demo's line protocol (play/shifumi_protocol.h), random moves
  connect,  // connect, then wait for the session to end
};

struct LoadOptions {
  ctl::Endpoint server;
  int players = 10;
  double rate = 10;  // tickets created per second, all parties together
  std::chrono::milliseconds duration{10'000};
  std::string game = "shifumi";
  std::string queue = "duel";
  std::vector<PartyShare> party_mix{{1, 8}, {2, 2}};
  GameProtocol protocol = GameProtocol::shifumi;
  // A ticket not matched within this is cancelled (and its party queues again).
  std::chrono::seconds match_timeout{30};
  // A game lasting longer is left (and counted as an error).
  std::chrono::seconds game_timeout{120};
  int threads = 1;
  std::uint64_t seed = 1;
};

class LoadRun {
 public:
  explicit LoadRun(LoadOptions options);

  // Runs to the end (blocking; `threads` threads run the loop), writing a
  // progress line to `progress` once a second (when not null). The report.
  LoadReport run(std::FILE* progress);

 private:
  LoadOptions options_;
};

}  // namespace webgames::loadgen
