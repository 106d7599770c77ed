#pragma once
// What the console (docs/console.md) shows of the last hour: one Sample
// every interval (10 s by default), each holding one GameSample per game
// with something to show, and the SampleHistory that keeps an hour of them
// and answers in a Scope (one developer's games or every tenant's, maybe
// one game) with the JSON of GET /v1/console/overview and of the console's
// events.
//
// Pure: no I/O, no clock, no threads. Not thread-safe: the ConsoleHub locks.

#include "core/clock.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::console {

// The EventBus stream the console's events travel on, samples and session
// changes (not an account id: those start with "acc_").
inline constexpr std::string_view kConsoleStream = "console";

struct QueueGlance {
  std::string queue;
  std::int64_t waiting = 0;  // tickets
  double oldest_wait_s = 0;
  std::int64_t matches_last_minute = 0;
};

struct ServerCount {
  std::string runtime;
  std::string node;  // "local" for webgames' own host
  std::int64_t count = 0;
};

// One game's part of a Sample: what runs at the sample's time, and what
// happened during the interval before it.
struct GameSample {
  std::string game;      // its name
  std::string owner_id;  // its developer; never sent to a console
  std::vector<QueueGlance> queues;
  std::map<std::string, std::int64_t> sessions_by_state;  // live sessions
  std::vector<ServerCount> servers;
  std::int64_t players_connected = 0;  // players connected to its servers
  // During the interval:
  std::int64_t started = 0, ended = 0, failed = 0;
  std::map<std::string, std::int64_t> failures;  // failure kind -> sessions
  // Time to play observed, per bucket of metrics::kWaitBuckets (+Inf last).
  std::vector<std::uint64_t> time_to_play;
};

struct Sample {
  std::int64_t t = 0;  // Unix seconds
  std::vector<GameSample> games;
};

// How a Sample travels on the EventBus between the replica that takes it
// and every replica's consoles (owner ids included), and back.
boost::json::object sample_to_json(const Sample& sample);
std::optional<Sample> sample_from_json(const boost::json::value& value);

// What a console sees: one developer's games (owner_id) or every tenant's
// (nullopt), maybe only the game named `game`.
struct Scope {
  std::optional<std::string> owner_id;
  std::optional<std::string> game;
  bool includes(const GameSample& g) const {
    return (!owner_id || g.owner_id == *owner_id) && (!game || g.game == *game);
  }
  bool includes(std::string_view owner, std::string_view game_name) const {
    return (!owner_id || owner == *owner_id) && (!game || game_name == *game);
  }
  // A key naming the scope, equal for equal scopes.
  std::string key() const;
};

// The `p` quantile (0 < p < 1), in milliseconds, of histogram bucket counts
// over metrics::kWaitBuckets (+Inf last), interpolated inside its bucket;
// null when the counts are all zero.
boost::json::value quantile_ms(const std::vector<std::uint64_t>& buckets, double p);

class SampleHistory {
 public:
  // Keeps the last `capacity` samples. REQUIRES: capacity > 0.
  SampleHistory(std::size_t capacity, int interval_s);

  // Adds a sample; one not newer than the latest is ignored (a replay).
  // Returns whether it was added.
  bool add(Sample sample);
  const Sample* latest() const { return samples_.empty() ? nullptr : &samples_.back(); }

  // GET /v1/console/overview in `scope`, as of `at`.
  boost::json::object overview(const Scope& scope, TimePoint at) const;
  // The data of an overview.sample event: the latest sample in `scope`,
  // with "now" and "queues". REQUIRES: latest() != nullptr.
  boost::json::object latest_in(const Scope& scope) const;

 private:
  boost::json::object entry(const Sample& s, const Scope& scope) const;  // one item of history.samples
  boost::json::object now(const Scope& scope) const;
  boost::json::array queues(const Scope& scope) const;

  std::size_t capacity_;
  int interval_s_;
  std::deque<Sample> samples_;
};

}  // namespace webgames::console
