// The player's event stream: a WebSocket at /v1/events. Authenticated by
// "Authorization: Bearer" or, for browsers that cannot set headers on a
// WebSocket, ?token=…; ?since=<id> replays what a reconnecting client missed.
// Server to client only: text frames {"id":n,"type":"…","data":{…}}.

#include "api/authenticate.h"
#include "api/routes.h"
#include "api/websocket_refusal.h"
#include "auth/jwt.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <array>
#include <charconv>

namespace webgames::api {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::awaitable;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// The credential of `request`: its Authorization header, else ?token= (browsers
// cannot set headers on a WebSocket). A copy of the request, rewritten, lives
// only in this frame, not in the connection's for its whole life.
awaitable<Result<Principal>> authenticate_events(Services& s, const http::Request& original) {
  auto request = original;
  if (request[http::beast_http::field::authorization].empty()) {
    if (auto token = http::query_param(request.target(), "token"); token && token->size() <= kMaxTokenBytes)
      request.set(http::beast_http::field::authorization, fmt::format("Bearer {}", *token));
  }
  co_return co_await authenticate(s, request);
}

awaitable<void> events(Services& s, http::RequestContext& ctx, std::shared_ptr<http::WebSocket> ws) {
  auto who = co_await authenticate_events(s, ctx.request);
  if (!who) co_return co_await refuse_upgrade(*ws, ctx, who.error());
  ctx.account_id = who->account_id;

  std::uint64_t since = 0;
  if (auto text = http::query_param(ctx.request.target(), "since")) {
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), since);
    if (ec != std::errc() || ptr != text->data() + text->size())
      co_return co_await refuse_upgrade(*ws, ctx,
                                        make_error(Errc::invalid_field, "since must be an event id", "since"));
  }

  ws->set_option(websocket::stream_base::timeout::suggested(boost::beast::role_type::server));
  ws->set_option(websocket::stream_base::decorator(
      [id = ctx.request_id](websocket::response_type& res) { res.set("X-Request-Id", id); }));
  ws->read_message_max(4096);
  // Events are small and sent whole: no fragmenting, a small write buffer.
  ws->auto_fragment(false);
  ws->write_buffer_bytes(512);
  auto [aec] = co_await ws->async_accept(ctx.request, kNoThrow);
  if (aec) co_return;
  // An idle connection is held by the thousand: keep nothing of the request.
  ctx.request = {};

  auto executor = co_await asio::this_coro::executor;
  auto subscription = s.events.subscribe(who->account_id, since, executor);

  // Reads only to notice the client leaving (and to answer pings): when the
  // read fails, the subscription is closed, which ends the write loop below.
  auto reader_done = std::make_shared<bool>(false);
  asio::co_spawn(
      executor,
      [ws, subscription, reader_done]() -> awaitable<void> {
        // Pieces of messages into a small buffer, dropped: a dynamic buffer
        // would hold a message's worth of memory for every idle connection.
        std::array<char, 128> discard;
        for (;;) {
          auto [ec, n] = co_await ws->async_read_some(asio::buffer(discard), kNoThrow);
          if (ec) break;
        }
        *reader_done = true;
        subscription->end();
      },
      asio::detached);

  while (auto event = co_await subscription->next()) {
    ws->text(true);
    auto [ec, n] = co_await ws->async_write(asio::buffer(*event), kNoThrow);
    if (ec) break;
  }
  if (!*reader_done) co_await ws->async_close(websocket::close_code::going_away, kNoThrow);
}

}  // namespace

void add_event_routes(http::Router& router, Services& s) {
  router.add_websocket("/v1/events", [&s](http::RequestContext& ctx, std::shared_ptr<http::WebSocket> ws) {
    return events(s, ctx, std::move(ws));
  });
}

}  // namespace webgames::api
