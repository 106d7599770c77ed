#include "api/websocket_refusal.h"

#include "http/error_response.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>

namespace webgames::api {

namespace asio = boost::asio;

constexpr std::chrono::seconds kRefusalWriteTimeout{5};

asio::awaitable<void> refuse_upgrade(http::WebSocket& ws, http::RequestContext& ctx, const Error& error) {
  auto res = http::error_response(error);
  if (ctx.upgrade_answered) ctx.upgrade_answered(res.result_int());
  res.set("X-Request-Id", ctx.request_id);
  res.keep_alive(false);
  res.prepare_payload();
  // The connection's own deadlines were lifted for the WebSocket: a client
  // that never reads would hold this write, its connection and its
  // address's slot for ever (found by an audit).
  asio::steady_timer deadline(ws.get_executor(), kRefusalWriteTimeout);
  deadline.async_wait([&socket = ws.next_layer()](boost::system::error_code ec) {
    boost::system::error_code ignored;
    if (!ec) socket.close(ignored);
  });
  co_await boost::beast::http::async_write(ws.next_layer(), res, asio::as_tuple(asio::use_awaitable));
  deadline.cancel();
  boost::system::error_code ignored;
  ws.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

asio::awaitable<bool> accept_upgrade(http::WebSocket& ws, http::RequestContext& ctx) {
  if (ctx.upgrade_answered) ctx.upgrade_answered(101);
  auto [ec] = co_await ws.async_accept(ctx.request, asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

}  // namespace webgames::api
