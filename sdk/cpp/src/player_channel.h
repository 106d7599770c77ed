#pragma once
// The two transports behind PlayerConnection (players.h): what the listener
// needs of a connection before and after the join, and the writer they
// share (a bounded queue, written in order, then a graceful close). Runs on
// one executor that does not run handlers concurrently; nothing here is
// thread-safe.

#include "webgames/players.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace webgames::sdk::detail {

class PlayerChannel : public PlayerConnection, public std::enable_shared_from_this<PlayerChannel> {
 public:
  // The transport's opening (the WebSocket handshake); false if it failed
  // and the connection is closed. Then start() the writer.
  virtual boost::asio::awaitable<bool> open() = 0;
  void start();
  // The next message; empty once the connection is closed, or after a
  // message over the limit (then closed, as players.h says).
  virtual boost::asio::awaitable<std::optional<std::string>> read() = 0;

  void joined(Player player) { player_ = std::move(player); }
  bool closing() const { return closing_; }

  void send(std::string_view message) override;
  void close() override;
  void close_now() override;
  boost::asio::awaitable<void> wait_closed() override;

 protected:
  PlayerChannel(Transport transport, const boost::asio::any_io_executor& executor, std::size_t max_queued);

  // Writes one queued message; an error ends the writer.
  virtual boost::asio::awaitable<boost::system::error_code> write_one(const std::string& message) = 0;
  // After the last message: the transport's graceful close.
  virtual boost::asio::awaitable<void> finish() = 0;
  // Closes the socket at once, failing whatever is pending on it.
  virtual void abort() = 0;
  virtual bool is_open() const = 0;

  // The reader saw the peer close (or the connection fail): no need to wait for it.
  void peer_closed() {
    peer_closed_ = true;
    close();
  }
  bool has_peer_closed() const { return peer_closed_; }
  // Wakes early when close() or close_now() is called, or the peer closes.
  boost::asio::awaitable<void> linger(std::chrono::milliseconds how_long);

 private:
  boost::asio::awaitable<void> write_queued();

  std::size_t max_queued_;
  std::deque<std::string> outbox_;
  boost::asio::steady_timer wake_writer_;  // cancelled to wake the writer
  boost::asio::steady_timer closed_;       // cancelled when the writer is done
  bool closing_ = false;
  bool peer_closed_ = false;
  bool writer_done_ = false;
};

struct ChannelLimits {
  std::size_t max_message_bytes = 4096;
  std::size_t max_queued_messages = 64;
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
};

// JSON lines on a TCP socket.
std::shared_ptr<PlayerChannel> make_tcp_channel(boost::asio::ip::tcp::socket socket, const ChannelLimits& limits);
// A WebSocket accepted on a TCP socket (the handshake is open()).
std::shared_ptr<PlayerChannel> make_ws_channel(boost::asio::ip::tcp::socket socket, const ChannelLimits& limits);

// {"type":"error","code":…,"reason":…}, serialized.
std::string error_message(std::string_view code, std::string_view reason);

}  // namespace webgames::sdk::detail
