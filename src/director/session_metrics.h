#pragma once
// The director's numbers for /metrics: sessions started, ended and failed
// (the failure's free-text reason reduced to a small fixed set, see
// failure_kind), time to ready and time to play, and a snapshot of what
// runs (sessions by state, servers by runtime and node, ports per node)
// taken on every tick of the director.
//
// Label values are bounded: games' names, runtimes' names, nodes' names,
// session states and failure kinds; never an id or a message. The console's
// totals are kept apart, by game id: a name passes to another developer
// once its game is deleted, and one developer's console must not count the
// other's sessions (found by an attacker's audit).
//
// Thread safety: recording from the director's strand, render() and
// totals() from any thread.

#include "domain/session.h"
#include "metrics/family.h"
#include "metrics/histogram.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace webgames {

// The kinds a session failure is counted under, label `reason`:
//   launch_failed    the server could not be started, or exited as it started
//   ready_timeout    the server did not say ready in time
//   heartbeat_lost   the server missed its heartbeats
//   crashed          the server exited before ending the session
//   time_limit       the session reached its game's maximum duration
//   quota_timeout    held by its developer's quota until allocate_timeout
//   no_capacity      held for want of a port or a node until allocate_timeout
//   lost_on_restart  webgames restarted and the server was gone
//   record_failed    the session's record could not be written
//   other            any reason not listed above
inline constexpr std::array<std::string_view, 10> kFailureKinds = {
    "launch_failed", "ready_timeout", "heartbeat_lost",  "crashed",       "time_limit",
    "quota_timeout", "no_capacity",   "lost_on_restart", "record_failed", "other"};

// The kind of a failure's reason, as the director words it (director.cpp,
// session_recovery.cpp): one of kFailureKinds.
std::string_view failure_kind(std::string_view reason);

class SessionMetrics {
 public:
  SessionMetrics();

  // A session was created for a match. Its game's ended and failed series
  // start at zero, so that rates and increases see their first failure.
  void started(const Session& s);
  void ended(const Session& s);
  // Counted under the kind of s.reason.
  void failed(const Session& s);
  // From the session's creation to its server's ready.
  void ready(const Session& s, std::chrono::nanoseconds since_created);
  // From a ticket's creation to its players' assignment (session.ready).
  void assigned(const Session& s, std::chrono::nanoseconds since_ticket);

  // The snapshot, each replacing the last (series absent from it read 0).
  // `by_state`: indexed by SessionState, named by `state_names`.
  void set_sessions(const std::vector<std::pair<std::string_view, std::int64_t>>& by_state);
  // (runtime, node) -> servers started and not yet gone.
  void set_servers(const std::map<std::pair<std::string, std::string>, std::int64_t>& by_runtime_node);
  // node -> ports handed out there, of a range of `range` ports per node. A
  // node seen before and absent now has none in use.
  void set_ports(const std::map<std::string, std::int64_t>& in_use_by_node, std::int64_t range);

  std::string render() const;

  // One game's counts since the start, over every runtime (for the
  // console's sampler, which takes their differences).
  struct GameTotals {
    std::string game;      // its name
    std::string owner_id;  // its developer
    std::uint64_t started = 0, ended = 0;
    std::map<std::string, std::uint64_t> failed;  // failure kind -> sessions
    std::vector<std::uint64_t> time_to_play;      // per bucket of kWaitBuckets, +Inf last (empty: none yet)
  };
  // By game id, for at most kMaxTotals games: past that, the game counted
  // least recently is forgotten (its counts start again from zero).
  static constexpr std::size_t kMaxTotals = 10'000;
  std::map<std::string, GameTotals> totals() const;

 private:
  struct Tally {
    GameTotals totals;
    std::unique_ptr<metrics::Histogram> time_to_play;
    std::uint64_t touched = 0;  // when last counted, in counts made
  };
  // The session's game's tally, made (and the oldest forgotten) as needed.
  // REQUIRES: mutex_ held.
  Tally& tally(const Session& s);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Tally> tallies_;  // by game id
  std::uint64_t counts_made_ = 0;

  metrics::Family<metrics::Counter> started_{{"game", "runtime"}};
  metrics::Family<metrics::Counter> ended_{{"game", "runtime"}};
  metrics::Family<metrics::Counter> failed_{{"game", "runtime", "reason"}};
  metrics::Family<metrics::Histogram> time_to_ready_{{"game"}, metrics::histograms_of(metrics::kWaitBuckets)};
  metrics::Family<metrics::Histogram> time_to_play_{{"game"}, metrics::histograms_of(metrics::kWaitBuckets)};
  metrics::Family<metrics::Gauge> sessions_{{"state"}};
  metrics::Family<metrics::Gauge> servers_{{"runtime", "node"}};
  metrics::Family<metrics::Gauge> ports_in_use_{{"node"}};
  metrics::Family<metrics::Gauge> ports_free_{{"node"}};
};

// The node label of a session's node: "local" for the host webgames runs on.
inline std::string_view node_label(std::string_view node) { return node.empty() ? "local" : node; }

}  // namespace webgames
