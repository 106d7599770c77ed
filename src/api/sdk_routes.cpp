// The server SDK's wire protocol (docs/server-sdk.md): a game server, with
// its session's secret as bearer token, reports ready, heartbeats, players
// and the end. A secret of another session gets 403.

#include "api/json_body.h"
#include "api/query_params.h"
#include "api/routes.h"
#include "core/json_fields.h"
#include "loop/run_on.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>

namespace webgames::api {
namespace {

using boost::asio::awaitable;
using http::error_response;
using http::RequestContext;
using http::Response;
using http::Verb;

// The game server's secret: 401 without one Bearer credential; 403 for one
// too long to be any session's secret (a player's access token, say).
Result<std::string> secret_of(const http::Request& request) {
  const Error required =
      make_error(Errc::unauthenticated, "Authorization: Bearer <WEBGAMES_SDK_SECRET> is required", "authorization");
  if (request.count(http::beast_http::field::authorization) > 1) return required;  // which one?
  auto header = request[http::beast_http::field::authorization];
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || !boost::beast::iequals(header.substr(0, kScheme.size()), kScheme))
    return required;
  if (header.size() > 256) return make_error(Errc::forbidden, std::string(kNotThisSessionsSecret), "authorization");
  return std::string(header.substr(kScheme.size()));
}

// Wraps a director call that takes (session id, secret) and returns Result<void>.
// With `durable`, the answer waits until the change is saved: a server told
// 204 for its ready or end call never has to repeat it, even if webgames is
// killed right after.
template <class Call>
http::Handler sdk_route(Services& s, Call call, bool durable = false) {
  return [&s, call, durable](RequestContext& ctx) -> awaitable<Response> {
    auto secret = secret_of(ctx.request);
    if (!secret) co_return error_response(secret.error());
    auto r = co_await run_on(s.hosting, [&] { return call(s, ctx, *secret); });
    if (r && durable) co_await run_on(s.director.journal(), [] {});
    co_return r ? http::no_content() : error_response(r.error());
  };
}

// The longest a server's allocation long poll waits: under the forwarding
// timeout between replicas below.
constexpr std::chrono::milliseconds kMaxAllocationWait{30'000};

using Allocation = Result<std::optional<boost::json::object>>;

// On the hosting strand: the allocation now, or after the director wakes
// this waiter (a match, the end of the session, a stop), or after `wait`.
awaitable<Allocation> wait_for_allocation(Services& s, std::string session_id, std::string secret,
                                          std::chrono::milliseconds wait) {
  auto now = s.director.allocation(session_id, secret);
  if (!now || *now || wait.count() == 0) co_return now;
  boost::asio::steady_timer timer(s.hosting, wait);
  auto id = s.director.on_allocated(session_id, [&timer] { timer.cancel(); });
  co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  s.director.forget_allocation_wait(id);
  co_return s.director.allocation(session_id, secret);
}

}  // namespace

void add_sdk_routes(http::Router& router, Services& s) {
  const std::string base = "/v1/sdk/sessions/{session}";
  router.add(Verb::post, base + "/ready",
             owner_only(s.lobby_place, sdk_route(
                                           s,
                                           [](Services& s, RequestContext& ctx, const std::string& secret) {
                                             return s.director.server_ready(ctx.params["session"], secret);
                                           },
                                           true)));
  router.add(Verb::post, base + "/heartbeat",
             owner_only(s.lobby_place, sdk_route(s, [](Services& s, RequestContext& ctx, const std::string& secret) {
                          return s.director.server_heartbeat(ctx.params["session"], secret);
                        })));
  router.add(Verb::post, base + "/players/{player}/connected",
             owner_only(s.lobby_place, sdk_route(s, [](Services& s, RequestContext& ctx, const std::string& secret) {
                          return s.director.server_player(ctx.params["session"], secret, ctx.params["player"], true);
                        })));
  router.add(Verb::post, base + "/players/{player}/disconnected",
             owner_only(s.lobby_place, sdk_route(s, [](Services& s, RequestContext& ctx, const std::string& secret) {
                          return s.director.server_player(ctx.params["session"], secret, ctx.params["player"], false);
                        })));
  router.add(
      Verb::post, base + "/end",
      owner_only(s.lobby_place, sdk_route(
                                    s,
                                    [](Services& s, RequestContext& ctx, const std::string& secret) -> Result<void> {
                                      auto body = json_body(ctx.request);
                                      if (!body) return body.error();
                                      return s.director.server_end(ctx.params["session"], secret, std::move(*body));
                                    },
                                    true)));
  // The allocation step (docs/server-sdk.md): 200 with the players once the
  // session has its match, 204 when `wait` passed first (ask again).
  router.add(Verb::get, base + "/allocation",
             owner_only(
                 s.lobby_place,
                 [&s](RequestContext& ctx) -> awaitable<Response> {
                   auto secret = secret_of(ctx.request);
                   if (!secret) co_return error_response(secret.error());
                   if (auto query = check_query(ctx.request.target(), {"wait"}); !query)
                     co_return error_response(query.error());
                   auto wait = wait_param(ctx.request, std::chrono::milliseconds(0), kMaxAllocationWait);
                   if (!wait) co_return error_response(wait.error());
                   auto allocation = co_await boost::asio::co_spawn(
                       s.hosting, wait_for_allocation(s, ctx.params["session"], *secret, *wait),
                       boost::asio::use_awaitable);
                   if (!allocation) co_return error_response(allocation.error());
                   if (!*allocation) co_return http::no_content();
                   co_return http::json_response(http::Status::ok, std::move(**allocation));
                 },
                 kMaxAllocationWait + std::chrono::seconds(5)));
  // Backfill: {"team": t, "players": n}; 202 {"backfill_id"} once queued.
  router.add(Verb::post, base + "/backfill",
             owner_only(s.lobby_place, [&s](RequestContext& ctx) -> awaitable<Response> {
               auto secret = secret_of(ctx.request);
               if (!secret) co_return error_response(secret.error());
               auto body = read_backfill_body(ctx.request.body());
               if (!body) co_return error_response(body.error());
               auto id = co_await run_on(s.hosting, [&]() -> Result<std::string> {
                 auto need = s.director.backfill_need(ctx.params["session"], *secret, body->team, body->players);
                 if (!need) return need.error();
                 return s.lobby.request_backfill(*need);
               });
               if (!id) co_return error_response(id.error());
               co_return http::json_response(http::Status::accepted, boost::json::object{{"backfill_id", *id}});
             }));
}

}  // namespace webgames::api
