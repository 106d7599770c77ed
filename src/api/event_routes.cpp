// The player's event stream: a WebSocket at /v1/events. Authenticated by
// "Authorization: Bearer" or, for browsers that cannot set headers on a
// WebSocket, ?token=…; ?since=<id> replays what a reconnecting client missed.
// Server to client only: text frames {"id":n,"type":"…","data":{…}}.

#include "api/authenticate.h"
#include "api/event_stream.h"
#include "api/query_params.h"
#include "api/routes.h"
#include "api/websocket_refusal.h"

#include <charconv>

namespace webgames::api {
namespace {

namespace asio = boost::asio;
using asio::awaitable;

awaitable<void> events(Services& s, http::RequestContext& ctx, std::shared_ptr<http::WebSocket> ws) {
  auto who = co_await authenticate_upgrade(s, ctx.request);
  if (!who) co_return co_await refuse_upgrade(*ws, ctx, who.error());
  ctx.account_id = who->account_id;

  if (auto query = check_query(ctx.request.target(), {"since", "token"}); !query)
    co_return co_await refuse_upgrade(*ws, ctx, query.error());
  std::uint64_t since = 0;
  if (auto text = http::query_param(ctx.request.target(), "since")) {
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), since);
    if (ec != std::errc() || ptr != text->data() + text->size())
      co_return co_await refuse_upgrade(*ws, ctx,
                                        make_error(Errc::invalid_field, "since must be an event id", "since"));
  }

  if (!co_await accept_event_stream(*ws, ctx)) co_return;
  // Held by callbacks from here on: an idle player's stream keeps no coroutine.
  auto subscription = s.events.subscribe(who->account_id, since, ws->get_executor());
  if (s.player_streams) s.player_streams->opened(who->account_id, who->credential_id(), subscription);
  hold_event_stream(ws, std::move(subscription), {}, steady_expiry(s, *who));
}

}  // namespace

void add_event_routes(http::Router& router, Services& s) {
  router.add_websocket("/v1/events", [&s](http::RequestContext& ctx, std::shared_ptr<http::WebSocket> ws) {
    return events(s, ctx, std::move(ws));
  });
}

}  // namespace webgames::api
