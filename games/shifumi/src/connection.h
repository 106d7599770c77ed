#pragma once
// One client's TCP connection, framed as JSON lines: one JSON object per
// line, at most kMaxLineBytes each way. Used from the one thread that runs
// its io_context; nothing here is thread-safe.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace shifumi {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static constexpr std::size_t kMaxLineBytes = 4096;
  // A client that lets this many messages pile up unread is cut off.
  static constexpr std::size_t kMaxQueuedMessages = 64;

  explicit Connection(boost::asio::ip::tcp::socket socket);

  // Starts writing what send() queues. Call once, before anything else.
  void start();

  // The next line, without its end ("\n" or "\r\n"). Empty once the
  // connection is closed, or after a line longer than kMaxLineBytes, which is
  // answered with an error before the connection is closed.
  boost::asio::awaitable<std::optional<std::string>> read_line();

  // Queues one message, written as one line; never blocks. Ignored once closing.
  void send(const boost::json::object& message);
  // Closes once every queued message is written.
  void close();
  // Closes at once, dropping what is queued.
  void close_now();
  // Returns once the connection is closed.
  boost::asio::awaitable<void> wait_closed();

 private:
  boost::asio::awaitable<void> write_queued();

  boost::asio::ip::tcp::socket socket_;
  std::string input_;
  std::deque<std::string> outbox_;
  boost::asio::steady_timer wake_writer_;  // cancelled to wake the writer
  boost::asio::steady_timer closed_;       // cancelled when the writer is done
  bool closing_ = false;
  bool peer_closed_ = false;
  bool writer_done_ = false;
};

}  // namespace shifumi
