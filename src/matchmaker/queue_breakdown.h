#pragma once
// What a queue's waiting tickets look like now, for the console's queue
// page: by skill, by region, and by how long they have waited, each wait
// band with the rule steps in force for it (docs/matchmaking.md: windows
// widen with the anchor's wait), so that the widening shows as it happens.
//
// Pure: computed from a QueueMatcher and `now`; O(tickets counted). Not
// thread-safe: call it where the matcher is called (the lobby's strand).

#include "core/clock.h"
#include "matchmaker/queue_matcher.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace webgames {

struct BreakdownOptions {
  std::size_t max_tickets = 100'000;  // tickets counted; the rest are left out. Default: 100 000
  std::size_t skill_bands = 20;       // at most this many skill bands (plus one). Default: 20
};

// Tickets whose skill is in [from, to).
struct SkillBand {
  double from = 0;
  double to = 0;
  std::size_t tickets = 0;
  std::size_t players = 0;
};

// Tickets whose lowest ping is in `region` ("" for those that gave no ping).
struct RegionBand {
  std::string region;
  std::size_t tickets = 0;
  std::size_t players = 0;
};

// Tickets that have waited from `from` up to `to` (nullopt: and longer).
// Band edges include every rule step's start, so one step is in force
// through each band: a match anchored by one of these tickets now takes
// skills within `skill_window` of it (nullopt: no skill rule) and pings up
// to `max_ping_ms` (nullopt: no latency rule); `skill_step` and `ping_step`
// are the steps' indices (-1 without the rule); `below_max` says whether it
// may start with fewer than the most players.
struct WaitBand {
  std::chrono::milliseconds from{0};
  std::optional<std::chrono::milliseconds> to;
  std::size_t tickets = 0;
  std::size_t players = 0;
  int skill_step = -1;
  std::optional<double> skill_window;
  int ping_step = -1;
  std::optional<double> max_ping_ms;
  bool below_max = false;
};

struct QueueBreakdown {
  std::size_t counted = 0;          // tickets counted (all of them unless over max_tickets)
  bool complete = true;             // false when some waiting tickets were left out
  std::vector<SkillBand> by_skill;  // empty without a skill rule (the queue keeps no skills then); ≤ skill_bands + 1
  std::vector<RegionBand> by_region;  // most tickets first; ≤ 17 (the matcher tells 16 regions apart)
  std::vector<WaitBand> by_wait;      // every band, oldest last; ≤ 44
};

QueueBreakdown break_down(const QueueMatcher& matcher, TimePoint now, BreakdownOptions options = {});

}  // namespace webgames
