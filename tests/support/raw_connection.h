#pragma once
// A blocking TCP connection to the server under test, for requests that a
// well-behaved client would never send (oversized, malformed, trickled).

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <sys/socket.h>
#include <chrono>
#include <optional>
#include <string>

namespace webgames::testing {

class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port, std::chrono::milliseconds read_timeout = std::chrono::seconds(10))
      : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval tv{static_cast<time_t>(read_timeout.count() / 1000),
               static_cast<suseconds_t>((read_timeout.count() % 1000) * 1000)};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  // Sends `bytes`; false when the server has closed the connection.
  bool send(std::string_view bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
    return !ec;
  }

  // The next response, or nullopt when the connection closed or timed out first.
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> read_response() {
    boost::beast::http::response<boost::beast::http::string_body> res;
    boost::system::error_code ec;
    boost::beast::http::read(socket_, buffer_, res, ec);
    if (ec) return std::nullopt;
    return res;
  }

  // true when the server closed the connection (EOF) within the read timeout.
  bool closed_by_server() {
    char byte;
    boost::system::error_code ec;
    socket_.read_some(boost::asio::buffer(&byte, 1), ec);
    return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace webgames::testing
