#pragma once
// A blocking TCP connection to the server under test, for requests that a
// well-behaved client would never send (oversized, malformed, trickled).
// Each answer is checked against docs/api/openapi.yaml, as the request line
// sent for it names the route (see openapi_contract.h).

#include "support/openapi_contract.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <utility>

namespace webgames::testing {

class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port, std::chrono::milliseconds read_timeout = std::chrono::seconds(10))
      : socket_(io_), timeout_(read_timeout) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  // Sends `bytes`; false when the server has closed the connection.
  bool send(std::string_view bytes) {
    // A request line ("METHOD TARGET HTTP/1.1"): the answer will be checked for that route.
    auto line = bytes.substr(0, bytes.find("\r\n"));
    if (line.size() != bytes.size() && line.ends_with(" HTTP/1.1")) {
      auto method = line.substr(0, line.find(' '));
      auto target = line.substr(method.size() + 1, line.size() - method.size() - 1 - 9);
      requests_.emplace_back(method, target);
    } else if (line.size() != bytes.size() && requests_.empty()) {
      requests_.emplace_back("?", "?");  // not HTTP: the answer comes from the HTTP layer
    }
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
    return !ec;
  }

  // The next response, or nullopt when the connection closed or the read timed out first.
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> read_response() {
    boost::beast::http::response<boost::beast::http::string_body> res;
    auto ec = run_with_deadline([&](auto handler) { boost::beast::http::async_read(socket_, buffer_, res, handler); });
    if (ec) return std::nullopt;
    auto [method, target] = requests_.empty() ? std::pair<std::string, std::string>("?", "?") : requests_.front();
    if (!requests_.empty()) requests_.pop_front();
    expect_documented(method, target,
                      {res.result_int(), std::string(res[boost::beast::http::field::content_type]),
                       std::string(res["X-Request-Id"]), res.body()});
    return res;
  }

  // The bytes up to and including `delimiter`, as they came: an interim
  // answer ("HTTP/1.1 100 Continue"), which read_response() would take for
  // the answer. Empty when they do not come within the read timeout.
  std::optional<std::string> read_raw_until(const std::string& delimiter) {
    // A byte at a time: nothing after the delimiter is taken from the
    // answers read_response() reads next.
    std::string bytes;
    while (!bytes.ends_with(delimiter)) {
      char byte;
      auto ec =
          run_with_deadline([&](auto handler) { socket_.async_read_some(boost::asio::buffer(&byte, 1), handler); });
      if (ec) return std::nullopt;
      bytes += byte;
    }
    return bytes;
  }

  // true when the server closed the connection (EOF) within the read timeout.
  bool closed_by_server() {
    char byte;
    auto ec = run_with_deadline([&](auto handler) { socket_.async_read_some(boost::asio::buffer(&byte, 1), handler); });
    return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  }

 private:
  // Starts an asynchronous read and runs it for at most the timeout, so that
  // a server that never answers fails the test instead of hanging it.
  template <class Start>
  boost::system::error_code run_with_deadline(Start start) {
    boost::system::error_code result = boost::asio::error::timed_out;
    bool done = false;
    start([&](boost::system::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    io_.restart();
    io_.run_for(timeout_);
    if (!done) {
      socket_.cancel();
      io_.restart();
      io_.run();
      return boost::asio::error::timed_out;
    }
    return result;
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::chrono::milliseconds timeout_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::pair<std::string, std::string>> requests_;  // method and target of each answer awaited
};

}  // namespace webgames::testing
