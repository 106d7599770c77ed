#pragma once
// GET /v1/sessions: its query string read into a SessionQuery, and the
// opaque cursor of its pages. Pure, like request_bodies.h: every parameter
// bounded, an unknown one refused, each error naming its parameter
// (invalid_field, 422).
//
//   game=NAME          a game's name (a slug)
//   state=STATE        allocating|starting|ready|running|ended|failed
//   player=ID|NAME     a player's account id or username (≤ 64 of [a-z0-9_.-])
//   since=T, until=T   matched in [since, until), Unix time in seconds
//   limit=N            1 to 500, Default: 50
//   cursor=C           next_cursor of the page before

#include "core/error.h"
#include "store/catalog.h"

#include <string>
#include <string_view>

namespace webgames::api {

inline constexpr std::size_t kMaxSessionPage = 500;

// The query of `target` ("/v1/sessions?state=ended&limit=10"). owner_id is
// left empty: the route sets it.
Result<SessionQuery> read_session_query(std::string_view target);

// The cursor a client sends back for the page after `last`: opaque to it.
std::string session_cursor_text(const SessionCursor& last);

}  // namespace webgames::api
