// The games catalog: /v1/games. A developer sees and changes only their own
// games; another owner's game answers 404, as if it did not exist. An
// operator reads every game (403 when it tries to change another's).

#include "api/authenticate.h"
#include "api/game_lookup.h"
#include "api/json_body.h"
#include "api/queue_breakdown_json.h"
#include "api/routes.h"
#include "core/encoding.h"
#include "domain/game_json.h"
#include "domain/game_toml.h"
#include "loop/run_on.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>

namespace webgames::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::error_response;
using http::json_response;
using http::RequestContext;
using http::Response;
using http::Status;
using http::Verb;

Error game_not_found() { return make_error(Errc::not_found, "no such game", "game"); }

bool toml_body(const RequestContext& ctx) {
  return is_toml_media_type(ctx.request[http::beast_http::field::content_type]);
}

// The game of a create or update: JSON, or TOML by its Content-Type.
Result<Game> read_game(const RequestContext& ctx, const std::string* path_name) {
  const auto& body = ctx.request.body();
  return toml_body(ctx) ? read_game_toml_body(body, path_name) : read_game_body(body, path_name);
}

// An error about the game of a create or update; a TOML body's says which
// line its field is on, so that an editor can point at it.
Response game_error(const RequestContext& ctx, const Error& error) {
  if (!toml_body(ctx) || error.field.empty()) return error_response(error);
  return error_response(error, toml_line_of(ctx.request.body(), error.field == "body" ? "" : error.field));
}

// The game named in the path, whoever owns it. BLOCKS.
Result<Game> find_game(Services& s, const std::string& name) {
  if (!is_slug(name)) return game_not_found();
  auto game = s.catalog.game_by_name(name);
  if (!game) return game.error().code == Errc::not_found ? game_not_found() : game.error();
  return game;
}

// The game named in the path, if the caller owns it. BLOCKS.
Result<Game> owned_game(Services& s, const std::string& name, const Principal& who) {
  auto game = find_game(s, name);
  if (game && game->owner_id != who.account_id)
    return sees_every_tenant(who) ? read_only_for_operators("game") : game_not_found();
  return game;
}

// After a write of the game named `name`: out of this replica's game cache,
// and out of every other's before the answer (in the scaled mode).
awaitable<void> forget_cached(Services& s, const std::string& name) {
  s.games.erase(name);
  if (s.share_game_change) co_await s.share_game_change(name);
}

awaitable<Response> create_game(Services& s, RequestContext& ctx, const Principal& who) {
  auto game = read_game(ctx, nullptr);
  if (!game) co_return game_error(ctx, game.error());
  game->id = new_id("gam_");  // a name registered again after a delete is a new game
  game->owner_id = who.account_id;
  game->created_at = game->updated_at = s.clock.now();
  auto quotas = co_await run_on(s.hosting, [&] { return s.director.quotas(); });
  auto created = co_await s.blocking.run([&]() -> Result<void> {
    auto mine = s.catalog.games_of(who.account_id);
    if (!mine) return mine.error();
    if (auto refused = quotas.game_refusal(who.account_id, mine->size()))
      return make_error(Errc::quota_exceeded, refused->message, refused->quota);
    return s.catalog.create_game(*game);
  });
  if (!created) co_return game_error(ctx, created.error());
  co_await forget_cached(s, game->name);  // another's game of this name, deleted since, may be cached
  auto res = json_response(Status::created, game_to_json(*game));
  res.set(http::beast_http::field::location, "/v1/games/" + game->name);
  co_return res;
}

// A developer's games; an operator's list holds every game, and "owners":
// each owner's username by account id.
awaitable<Response> list_games(Services& s, RequestContext&, const Principal& who) {
  struct Listed {
    std::vector<Game> games;
    std::map<std::string, std::string> owners;  // account id -> username
  };
  auto listed = co_await s.blocking.run([&]() -> Result<Listed> {
    if (!sees_every_tenant(who)) {
      auto games = s.catalog.games_of(who.account_id);
      if (!games) return games.error();
      return Listed{std::move(*games), {}};
    }
    auto games = s.catalog.all_games();
    if (!games) return games.error();
    Listed out{std::move(*games), {}};
    for (const auto& g : out.games) {
      if (out.owners.contains(g.owner_id)) continue;
      auto owner = s.catalog.account_by_id(g.owner_id);
      if (!owner && owner.error().code != Errc::not_found) return owner.error();
      out.owners[g.owner_id] = owner ? owner->username : "";
    }
    return out;
  });
  if (!listed) co_return error_response(listed.error());
  json::array items;
  for (const auto& g : listed->games) items.push_back(game_to_json(g));
  json::object body{{"items", std::move(items)}};
  if (sees_every_tenant(who)) {
    json::object owners;
    for (const auto& [id, username] : listed->owners) owners[id] = username;
    body["owners"] = std::move(owners);
  }
  co_return json_response(Status::ok, body);
}

