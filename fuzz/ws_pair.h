#pragma once
// Two WebSocket ends joined in memory (Beast's test stream), the upgrade
// done, so that a harness can put raw bytes on the wire to one end and let
// it read them as frames. Everything runs on one io_context, polled: no
// thread, no socket, no timer waited for.

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <string_view>

namespace webgames::fuzz {

namespace websocket = boost::beast::websocket;

// Runs every handler that is ready until none is.
inline void drain(boost::asio::io_context& ioc) {
  ioc.restart();
  while (ioc.poll() > 0) {
  }
}

struct WsPair {
  explicit WsPair(boost::asio::io_context& ioc) : client(ioc), server(ioc) {
    client.next_layer().connect(server.next_layer());
  }
  // The upgrade, as a browser or `webgames play` does it. False if it failed.
  bool handshake(boost::asio::io_context& ioc) {
    bool accepted = false, handshaken = false;
    server.async_accept([&](boost::beast::error_code ec) { accepted = !ec; });
    client.async_handshake("localhost", "/v1/events", [&](boost::beast::error_code ec) { handshaken = !ec; });
    drain(ioc);
    return accepted && handshaken;
  }
  // `bytes` arrive at the other end as they are, then the connection closes.
  static void send_raw_and_close(boost::beast::test::stream& from, std::string_view bytes) {
    boost::beast::error_code ec;
    boost::asio::write(from, boost::asio::buffer(bytes.data(), bytes.size()), ec);
    from.close();
  }

  websocket::stream<boost::beast::test::stream> client;
  websocket::stream<boost::beast::test::stream> server;
};

}  // namespace webgames::fuzz
