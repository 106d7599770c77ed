#include "api/game_lookup.h"

#include <algorithm>

namespace webgames::api {

boost::asio::awaitable<Result<std::shared_ptr<const GameCache::Entry>>> lookup_game(Services& s,
                                                                                    const std::string& name) {
  auto not_found = make_error(Errc::not_found, "no such game", "game");
  if (!is_slug(name)) co_return not_found;
  if (auto entry = s.games.find(name)) co_return entry;
  auto generation = s.games.generation();
  auto game = co_await s.blocking.run([&] { return s.catalog.game_by_name(name); });
  if (!game) co_return game.error().code == Errc::not_found ? not_found : game.error();
  co_return s.games.put(std::move(*game), generation);
}

Result<void> has_queue(const Game& game, std::string_view queue) {
  if (std::none_of(game.queues.begin(), game.queues.end(), [&](const QueueSpec& q) { return q.name == queue; }))
    return make_error(Errc::not_found, "this game has no such queue", "queue");
  return {};
}

}  // namespace webgames::api
