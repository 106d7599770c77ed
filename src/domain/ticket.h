#pragma once
// A party's (or a lone player's) request to be matched in one queue.

#include "core/clock.h"
#include "core/error.h"

#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace webgames {

enum class TicketState { queued, matched, cancelled, expired };
std::string_view to_string(TicketState s);

struct TicketAttributes {
  std::optional<double> skill;              // Default: the player's rating (later); none for now
  std::map<std::string, int> pings;         // region -> round trip in ms
  std::map<std::string, std::string> tags;  // mode, map, platform, client version…
};

struct Ticket {
  std::string id;       // "tkt_…"
  std::string game_id;  // Game::id of the game it queues in
  std::string game;
  std::string queue;
  std::vector<std::string> players;  // account ids; a party's members stay together
  std::string party_id;              // empty for a lone player
  TicketAttributes attributes;
  TicketState state = TicketState::queued;
  TimePoint created_at;
  TimePoint expires_at;
  std::string match_id;     // set when matched
  std::string session_id;   // set when matched: the session chosen with the match, recorded or not yet
  int requeues = 0;         // times it went back to the queue after a server fault
  std::string request_key;  // the creating request's Idempotency-Key, when it had one

  // A ticket whose servers failed this often is cancelled rather than
  // requeued: the game is probably broken, and its players should not loop
  // forever.
  static constexpr int kMaxRequeues = 3;
  // Whether a server fault sends it back to its queue once more.
  bool may_requeue() const { return requeues < kMaxRequeues; }
};

// Reads {"skill":…, "pings":{"eu":30}, "tags":{"mode":"ranked"}}; every
// field optional; at most 16 pings and 16 tags, names ≤ 32, values ≤ 64.
Result<TicketAttributes> ticket_attributes_from_json(const boost::json::value& body);
boost::json::object ticket_to_json(const Ticket& t);

}  // namespace webgames
