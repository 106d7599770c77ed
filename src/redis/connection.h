#pragma once
// The one TCP connection under a Client or a Subscriber: connects (resolve,
// connect, AUTH, SELECT within Options::connect_timeout), writes what it is
// given, parses replies with a hiredis redisReader and hands them over in
// order, and on any failure closes, waits (backoff) and connects again,
// until stopped. Internal to src/redis.
//
// Thread safety: everything on the strand it is given, handlers included.

#include "redis/client.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace webgames::redis {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  struct Handlers {
    std::function<void()> attempt;           // a connection attempt starts
    std::function<void()> up;                // connected and ready for writes
    std::function<void(Reply)> reply;        // each reply, in order
    std::function<void(const Error&)> down;  // an attempt failed or the connection was lost
  };
  Connection(boost::asio::strand<boost::asio::any_io_executor> strand, Options options, Handlers handlers);

  void start();  // starts connecting
  void stop();   // closes for good; no handler runs after it
  // Queues bytes for the current connection. REQUIRES: up().
  void write(std::string bytes);
  bool up() const { return up_; }

 private:
  using Stream = boost::beast::tcp_stream;
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<Result<void>> open(Stream& stream);
  boost::asio::awaitable<void> read_loop(std::shared_ptr<Stream> stream);
  boost::asio::awaitable<void> write_loop(std::shared_ptr<Stream> stream, std::uint64_t generation);
  void lose(std::uint64_t generation, Error error);
  Error network_error(std::string_view what, const boost::system::error_code& ec) const;

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Options options_;
  Handlers handlers_;
  boost::asio::steady_timer backoff_;
  boost::asio::steady_timer wake_;  // the writer waits on it for bytes
  std::shared_ptr<Stream> stream_;
  std::string out_;
  std::uint64_t generation_ = 0;
  bool up_ = false;
  bool stopped_ = false;
};

}  // namespace webgames::redis
