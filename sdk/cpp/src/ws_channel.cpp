// Players over WebSocket (Boost.Beast): one message per WebSocket message.

#include "player_channel.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace webgames::sdk::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

class WsChannel final : public PlayerChannel {
 public:
  WsChannel(tcp::socket socket, const ChannelLimits& limits)
      : PlayerChannel(Transport::ws, socket.get_executor(), limits.max_queued_messages), ws_(std::move(socket)) {
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = limits.handshake_timeout;  // the opening and the closing handshakes
    timeouts.idle_timeout = limits.idle_timeout;
    timeouts.keep_alive_pings = true;  // a ping halfway through the idle time
    ws_.set_option(timeouts);
    ws_.read_message_max(limits.max_message_bytes);
    ws_.auto_fragment(false);
  }

  asio::awaitable<bool> open() override {
    auto [ec] = co_await ws_.async_accept(kNoThrow);  // Beast answers a bad request 400 itself
    if (ec) abort();
    co_return !ec;
  }

  asio::awaitable<std::optional<std::string>> read() override {
    // Over read_message_max, Beast closes with 1009 (too big) and fails the read.
    auto [ec, n] = co_await ws_.async_read(buffer_, kNoThrow);
    if (ec) {
      peer_closed();
      co_return std::nullopt;
    }
    auto message = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    co_return message;
  }

 private:
  asio::awaitable<boost::system::error_code> write_one(const std::string& message) override {
    ws_.text(true);
    auto [ec, n] = co_await ws_.async_write(asio::buffer(message), kNoThrow);
    co_return ec;
  }

  asio::awaitable<void> finish() override {
    // Bounded by handshake_timeout; a read in flight ends when the peer answers.
    co_await ws_.async_close(websocket::close_code::normal, kNoThrow);
  }

  void abort() override {
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  bool is_open() const override { return ws_.is_open(); }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
};

}  // namespace

std::shared_ptr<PlayerChannel> make_ws_channel(tcp::socket socket, const ChannelLimits& limits) {
  return std::make_shared<WsChannel>(std::move(socket), limits);
}

}  // namespace webgames::sdk::detail
