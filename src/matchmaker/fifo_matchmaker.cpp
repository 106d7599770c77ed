#include "matchmaker/fifo_matchmaker.h"

#include <algorithm>

namespace webgames {

std::size_t MatchPlan::players() const {
  std::size_t n = 0;
  for (const auto& team : team_tickets)
    for (const auto* t : team) n += t->players.size();
  return n;
}

namespace {

// Places `order` into teams: each ticket into the team with the most room
// that takes its whole party. Returns the plan and the tickets left over.
std::pair<MatchPlan, std::vector<const Ticket*>> place(const QueueSpec& queue, const std::vector<const Ticket*>& order,
                                                       std::vector<std::size_t>& filled) {
  MatchPlan plan;
  plan.team_tickets.resize(static_cast<std::size_t>(queue.teams));
  filled.assign(plan.team_tickets.size(), 0);
  auto team_size = static_cast<std::size_t>(queue.team_size);
  std::vector<const Ticket*> left_over;
  bool full = false;
  for (const auto* ticket : order) {
    if (full) {
      left_over.push_back(ticket);
      continue;
    }
    auto size = ticket->players.size();
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
  return {std::move(plan), std::move(left_over)};
}

bool is_full(const std::vector<std::size_t>& filled, std::size_t team_size) {
  return std::all_of(filled.begin(), filled.end(), [&](std::size_t f) { return f == team_size; });
}

}  // namespace

std::vector<MatchPlan> FifoMatchmaker::match(const QueueSpec& queue, std::span<const Ticket* const> waiting,
                                             TimePoint now) {
  std::vector<MatchPlan> matches;
  std::vector<const Ticket*> pending(waiting.begin(), waiting.end());
  auto team_size = static_cast<std::size_t>(queue.team_size);
  std::vector<std::size_t> filled;

  while (!pending.empty()) {
    auto [plan, left_over] = place(queue, pending, filled);
    if (!is_full(filled, team_size)) {
      // Arrival order can strand a party (two solos on two teams leave no
      // room for a pair): try again with the largest parties placed first,
      // oldest first among equals.
      auto by_size = pending;
      std::stable_sort(by_size.begin(), by_size.end(),
                       [](const Ticket* a, const Ticket* b) { return a->players.size() > b->players.size(); });
      std::vector<std::size_t> filled_by_size;
      auto [packed, packed_left] = place(queue, by_size, filled_by_size);
      if (is_full(filled_by_size, team_size)) {
        plan = std::move(packed);
        left_over = std::move(packed_left);
        filled = std::move(filled_by_size);
      }
    }
    if (is_full(filled, team_size)) {
      matches.push_back(std::move(plan));
      // Keep arrival order among the tickets left.
      std::vector<const Ticket*> rest;
      for (const auto* t : pending)
        if (std::find(left_over.begin(), left_over.end(), t) != left_over.end()) rest.push_back(t);
      pending = std::move(rest);
      continue;
    }

    // Not full: start anyway once the oldest has waited long enough.
    auto players = plan.players();
    // A team left empty is only acceptable when the queue allows fewer players than teams (free-for-all).
    bool teams_ok = queue.min_players < queue.teams ||
                    std::all_of(filled.begin(), filled.end(), [](std::size_t f) { return f > 0; });
    const Ticket* oldest = nullptr;
    for (const auto& team : plan.team_tickets)
      for (const auto* t : team)
        if (oldest == nullptr || t->created_at < oldest->created_at) oldest = t;
    if (oldest != nullptr && teams_ok && players >= static_cast<std::size_t>(queue.min_players) &&
        now - oldest->created_at >= start_below_max_after_)
      matches.push_back(std::move(plan));
    break;
  }
  return matches;
}

}  // namespace webgames
