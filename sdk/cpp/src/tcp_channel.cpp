// Players over TCP: JSON lines, one message per line each way.

#include "player_channel.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace webgames::sdk::detail {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// After our last line, how long the client gets to close its side: closing
// at once, with its input unread, would reset the connection and could cost
// the client our last lines.
constexpr auto kLinger = std::chrono::seconds(1);

class TcpChannel final : public PlayerChannel {
 public:
  TcpChannel(tcp::socket socket, const ChannelLimits& limits)
      : PlayerChannel(Transport::tcp, socket.get_executor(), limits.max_queued_messages),
        socket_(std::move(socket)),
        max_line_(limits.max_message_bytes) {}

  asio::awaitable<bool> open() override { co_return socket_.is_open(); }

  asio::awaitable<std::optional<std::string>> read() override {
    // The buffer's limit is the line limit: one byte more for the '\n'.
    auto [ec, n] =
        co_await asio::async_read_until(socket_, asio::dynamic_buffer(input_, max_line_ + 1), '\n', kNoThrow);
    if (ec == asio::error::not_found) {
      send(error_message("line_too_long", "a line is at most " + std::to_string(max_line_) + " bytes"));
      close();
      co_return std::nullopt;
    }
    if (ec) {
      peer_closed();
      co_return std::nullopt;
    }
    std::string line = input_.substr(0, n - 1);
    input_.erase(0, n);
    if (line.ends_with('\r')) line.pop_back();
    co_return line;
  }

 private:
  asio::awaitable<boost::system::error_code> write_one(const std::string& message) override {
    static constexpr char kEnd = '\n';
    std::array<asio::const_buffer, 2> line{asio::buffer(message), asio::buffer(&kEnd, 1)};
    auto [ec, n] = co_await asio::async_write(socket_, line, kNoThrow);
    co_return ec;
  }

  asio::awaitable<void> finish() override {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    if (!has_peer_closed()) co_await linger(kLinger);
  }

  void abort() override {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  bool is_open() const override { return socket_.is_open(); }

  tcp::socket socket_;
  std::size_t max_line_;
  std::string input_;
};

}  // namespace

std::shared_ptr<PlayerChannel> make_tcp_channel(tcp::socket socket, const ChannelLimits& limits) {
  return std::make_shared<TcpChannel>(std::move(socket), limits);
}

}  // namespace webgames::sdk::detail
