// Ratings: /v1/queues/{game}/{queue}/rating (the caller's) and
// /v1/queues/{game}/{queue}/leaderboard. See docs/ratings.md.

#include "api/authenticate.h"
#include "api/game_lookup.h"
#include "api/query_params.h"
#include "api/routes.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>

namespace webgames::api {
namespace {

using boost::asio::awaitable;
using http::error_response;
using http::RequestContext;
using http::Response;
using http::Status;
using http::Verb;
namespace json = boost::json;

json::object rating_json(const PlayerRating& r) {
  return {{"mu", r.rating.mu}, {"sigma", r.rating.sigma}, {"ordinal", r.rating.ordinal()}, {"matches", r.matches}};
}

struct GameQueue {
  std::string game_id;  // ratings belong to the game, not to its name
  std::string game;
  std::string queue;
};

// The game (as it is now) and the queue, once both are known to exist.
awaitable<Result<GameQueue>> game_and_queue(Services& s, RequestContext& ctx) {
  auto game = co_await lookup_game(s, ctx.params["game"]);
  if (!game) co_return game.error();
  const auto& queue = ctx.params["queue"];
  if (auto known = has_queue((*game)->game, queue); !known) co_return known.error();
  co_return GameQueue{(*game)->game.id, (*game)->game.name, queue};
}

awaitable<Response> get_rating(Services& s, RequestContext& ctx, const Principal& who) {
  auto where = co_await game_and_queue(s, ctx);
  if (!where) co_return error_response(where.error());
  const GameQueue& w = *where;  // not a structured binding: clang 14 (make fuzz) cannot capture one
  auto rating = co_await s.blocking.run([&] { return s.ratings.rating_of(w.game_id, w.queue, who.account_id); });
  if (!rating) co_return error_response(rating.error());
  auto body = rating_json(*rating);
  body["game"] = w.game;
  body["queue"] = w.queue;
  co_return http::json_response(Status::ok, std::move(body));
}

awaitable<Response> get_leaderboard(Services& s, RequestContext& ctx, const Principal&) {
  if (auto query = check_query(ctx.request.target(), {"limit"}); !query) co_return error_response(query.error());
  auto limit = limit_param(ctx.request, 100, 1000);
  if (!limit) co_return error_response(limit.error());
  auto where = co_await game_and_queue(s, ctx);
  if (!where) co_return error_response(where.error());
  const GameQueue& w = *where;  // not a structured binding: clang 14 (make fuzz) cannot capture one
  auto board = co_await s.blocking.run([&] { return s.catalog.leaderboard(w.game_id, w.queue, *limit); });
  if (!board) co_return error_response(board.error());
  json::array items;
  for (const auto& line : *board) {
    auto item = rating_json(line.rating);
    item["rank"] = items.size() + 1;
    item["player_id"] = line.rating.account_id;
    item["name"] = line.username;
    items.push_back(std::move(item));
  }
  co_return http::json_response(Status::ok,
                                json::object{{"game", w.game}, {"queue", w.queue}, {"items", std::move(items)}});
}

}  // namespace

void add_rating_routes(http::Router& router, Services& s) {
  router.add(Verb::get, "/v1/queues/{game}/{queue}/rating",
             authenticated(s, Access::account, with_services(s, get_rating)));
  router.add(Verb::get, "/v1/queues/{game}/{queue}/leaderboard",
             authenticated(s, Access::account, with_services(s, get_leaderboard)));
}

}  // namespace webgames::api
