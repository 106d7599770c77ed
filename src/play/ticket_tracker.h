#pragma once
// Follows one ticket through the events stream, from queued to a ready game
// server, and that server's session to its end. Pure: feed it the events in
// order and act on the steps it returns.
//
// Events are per player, but a stream may replay old ones (since=), so
// ticket events count only for the tracked ticket, and session events only
// once the ticket is matched (session.failed) or for the session it was
// given (session.ready, session.ended).

#include "play/event.h"

#include <optional>
#include <string>

namespace webgames::play {

class TicketTracker {
 public:
  enum class Step {
    waiting,   // nothing to do yet
    ready,     // a game server awaits the player: see session()
    requeued,  // the session failed and the ticket is back in the queue: wait again
    ended,     // the session ended (results in the event)
    failed,    // the ticket or its session is gone for good: give up
  };
  struct Update {
    Step step = Step::waiting;
    std::string message;  // a line for the player; empty when there is nothing to say
  };

  // `api_host`: the API server's host, for a session.ready whose host is
  // empty or a wildcard address (a server on the same machine as the API).
  TicketTracker(std::string ticket_id, std::string api_host)
      : ticket_id_(std::move(ticket_id)), api_host_(std::move(api_host)) {}

  Update on_event(const Event& event);

  // The ticket to cancel; it changes when a requeue issues a new one.
  const std::string& ticket_id() const { return ticket_id_; }
  // Set once the step was `ready`, until a requeue; its host is one to connect to.
  const std::optional<SessionReady>& session() const { return session_; }

 private:
  Update on(const TicketQueued& e);
  Update on(const TicketMatched& e);
  Update on(const TicketClosed& e);
  Update on(const SessionReady& e);
  Update on(const SessionEnded& e);
  Update on(const SessionFailed& e);
  Update on(const OtherEvent&) { return {}; }

  std::string ticket_id_;
  std::string api_host_;
  bool matched_ = false;
  bool requeued_ = false;  // a new ticket id may follow
  std::optional<SessionReady> session_;
};

}  // namespace webgames::play
