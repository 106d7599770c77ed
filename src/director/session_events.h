#pragma once
// The event that tells a session's players how it ended (session.ended with
// the results, or session.failed with the reason), and whether a player's
// event stream already holds it, or the session's session.ready. The
// director tells the end after the record is saved, then marks the session
// told; a director that starts tells again each session left untold
// (Session::told) to the players whose stream does not hold its end yet,
// and the assignment of each ready session it adopts to the players whose
// stream does not hold it: neither is lost, nor, as long as the stream
// keeps it, told twice. Pure: no I/O.

#include "domain/session.h"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace webgames {

struct SessionEndEvent {
  std::string_view type;  // "session.ended" or "session.failed"
  boost::json::object data;
};

// REQUIRES: is_final(s.state). `requeued`: the failed session's players are
// queued again (session.failed's `requeued`).
SessionEndEvent session_end_event(const Session& s, bool requeued = false);

// True when one of `stream`'s event texts (EventBus::replay) is the end of
// session `session_id`.
bool holds_session_end(const std::vector<std::string>& stream, std::string_view session_id);
// True when one of them is session `session_id`'s session.ready.
bool holds_session_ready(const std::vector<std::string>& stream, std::string_view session_id);

}  // namespace webgames
