#include "api/event_stream.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>
#include <string>

namespace webgames::api {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

namespace {

// What the client sends is read only to be dropped; every stream of a loop
// reads into this one buffer rather than hold its own.
thread_local std::array<char, 128> dropped;

// One held event stream: its pending read, write or close holds it, and it
// goes when the last of them has run (the read ended, and the subscription
// ended or a write failed).
class HeldStream : public std::enable_shared_from_this<HeldStream> {
 public:
  HeldStream(std::shared_ptr<http::WebSocket> ws, std::shared_ptr<Subscription> subscription)
      : ws_(std::move(ws)), subscription_(std::move(subscription)) {}

  void start() {
    read();
    wait();
  }

 private:
  void read() {
    ws_->async_read_some(asio::buffer(dropped), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (!ec) return self->read();
      self->reader_done_ = true;
      self->subscription_->end();
    });
  }

  // Weakly: only the socket's operations hold the stream, so that a loop
  // that stops with it idle frees it (the subscription would hold it, and
  // it the subscription).
  void wait() {
    subscription_->on_ready([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->send();
    });
  }

  void send() {
    auto text = subscription_->take();
    if (!text) {
      if (subscription_->ended()) return close();
      return wait();
    }
    sending_ = std::move(*text);
    ws_->text(true);
    ws_->async_write(asio::buffer(sending_), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      self->sending_ = {};
      if (!ec) return self->send();
      self->close();
    });
  }

  // Closes the stream unless the client did, saying why when the server
  // ended it for this client alone.
  void close() {
    if (reader_done_) return;
    websocket::close_reason why(websocket::close_code::going_away);
    switch (subscription_->ending()) {
      case Subscription::Ending::too_slow:
        why = {websocket::close_code::try_again_later, "too slow: reconnect with since"};
        break;
      case Subscription::Ending::replaced:
        why = {websocket::close_code::policy_error, "replaced by a newer stream of this player"};
        break;
      case Subscription::Ending::closed:
        break;
    }
    ws_->async_close(why, [self = shared_from_this()](boost::system::error_code) {});
  }

  std::shared_ptr<http::WebSocket> ws_;
  std::shared_ptr<Subscription> subscription_;
  std::string sending_;  // the frame being written
  bool reader_done_ = false;
};

}  // namespace

void hold_event_stream(std::shared_ptr<http::WebSocket> ws, std::shared_ptr<Subscription> subscription) {
  std::make_shared<HeldStream>(std::move(ws), std::move(subscription))->start();
}

void cork(http::WebSocket& ws, bool on) {
  int value = on ? 1 : 0;
  ::setsockopt(ws.next_layer().native_handle(), IPPROTO_TCP, TCP_CORK, &value, sizeof value);
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
