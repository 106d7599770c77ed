#pragma once
// The events a player receives on the WebSocket /v1/events, as values.
//
// Each text frame is one JSON object {"id": <int>, "type": "...", "data": {...}}.
// Ids increase; a client that reconnects passes the last one it saw as
// `since=` and receives what it missed.

#include "core/error.h"

#include <boost/json/array.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace webgames::play {

struct TicketQueued {
  std::string ticket_id;
  std::string game;
  std::string queue;
};

struct TicketMatched {
  std::string ticket_id;
  std::string match_id;
};

// "ticket.cancelled" or "ticket.expired": the ticket left the queue without a match.
struct TicketClosed {
  std::string ticket_id;
  bool expired = false;  // false: cancelled
  std::string reason;    // why the server closed it; empty when not said
};

// The game server of the player's session accepts connections.
struct SessionReady {
  std::string session_id;
  std::string ticket_id;  // empty when the server did not say
  std::string host;       // may be empty: then the API server's host
  std::uint16_t port = 0;
  std::string join_token;
  std::map<std::string, std::uint16_t> ports;  // every named port of the server
};

struct SessionEnded {
  std::string session_id;
  boost::json::array results;  // as the game server reported them
};

struct SessionFailed {
  std::string session_id;
  std::string reason;
  bool requeued = false;  // true: the player's ticket is back in the queue
};

// A type this client does not know: skipped, so that the server may add types.
struct OtherEvent {};

using EventData =
    std::variant<TicketQueued, TicketMatched, TicketClosed, SessionReady, SessionEnded, SessionFailed, OtherEvent>;

struct Event {
  std::int64_t id = 0;
  std::string type;
  EventData data;
};

// The longest frame a client accepts.
inline constexpr std::size_t kMaxEventBytes = std::size_t{64} * 1024;

// Parses one frame. invalid_request when it is not JSON, lacks id, type or
// data, or a known type lacks one of its fields (the error names it, e.g.
// "data.join_token"). Unknown types parse as OtherEvent.
Result<Event> parse_event(std::string_view text);

}  // namespace webgames::play
