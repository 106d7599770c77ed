#pragma once
// Reading a game by name through the GameCache: the event loop answers a
// cached game; a miss goes to the Catalog on the blocking pool.

#include "api/services.h"

#include <memory>

namespace webgames::api {

// not_found (field "game") when there is no such game, whoever owns it.
boost::asio::awaitable<Result<std::shared_ptr<const GameCache::Entry>>> lookup_game(Services& s,
                                                                                    const std::string& name);

// not_found (field "queue") unless `game` has a queue named `queue`.
Result<void> has_queue(const Game& game, std::string_view queue);

}  // namespace webgames::api
