#pragma once
// The matchmaker of one queue (QueueMatcher): a stateful engine that holds the queue's
// waiting tickets in compact form, indexed by attribute bucket and skill, and
// forms matches by the queue's rules (docs/matchmaking.md) when asked.
//
// Pure: no I/O, no threads, no clock; time comes in as `now`, so every rule
// is tested deterministically. Not thread-safe: one owner (the lobby's
// strand) calls it.
//
// How a round works (match): a ticket is an *anchor candidate* when it is
// new, when a window of its own widened since it was last tried, or when a
// younger ticket arrived within its window. Anchors are tried oldest first;
// an anchor's search forms a match in which it is the oldest ticket, so the
// windows in force are the anchor's. A ticket tried without success rests
// until one of those events wakes it. Every loop is bounded
// (MatcherOptions).

#include "core/clock.h"
#include "core/error.h"
#include "domain/game.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace webgames {

// The caller's handle of a ticket (the lobby maps its ticket ids to these).
// Best dense, such as a counter: the lookup table is then accessed in order.
using TicketKey = std::uint64_t;
using BackfillKey = std::uint64_t;

struct RegionPing {
  std::string_view region;
  int ms = 0;
};
struct TagValue {
  std::string_view name;
  std::string_view value;
};

// A ticket as the matcher needs it. add() copies what it keeps: region names
// and the values of the tags the rules name are interned, the rest ignored.
struct MatchTicket {
  TicketKey key = 0;
  int players = 1;  // a party's size; the party always lands in one team
  double skill = 0;
  TimePoint created_at;  // waiting is measured from here
  std::span<const RegionPing> pings;
  std::span<const TagValue> tags;
};

// How good a match is. score = 1 - (skill + ping + wait terms) / 3, each term
// in [0, 1]: skill spread over twice the widest skill window, ping spread
// over the widest ping limit (0 when the rule is off), the anchor's wait over
// 120 s. 1 is a perfect match formed at once.
struct MatchQuality {
  double skill_spread = 0;              // highest minus lowest skill of its tickets
  int ping_spread_ms = 0;               // highest minus lowest ping in the chosen region
  std::chrono::milliseconds waited{0};  // the oldest ticket's wait
  double score = 0;
};

struct FormedMatch {
  std::vector<std::vector<TicketKey>> teams;  // teams[t]: the tickets of team t
  std::string region;                         // where to host it; "" when the tickets share no region
  MatchQuality quality;
};

// A running session asks for `players` more players for `team`. The new
// tickets obey the queue's rules against the session's players: skill within
// the window of the mean of `skills`, ping in `region` within the limit,
// the same values of "equal" attributes and none of the "differ" ones.
// Windows and "start below max" count from `requested_at`: after
// start_below_max_after, fewer players than asked may be sent.
struct BackfillRequest {
  BackfillKey key = 0;
  int team = 0;
  int players = 1;
  std::string region;                                           // "" when the session has none
  std::vector<double> skills;                                   // of the session's players
  std::vector<std::pair<std::string, std::string>> tag_values;  // (tag, value) of the session's tickets
  TimePoint requested_at;
};

struct BackfillFill {
  BackfillKey request = 0;
  int team = 0;
  std::vector<TicketKey> tickets;
  MatchQuality quality;
};

struct MatchRound {
  std::vector<FormedMatch> matches;
  std::vector<BackfillFill> backfills;
};

struct QueueStats {
  std::size_t waiting_tickets = 0;
  std::size_t waiting_players = 0;
  std::chrono::milliseconds oldest_wait{0};
  double matches_per_minute = 0;  // over the last minute
  // Over the last (up to) 4096 matched tickets.
  std::chrono::milliseconds p50_wait{0};
  std::chrono::milliseconds p95_wait{0};
  double mean_quality = 0;  // over the last (up to) 1024 matches; 0 before the first
  std::size_t pending_backfills = 0;
};

// A waiting ticket as visit_waiting shows it.
struct WaitingTicket {
  int players = 1;
  double skill = 0;  // 0 in a queue without a skill rule (it keeps no skills then)
  std::chrono::milliseconds waited{0};
  std::string_view region;  // where its ping is lowest; "" when it gave none. Valid during the call
  int ping_ms = 0;          // that ping
};

struct MatcherOptions {
  std::size_t max_tickets = 2'000'000;           // add() refuses more (unavailable). Default: 2 M
  std::size_t max_backfills = 4096;              // pending requests. Default: 4096
  std::size_t max_anchors_per_round = 1u << 22;  // the rest wait for the next round
  std::size_t candidates = 32;                   // tickets examined around an anchor. Default: 32
  std::size_t scan_limit = 4096;                 // index entries visited per search. Default: 4096
  std::size_t pack_budget = 2000;                // search steps to place parties in teams. Default: 2000
  std::size_t wake_limit = 1024;                 // resting tickets examined per arrival. Default: 1024
};

class QueueMatcher {
 public:
  // REQUIRES: `spec` passed validate_game. Rules that leave
  // start_below_max_after to the installation get 10 s (the lobby fills in
  // the configured value first).
  explicit QueueMatcher(QueueSpec spec, MatcherOptions options = {});
  ~QueueMatcher();
  QueueMatcher(const QueueMatcher&) = delete;
  QueueMatcher& operator=(const QueueMatcher&) = delete;

  const QueueSpec& spec() const;

  // conflict for a key already waiting; invalid_field when the party is
  // larger than a team or a match, or empty; unavailable when max_tickets wait.
  Result<void> add(const MatchTicket& ticket);
  // False when the key is not waiting (matched, removed or never added).
  bool remove(TicketKey key);
  bool contains(TicketKey key) const;
  std::size_t waiting() const;

  // conflict for a key already pending, invalid_field for a bad team or
  // count, unavailable when max_backfills are pending.
  Result<void> request_backfill(BackfillRequest request);
  bool cancel_backfill(BackfillKey key);

  // Forms what can be formed at `now`: backfills first (running sessions
  // wait for them), then matches. Matched tickets leave the queue. After a
  // round that was not cut short by max_anchors_per_round, no anchor that
  // could be tried holds a valid match within the candidates it examines.
  MatchRound match(TimePoint now);

  QueueStats stats(TimePoint now) const;

  // Calls visit(ticket) for waiting tickets at `now`, in no particular
  // order, until `limit` were visited; returns how many were. O(visited).
  std::size_t visit_waiting(TimePoint now, std::size_t limit,
                            const std::function<void(const WaitingTicket&)>& visit) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace webgames
