#pragma once
// Helpers shared by the matchmaker tests: tickets built by hand, a manual
// clock, and the checks every formed match must pass.

#include "matchmaker/queue_matcher.h"

#include <map>
#include <string>
#include <vector>

namespace webgames::testing {

// A ticket as a test writes it; `view()` gives the matcher's form.
struct TestTicket {
  TicketKey key = 0;
  int players = 1;
  double skill = 0;
  TimePoint created_at;
  std::uint64_t seq = 0;  // order of add(): breaks ties of created_at
  std::vector<std::pair<std::string, int>> pings;
  std::vector<std::pair<std::string, std::string>> tags;

  std::vector<RegionPing> ping_views;
  std::vector<TagValue> tag_views;
  MatchTicket view() {
    ping_views.clear();
    tag_views.clear();
    for (const auto& [r, ms] : pings) ping_views.push_back({r, ms});
    for (const auto& [n, v] : tags) tag_views.push_back({n, v});
    return {key, players, skill, created_at, ping_views, tag_views};
  }
  std::string tag(const std::string& name) const {
    for (const auto& [n, v] : tags)
      if (n == name) return v;
    return "";
  }
  std::optional<int> ping(const std::string& region) const {
    for (const auto& [r, ms] : pings)
      if (r == region) return ms;
    return std::nullopt;
  }
};

inline QueueSpec queue_spec(int teams, int team_size, int min_players = 0) {
  QueueSpec q{"q", teams, team_size, min_players};
  q.rules.max_players = teams * team_size;
  if (q.min_players == 0) q.min_players = q.rules.max_players;
  q.rules.min_team_size = q.min_players >= teams ? 1 : 0;
  return q;
}

// Empty when `teams` (tickets by key) is a valid match of `spec` at `now`
// (with `region`, "" for none); else what is wrong.
std::string match_violation(const QueueSpec& spec, const std::map<TicketKey, TestTicket>& tickets,
                            const std::vector<std::vector<TicketKey>>& teams, const std::string& region, TimePoint now);

// Whether some valid match exists among `waiting` at `now`, by trying every
// subset and every placement in teams: for small cases only (≤ 10 tickets).
bool valid_match_exists(const QueueSpec& spec, const std::vector<const TestTicket*>& waiting, TimePoint now);

}  // namespace webgames::testing
