#include "api/event_stream.h"

namespace webgames::api {

namespace websocket = boost::beast::websocket;

boost::asio::awaitable<bool> accept_event_stream(http::WebSocket& ws, http::RequestContext& ctx) {
  ws.set_option(websocket::stream_base::timeout::suggested(boost::beast::role_type::server));
  ws.set_option(websocket::stream_base::decorator(
      [id = ctx.request_id](websocket::response_type& res) { res.set("X-Request-Id", id); }));
  ws.read_message_max(4096);
  ws.auto_fragment(false);
  ws.write_buffer_bytes(512);
  auto [ec] = co_await ws.async_accept(ctx.request, boost::asio::as_tuple(boost::asio::use_awaitable));
  ctx.request = {};
  co_return !ec;
}

}  // namespace webgames::api
