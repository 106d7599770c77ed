#include "api/event_stream.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace webgames::api {

namespace websocket = boost::beast::websocket;

void cork(http::WebSocket& ws, bool on) {
  int value = on ? 1 : 0;
  ::setsockopt(ws.next_layer().socket().native_handle(), IPPROTO_TCP, TCP_CORK, &value, sizeof value);
}

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
