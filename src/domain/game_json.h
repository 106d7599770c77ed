#pragma once
// The JSON form of a Game, shared by the API and the stores. See
// docs/game-spec.md for the format.

#include "core/error.h"
#include "domain/game.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace webgames {

// Reads name, title, server and queues; type errors name the field.
// owner_id, created_at and updated_at are accepted and ignored (they are the
// server's), so that a client may PUT back what it read. Does not apply the
// rules of validate_game; call it next.
Result<Game> game_from_json(const boost::json::value& value);

boost::json::object game_to_json(const Game& game);

}  // namespace webgames
