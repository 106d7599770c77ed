// The console's data (docs/console.md): GET /v1/console/overview, the last
// hour of queues and sessions in one answer, and the WebSocket
// /v1/console/events that keeps it live (overview.sample every interval,
// session.changed at each change of a session). A developer sees their own
// games, an operator every tenant's; ?game=NAME narrows to one game.
// Both read what the process's ConsoleHub keeps: a console costs a filter
// and a serialization, never a store read beyond its game's lookup.

#include "api/authenticate.h"
#include "api/event_stream.h"
#include "api/game_lookup.h"
#include "api/query_params.h"
#include "api/routes.h"
#include "api/websocket_refusal.h"

namespace webgames::api {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using http::RequestContext;
using http::Response;

Error bad_game() {
  return make_error(Errc::invalid_field, "game must be a game's name: 1 to 64 of a-z, 0-9 and '-'", "game");
}
Error no_game() { return make_error(Errc::not_found, "no such game", "game"); }

console::Scope scope_for(const Principal& who, std::optional<std::string> game) {
  console::Scope scope;
  if (!sees_every_tenant(who)) scope.owner_id = who.account_id;
  scope.game = std::move(game);
  return scope;
}

// The scope of `who`'s console, narrowed by ?game= to a game they may read:
// invalid_field for a name that cannot be a game's, not_found for a game
// they do not see (both naming "game"). `token` is a query parameter only
// where a WebSocket carries its access token in the URL.
awaitable<Result<console::Scope>> read_scope(Services& s, const http::Request& request, const Principal& who,
                                             bool token_in_query) {
  auto query =
      token_in_query ? check_query(request.target(), {"game", "token"}) : check_query(request.target(), {"game"});
  if (!query) co_return query.error();
  auto text = http::query_param(request.target(), "game");
  if (!text) co_return scope_for(who, std::nullopt);
  std::string name(*text);
  if (!is_slug(name)) co_return bad_game();
  auto game = co_await lookup_game(s, name);
  if (!game) co_return game.error();
  if (!may_read((*game)->game.owner_id, who)) co_return no_game();
  co_return scope_for(who, std::move(name));
}

awaitable<Response> overview(Services& s, RequestContext& ctx, const Principal& who) {
  auto scope = co_await read_scope(s, ctx.request, who, false);
  if (!scope) co_return http::error_response(scope.error());
  co_return http::json_response(http::Status::ok, s.console->overview(*scope, s.clock.now()));
}

Error not_a_console() {
  return make_error(Errc::forbidden, "the console is for developer and operator accounts", "authorization");
}

awaitable<void> events(Services& s, RequestContext& ctx, std::shared_ptr<http::WebSocket> ws) {
  auto who = co_await authenticate_upgrade(s, ctx.request);
  if (!who) co_return co_await refuse_upgrade(*ws, ctx, who.error());
  ctx.account_id = who->account_id;
  if (!manages_games(who->role)) co_return co_await refuse_upgrade(*ws, ctx, not_a_console());
  auto scope = co_await read_scope(s, ctx.request, *who, true);
  if (!scope) co_return co_await refuse_upgrade(*ws, ctx, scope.error());

  if (!co_await accept_event_stream(*ws, ctx)) co_return;
  auto feed = s.console->open(std::move(*scope), co_await asio::this_coro::executor, who->credential_id());
  co_await send_frames(std::move(ws), std::move(feed), steady_expiry(s, *who));
}

}  // namespace

void add_console_routes(http::Router& router, Services& s) {
  router.add(http::Verb::get, "/v1/console/overview", authenticated(s, Access::developer, with_services(s, overview)));
  router.add_websocket("/v1/console/events", [&s](RequestContext& ctx, std::shared_ptr<http::WebSocket> ws) {
    return events(s, ctx, std::move(ws));
  });
}

}  // namespace webgames::api
