#pragma once
// What a load run counts, and the report it ends with.
//
// LoadStats is written by every simulated player, from any thread
// (internally locked); snapshot() reads it at any time, for the progress
// line and the final report. Pure otherwise: time comes in as values.

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace webgames::loadgen {

// How a ticket ended, as its players were told on their events streams.
enum class TicketEnd { matched, cancelled, expired };

struct LoadReport {
  double elapsed_s = 0;
  std::int64_t players = 0;         // simulated players
  std::int64_t players_online = 0;  // logged in with an open events stream, now
  std::int64_t waiting = 0;         // players holding a ticket not yet ready, now
  std::int64_t playing = 0;         // players on a game server, now
  std::int64_t matches = 0;         // sessions played to their end by our players (each once)
  std::int64_t games = 0;           // games played to their end, counted per player
  std::int64_t tickets_created = 0;
  std::int64_t tickets_matched = 0;
  std::int64_t tickets_cancelled = 0;
  std::int64_t tickets_expired = 0;
  std::int64_t tickets_pending = 0;  // created, no end told yet
  // Player-ticket pairs: every player of a ticket is told how it ended.
  std::int64_t players_told = 0;
  std::int64_t players_untold = 0;             // the player's stream never said, within its deadline
  std::vector<double> ttp_ms;                  // ticket created -> connected to the game server
  std::vector<double> ttp_ready_ms;            // ticket created -> session.ready received
  std::map<std::string, std::int64_t> errors;  // by kind
  std::map<std::string, std::int64_t> notes;   // expected events worth knowing (party sizes refused, …)
};

class LoadStats {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoadStats(Clock::time_point start) : start_(start) {}

  void player_online(int delta);
  void waiting(int delta);
  void playing(int delta);
  void set_players(std::int64_t n);

  void ticket_created();
  // The ticket's end, once per ticket (told to its leader).
  void ticket_ended(TicketEnd end);
  // One player of a ticket was told its end (or, `told` false, never was).
  void player_told(bool told);
  void ttp(Clock::duration to_ready, Clock::duration to_connected);
  void ttp_ready_only(Clock::duration to_ready);
  // A game played to its end by one player of `session_id`.
  void game_over(const std::string& session_id);

  void error(const std::string& kind);
  void note(const std::string& kind);

  LoadReport snapshot(Clock::time_point now) const;

 private:
  mutable std::mutex mutex_;
  Clock::time_point start_;
  LoadReport r_;
  std::set<std::string> sessions_;  // ended ones, counted once
};

// Nearest-rank percentile (p in 0..100); 0 for no samples.
double percentile(std::vector<double> samples, double p);

// The report on stdout: players, matches, matches_per_s, ttp_{p50,p99,max}_ms,
// ttp_ready_{p50,p99,max}_ms, tickets {…}, errors {kind: n}, notes {kind: n}.
boost::json::object report_json(const LoadReport& r);

// One line for stderr, e.g. "loadgen 12s: 100 players (100 online, 20 waiting,
// 60 playing), 340 tickets, 150 matches (12.5/s), ttp p50 45 ms p99 120 ms, 0 errors".
std::string progress_line(const LoadReport& r);

}  // namespace webgames::loadgen
