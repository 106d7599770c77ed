#pragma once
// One WebSocket end joined in memory (Beast's test stream) to a raw peer,
// the upgrade done, so that a harness can put raw bytes on the wire and let
// that end read them as frames. Everything runs on one io_context, polled:
// no thread, no socket, no timer waited for.
//
// The peer is not a second websocket::stream: it plays the server's half of
// the upgrade from fixed text (a 101 answer carrying the key's accept). The
// end under test runs its own half as with a real peer; only the peer's
// side of the upgrade, which the harness does not test, costs nothing (it
// took more than a third of each input's time).

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <string>
#include <string_view>

namespace webgames::fuzz {

namespace websocket = boost::beast::websocket;

// Runs every handler that is ready until none is.
inline void drain(boost::asio::io_context& ioc) {
  ioc.restart();
  while (ioc.poll() > 0) {
  }
}

// `bytes` arrive at the other end as they are, then the connection closes.
inline void send_raw_and_close(boost::beast::test::stream& from, std::string_view bytes) {
  boost::beast::error_code ec;
  boost::asio::write(from, boost::asio::buffer(bytes.data(), bytes.size()), ec);
  from.close();
}

struct WsEnd {
  explicit WsEnd(boost::asio::io_context& ioc) : ws(ioc), peer(ioc) { ws.next_layer().connect(peer); }

  // The client end: sends its upgrade request, as `webgames play` does, and
  // gets the server's 101 answer followed at once by `frames`; then the
  // connection closes. False if the answer was refused.
  bool handshake_then(boost::asio::io_context& ioc, std::string_view frames) {
    bool handshaken = false;
    ws.async_handshake("localhost", "/v1/events", [&](boost::beast::error_code ec) { handshaken = !ec; });
    drain(ioc);  // the request is now in the peer's input
    auto request = peer.str();
    static constexpr std::string_view field = "Sec-WebSocket-Key: ";
    auto at = request.find(field);
    if (at == std::string::npos) return false;
    at += field.size();
    auto key = std::string_view(request).substr(at, request.find("\r\n", at) - at);
    websocket::detail::sec_ws_accept_type accept;
    websocket::detail::make_sec_ws_accept(accept, key);
    std::string answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    answer.append("Sec-WebSocket-Accept: ").append(accept.data(), accept.size()).append("\r\n\r\n");
    answer.append(frames);
    send_raw_and_close(peer, answer);
    drain(ioc);
    return handshaken;
  }

  websocket::stream<boost::beast::test::stream> ws;
  boost::beast::test::stream peer;
};

}  // namespace webgames::fuzz
