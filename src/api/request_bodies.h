#pragma once
// The JSON bodies of the API's requests, read into values. Pure: no I/O, no
// services; each takes the body's text (an empty body reads as {}) and
// returns what its handler needs, or the Error the client gets
// (docs/errors.md). Unknown fields are refused, every string and number is
// bounded. The handlers call these; the fuzz/ harnesses feed them hostile
// input.

#include "core/error.h"
#include "domain/account.h"
#include "domain/game.h"
#include "domain/ticket.h"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace webgames::api {

// Any body: invalid_request when it is not JSON (nesting deeper than 32 is
// refused); an empty body reads as {}.
Result<boost::json::value> json_body(std::string_view body);

// POST /v1/auth/register: {"username", "password", "role"?}; role "player" (default) or "developer".
struct RegisterBody {
  std::string username;  // ≤ 64 bytes here; validate_username applies the rules
  std::string password;  // ≤ kMaxPasswordBytes + 1 bytes here
  Role role = Role::player;
};
Result<RegisterBody> read_register_body(std::string_view body);

// POST /v1/auth/login: {"username", "password"}.
struct LoginBody {
  std::string username;
  std::string password;
};
Result<LoginBody> read_login_body(std::string_view body);

// POST /v1/auth/guest: {"device_id"} (≤ 128 bytes). Returns the device id.
Result<std::string> read_guest_body(std::string_view body);
// POST /v1/auth/refresh: {"refresh_token"} (≤ 128 bytes). Returns the token.
Result<std::string> read_refresh_body(std::string_view body);
// POST /v1/apikeys: {"name"} (≤ 64 bytes). Returns the name.
Result<std::string> read_api_key_body(std::string_view body);
// POST /v1/parties/join: {"code"} (≤ 16 bytes). Returns the code.
Result<std::string> read_join_party_body(std::string_view body);

// POST /v1/games, or PUT /v1/games/{game} when `path_name` is set (the
// body's name, if any, must equal it; absent, it is taken from the path).
// The game is validated (validate_game) and its defaults filled in.
Result<Game> read_game_body(std::string_view body, const std::string* path_name);

// The same game written in TOML (Content-Type: application/toml,
// docs/game-spec.md), read as read_game_body reads its JSON. A body that is
// not TOML is invalid_request with field "body". The client is told the
// line an error's field is on with toml_line_of (domain/game_toml.h).
Result<Game> read_game_toml_body(std::string_view body, const std::string* path_name);

// True when a Content-Type names TOML ("application/toml", any case, any
// parameters): the game routes then read their body as TOML.
bool is_toml_media_type(std::string_view content_type);

// POST /v1/queues/{game}/{queue}/tickets: see ticket_attributes_from_json.
Result<TicketAttributes> read_ticket_body(std::string_view body);

// POST /v1/sdk/sessions/{session}/backfill: {"team"? (0 to 63, default 0), "players" (1 to 1000)}.
struct BackfillBody {
  int team = 0;
  int players = 0;
};
Result<BackfillBody> read_backfill_body(std::string_view body);

}  // namespace webgames::api
