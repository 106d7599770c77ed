#pragma once
// Matchmaker v1: first in, first out. Walks the tickets oldest first and
// puts each into the team with the most room that can take its whole party;
// a match forms when every team is full. When arrival order strands a party
// (two solos on two teams leave no room for a pair), the tickets are placed
// again largest party first. A ticket that fits nowhere waits for the next
// match. Once the oldest ticket of an incomplete match has
// waited `start_below_max_after`, the match starts if it has at least the
// queue's min_players and, unless min_players is below the team count,
// no team is empty.

#include "matchmaker/matchmaker.h"

namespace webgames {

class FifoMatchmaker final : public Matchmaker {
 public:
  // Default: an incomplete match may start after 10 s.
  explicit FifoMatchmaker(std::chrono::milliseconds start_below_max_after = std::chrono::seconds(10))
      : start_below_max_after_(start_below_max_after) {}

  std::vector<MatchPlan> match(const QueueSpec& queue, std::span<const Ticket* const> waiting, TimePoint now) override;

 private:
  std::chrono::milliseconds start_below_max_after_;
};

}  // namespace webgames
