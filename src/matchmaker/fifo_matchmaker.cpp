#include "matchmaker/fifo_matchmaker.h"

#include <algorithm>

namespace webgames {

std::size_t MatchPlan::players() const {
  std::size_t n = 0;
  for (const auto& team : team_tickets)
    for (const auto* t : team) n += t->players.size();
  return n;
}

std::vector<MatchPlan> FifoMatchmaker::match(const QueueSpec& queue, std::span<const Ticket* const> waiting,
                                             TimePoint now) {
  std::vector<MatchPlan> matches;
  std::vector<const Ticket*> pending(waiting.begin(), waiting.end());
  auto team_size = static_cast<std::size_t>(queue.team_size);

  while (!pending.empty()) {
    MatchPlan plan;
    plan.team_tickets.resize(static_cast<std::size_t>(queue.teams));
    std::vector<std::size_t> filled(plan.team_tickets.size(), 0);
    std::vector<const Ticket*> left_over;
    bool full = false;

    for (const auto* ticket : pending) {
      if (full) {
        left_over.push_back(ticket);
        continue;
      }
      auto size = ticket->players.size();
      // The team with the most room that can take the whole party.
      std::size_t best = filled.size();
      for (std::size_t t = 0; t < filled.size(); ++t)
        if (filled[t] + size <= team_size && (best == filled.size() || filled[t] < filled[best])) best = t;
      if (best == filled.size()) {
        left_over.push_back(ticket);
        continue;
      }
      plan.team_tickets[best].push_back(ticket);
      filled[best] += size;
      full = std::all_of(filled.begin(), filled.end(), [&](std::size_t f) { return f == team_size; });
    }

    if (full) {
      matches.push_back(std::move(plan));
      pending = std::move(left_over);
      continue;
    }

    // Not full: start anyway once the oldest has waited long enough.
    auto players = plan.players();
    const Ticket* oldest = nullptr;
    for (const auto& team : plan.team_tickets)
      for (const auto* t : team)
        if (oldest == nullptr || t->created_at < oldest->created_at) oldest = t;
    if (oldest != nullptr && players >= static_cast<std::size_t>(queue.min_players) &&
        now - oldest->created_at >= start_below_max_after_)
      matches.push_back(std::move(plan));
    break;
  }
  return matches;
}

}  // namespace webgames