awaitable<Response> get_game(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& name = ctx.params["game"];
  auto entry = co_await lookup_game(s, name);
  if (!entry) co_return error_response(entry.error());
  if (!may_read((*entry)->game.owner_id, who)) co_return error_response(game_not_found());
  co_return http::json_text_response(Status::ok, (*entry)->json);
}

awaitable<Response> update_game(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& name = ctx.params["game"];
  auto game = read_game(ctx, &name);
  if (!game) co_return game_error(ctx, game.error());
  auto updated = co_await s.blocking.run([&]() -> Result<Game> {
    auto current = owned_game(s, name, who);
    if (!current) return current.error();
    game->id = current->id;
    game->owner_id = current->owner_id;
    game->created_at = current->created_at;
    game->updated_at = s.clock.now();
    // By the id checked above: a game that took the name since is not touched.
    if (auto r = s.catalog.update_game(*game); !r) return r.error();
    return *game;
  });
  s.games.erase(name);  // whatever the outcome: a failed write's may be unknown
  if (!updated) co_return error_response(updated.error());
  co_await forget_cached(s, name);
  co_await run_on(s.hosting, [&] { s.lobby.game_changed(*updated); });
  co_return json_response(Status::ok, game_to_json(*updated));
}

awaitable<Response> delete_game(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& name = ctx.params["game"];
  auto deleted = co_await s.blocking.run([&]() -> Result<std::string> {
    auto current = owned_game(s, name, who);
    if (!current) return current.error();
    // By the id checked above: a game that took the name since is not touched.
    if (auto r = s.catalog.delete_game(current->id); !r) return r.error();
    return current->id;
  });
  s.games.erase(name);  // whatever the outcome: a failed write's may be unknown
  if (!deleted) co_return error_response(deleted.error());
  co_await forget_cached(s, name);
  // Its queues end with it: waiting tickets are cancelled, never matched into
  // a later game of the same name. Running sessions finish on their spec.
  co_await run_on(s.hosting, [&] { s.lobby.end_game(*deleted); });
  co_return http::no_content();
}

// A queue's matchmaking statistics, for the game's owner and operators.
awaitable<Response> queue_stats(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& name = ctx.params["game"];
  const auto& queue = ctx.params["queue"];
  auto entry = co_await lookup_game(s, name);
  if (!entry) co_return error_response(entry.error());
  const auto& game = (*entry)->game;
  if (!may_read(game.owner_id, who)) co_return error_response(game_not_found());
  if (std::none_of(game.queues.begin(), game.queues.end(), [&](const QueueSpec& q) { return q.name == queue; }))
    co_return error_response(make_error(Errc::not_found, "this game has no such queue", "queue"));
  struct Now {
    QueueStats stats;
    QueueBreakdown breakdown;
  };
  auto now = co_await run_on(s.hosting, [&] {
    return Now{s.lobby.stats(game.id, queue), s.lobby.breakdown(game.id, queue)};
  });
  const auto& st = now.stats;
  co_return json_response(Status::ok, json::object{{"game", name},
                                                   {"queue", queue},
                                                   {"waiting_tickets", st.waiting_tickets},
                                                   {"waiting_players", st.waiting_players},
                                                   {"oldest_wait_ms", st.oldest_wait.count()},
                                                   {"matches_per_minute", st.matches_per_minute},
                                                   {"wait_p50_ms", st.p50_wait.count()},
                                                   {"wait_p95_ms", st.p95_wait.count()},
                                                   {"mean_quality", st.mean_quality},
                                                   {"pending_backfills", st.pending_backfills},
                                                   {"breakdown", queue_breakdown_json(now.breakdown)}});
}

}  // namespace

void add_game_routes(http::Router& router, Services& s) {
  router.add(Verb::post, "/v1/games", authenticated(s, Access::developer, with_services(s, create_game)));
  router.add(Verb::get, "/v1/games", authenticated(s, Access::developer, with_services(s, list_games)));
  router.add(Verb::get, "/v1/games/{game}", authenticated(s, Access::developer, with_services(s, get_game)));
  router.add(Verb::put, "/v1/games/{game}",
             owner_only(s.lobby_place, authenticated(s, Access::developer, with_services(s, update_game))));
  router.add(Verb::delete_, "/v1/games/{game}",
             owner_only(s.lobby_place, authenticated(s, Access::developer, with_services(s, delete_game))));
  router.add(Verb::get, "/v1/games/{game}/queues/{queue}/stats",
             owner_only(s.lobby_place, authenticated(s, Access::developer, with_services(s, queue_stats))));
}

}  // namespace webgames::api
