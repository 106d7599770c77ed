#pragma once
// A capacity simulation (`webgames simulate`, docs/pools.md): players arrive
// as a demand curve says, the real matchmaker (QueueMatcher) groups them,
// and every match needs a server: a ready one from the warm pool, sized by
// the real PoolSizer, or a cold start whose latency is drawn from a
// runtime's measured starts. Time is virtual: no process is started, a day
// of demand runs in seconds, and the same seed gives the same figures.
//
// What it measures: the server-seconds spent serving matches, those spent
// starting or waiting ready without one (idle, the price of the pool), and
// time-to-play from the match to its server being ready (the part the pool
// decides; the wait for other players is reported apart).

#include "domain/pool_spec.h"
#include "simulate/demand.h"

#include <chrono>
#include <cstdint>
#include <vector>

namespace webgames::simulate {

struct SimulationOptions {
  PoolSpec pool;
  std::vector<double> start_latencies_ms;  // a runtime's measured cold starts; drawn uniformly
  int players_per_match = 2;
  double session_mean_s = 120;  // sessions last an exponential time of this mean
  double max_starts_per_s = 0;  // the engine starts no more than this; 0: no limit
  std::uint64_t seed = 1;
  // How often the director revisits its pools and the lobby its queues'
  // windows, as the real ones do (director tick, lobby tick).
  std::chrono::milliseconds pool_tick{250};
  std::chrono::milliseconds lobby_tick{100};
};

struct SimulationResult {
  double served_server_s = 0;  // a server hosting a match, from the match (a cold start included) to its end
  double idle_server_s = 0;    // a pool server starting or ready, not yet handed a match
  double idle_ratio = 0;       // idle / served
  double ttp_p50_ms = 0;       // match formed -> its server ready
  double ttp_p99_ms = 0;
  std::uint64_t cold_starts = 0;  // matches that waited for a server to start
  std::uint64_t matches = 0;
  std::uint64_t players = 0;
  int peak_servers = 0;          // running at once, pool included
  double match_wait_p99_ms = 0;  // ticket -> match, the other players' arrival
  double simulated_s = 0;
};

// REQUIRES: options.start_latencies_ms not empty, players_per_match in 1..1000.
SimulationResult run_simulation(const DemandCurve& demand, const SimulationOptions& options);

}  // namespace webgames::simulate
