// The server SDK's wire protocol (docs/server-sdk.md): a game server, with
// its session's secret as bearer token, reports ready, heartbeats, players
// and the end. A secret of another session gets 403.

#include "api/json_body.h"
#include "api/routes.h"
#include "core/json_fields.h"
#include "loop/run_on.h"

#include <boost/beast/core/string.hpp>

namespace webgames::api {
namespace {

using boost::asio::awaitable;
using http::error_response;
using http::RequestContext;
using http::Response;
using http::Verb;

std::optional<std::string> secret_of(const http::Request& request) {
  auto header = request[http::beast_http::field::authorization];
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || header.size() > 256 ||
      !boost::beast::iequals(header.substr(0, kScheme.size()), kScheme))
    return std::nullopt;
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
    if (!secret)
      co_return error_response(make_error(Errc::unauthenticated,
                                          "Authorization: Bearer <WEBGAMES_SDK_SECRET> is required", "authorization"));
    auto r = co_await run_on(s.hosting, [&] { return call(s, ctx, *secret); });
    if (r && durable) co_await run_on(s.director.journal(), [] {});
    co_return r ? http::no_content() : error_response(r.error());
  };
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
  // Backfill: {"team": t, "players": n}; 202 {"backfill_id"} once queued.
  router.add(
      Verb::post, base + "/backfill", owner_only(s.lobby_place, [&s](RequestContext& ctx) -> awaitable<Response> {
        auto secret = secret_of(ctx.request);
        if (!secret)
          co_return error_response(make_error(
              Errc::unauthenticated, "Authorization: Bearer <WEBGAMES_SDK_SECRET> is required", "authorization"));
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
