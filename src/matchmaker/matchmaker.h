#pragma once
// Forms matches from the tickets waiting in one queue. Pure: no I/O, time
// comes in as `now`, so that every rule is tested deterministically.
// The rules engine of a later issue replaces FifoMatchmaker behind this
// interface without touching the rest.

#include "core/clock.h"
#include "domain/game.h"
#include "domain/ticket.h"

#include <span>
#include <string>
#include <vector>

namespace webgames {

// Tickets placed into teams: team_tickets[t] are the tickets of team t.
struct MatchPlan {
  std::vector<std::vector<const Ticket*>> team_tickets;
  std::size_t players() const;
};

class Matchmaker {
 public:
  virtual ~Matchmaker() = default;
  // `waiting` holds the queue's queued tickets, oldest first. Returns the
  // matches to form now; a ticket appears in at most one; a ticket's players
  // always land in one team.
  virtual std::vector<MatchPlan> match(const QueueSpec& queue, std::span<const Ticket* const> waiting,
                                       TimePoint now) = 0;
};

}  // namespace webgames
