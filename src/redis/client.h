#pragma once
// An asynchronous Redis client: hiredis for the protocol only (commands
// formatted by redisFormatCommandArgv, replies parsed by a redisReader),
// Boost.Asio for the socket. One TCP connection per Client, on a strand of
// the executor it is given; it connects at once and reconnects by itself.
//
// Calls are coroutines run from any executor; they never block a thread and
// never throw for what Redis or the network does. Commands of one Client go
// out in call order on its one connection, written together when several
// wait (pipelining), and their replies are matched in order.
//
// Errors are values (docs/errors.md):
//   unavailable    no connection (refused, reset, closed, not yet back after
//                  a loss: the message names the last cause), the call's
//                  deadline passed (its effect is then unknown: it may still
//                  run), or Redis answered LOADING, BUSY, READONLY, … (see
//                  error_of in reply.h)
//   not_found, conflict, invalid_field, internal
//                  Redis answered with an error reply (error_of in reply.h)
// Deadline: every call has one, Options::timeout unless the call gives its
// own; connecting has Options::connect_timeout.
// Connection loss: every call in flight fails with unavailable; calls made
// while a connection attempt runs wait for it (within their deadline); calls
// made between attempts (backoff from Options::backoff_min doubling to
// backoff_max) fail at once with unavailable. Nothing is retried on the
// caller's behalf: a write whose reply was lost may or may not have run.
//
// Thread safety: every method of Client may be called from any thread.
// REQUIRES: the executor a call is awaited on runs one handler at a time (a
// strand, or an io_context run by one thread), as every loop of ours does.

#include "core/error.h"
#include "metrics/histogram.h"
#include "redis/command.h"
#include "redis/reply.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace webgames::redis {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string user;                                  // AUTH user password on connect when both are set
  std::string password;                              // AUTH on connect when set
  int database = 0;                                  // SELECT on connect when not 0
  std::chrono::milliseconds timeout{2'000};          // per call. Default: 2 s
  std::chrono::milliseconds connect_timeout{2'000};  // resolve, connect, AUTH and SELECT. Default: 2 s
  std::chrono::milliseconds backoff_min{50};         // first wait before reconnecting. Default: 50 ms
  std::chrono::milliseconds backoff_max{2'000};      // longest wait between attempts. Default: 2 s
  std::size_t max_in_flight = 100'000;               // commands sent or waiting for a reply; more fail (unavailable)
  // Times every call and pipeline, from the call to its replies (or error),
  // when set; it must outlive the client. Default: none.
  metrics::Histogram* round_trips = nullptr;

  // "host:port" for messages.
  std::string address() const;
};

// redis://[[user]:password@]host[:port][/database]. invalid_field (field
// `field`) when it is not one.
Result<Options> parse_url(std::string_view url, std::string_view field = "live_state");

class Client {
 public:
  Client(boost::asio::any_io_executor executor, Options options);
  // Stops: calls in flight fail with unavailable ("client stopped").
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // One command. An error reply is an Error (see above).
  Task<Reply> call(Command command, std::optional<std::chrono::milliseconds> timeout = std::nullopt) const;
  // Several commands written together; their replies in order, each a Reply
  // or the Error of its error reply. The outer Error (unavailable) when the
  // replies did not all come.
  Task<std::vector<Result<Reply>>> pipeline(std::vector<Command> commands,
                                            std::optional<std::chrono::milliseconds> timeout = std::nullopt) const;
  // EVALSHA (see Command::script).
  Task<Reply> eval(std::shared_ptr<const Script> script, const std::vector<std::string>& keys,
                   const std::vector<std::string>& args) const {
    return call(redis::eval(std::move(script), keys, args));
  }

  // True while the connection is up. Any thread.
  bool connected() const;
  // "connected", or why not ("connection refused", …), for /readyz and logs.
  std::string status() const;
  const Options& options() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

// A connection in subscriber mode (SUBSCRIBE/UNSUBSCRIBE; messages pushed
// by Redis). It subscribes again to every channel after a reconnect; the
// messages published meanwhile are lost, so `subscribed` tells the owner
// when to catch up from a store (a stream).
//
// Thread safety: construct, subscribe and unsubscribe on `strand`; the
// handlers run on it.
class Subscriber {
 public:
  struct Handlers {
    // The connection is up (again); subscriptions are being renewed.
    std::function<void()> up;
    // Redis confirmed a subscription (again after each reconnect).
    std::function<void(const std::string& channel)> subscribed;
    std::function<void(const std::string& channel, std::string payload)> message;
    // The connection was lost (or an attempt failed); subscriptions resume
    // on the next connection.
    std::function<void(const Error&)> lost;
  };
  Subscriber(boost::asio::strand<boost::asio::any_io_executor> strand, Options options, Handlers handlers);
  ~Subscriber();
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  void subscribe(const std::string& channel);
  void unsubscribe(const std::string& channel);
  bool connected() const;  // any thread

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace webgames::redis
