#include "api/websocket_refusal.h"

#include "http/error_response.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>

namespace webgames::api {

namespace asio = boost::asio;

asio::awaitable<void> refuse_upgrade(http::WebSocket& ws, http::RequestContext& ctx, const Error& error) {
  auto res = http::error_response(error);
  if (ctx.upgrade_answered) ctx.upgrade_answered(res.result_int());
  res.set("X-Request-Id", ctx.request_id);
  res.keep_alive(false);
  res.prepare_payload();
  co_await boost::beast::http::async_write(ws.next_layer(), res, asio::as_tuple(asio::use_awaitable));
  boost::system::error_code ignored;
  ws.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

asio::awaitable<bool> accept_upgrade(http::WebSocket& ws, http::RequestContext& ctx) {
  if (ctx.upgrade_answered) ctx.upgrade_answered(101);
  auto [ec] = co_await ws.async_accept(ctx.request, asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

}  // namespace webgames::api
