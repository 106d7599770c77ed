#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and
// "{name}" parameters: "/v1/games/{game}". A path that matches a pattern
// under another method is a 405 with an Allow header, not a 404.
// Routes are added before the server starts; matching is then thread-safe.

#include "http/message.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::http {

// A handler is a function from request to response; it may suspend (to
// reach the blocking pool or another service) but owns no socket.
using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

// A WebSocket route gets the connection once the request is read and before
// the handshake: it may refuse with an HTTP answer (written to
// ws->next_layer()) or accept and then own the connection: until it
// returns, or, for a route that keeps no coroutine, for as long as it holds
// `ws` (the server counts the connection open until `ws` goes).
// Over the bare socket (the WebSocket keeps its own timeouts, and a
// tcp_stream's three timers would be held by every idle socket), without
// permessage-deflate (never offered by the server).
using WebSocket = boost::beast::websocket::stream<boost::asio::ip::tcp::socket, false>;
using WebSocketHandler = std::function<boost::asio::awaitable<void>(RequestContext&, std::shared_ptr<WebSocket>)>;

struct Route {
  Verb method;
  std::string pattern;
  Handler handler;             // set for plain routes
  WebSocketHandler websocket;  // set for WebSocket routes (method GET)
  std::size_t index = 0;       // position in routes(), for per-route metrics
};

class Router {
 public:
  // REQUIRES: pattern starts with '/', and (method, pattern) is new.
  void add(Verb method, std::string pattern, Handler handler);
  void add_websocket(std::string pattern, WebSocketHandler handler);

  struct Match {
    const Route* route = nullptr;  // null: no route matched
    PathParams params;
    std::string allow;  // when route is null but the path exists: "GET, PUT"
  };
  Match match(Verb method, std::string_view target) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{x}" marks a parameter
  };
  static std::optional<PathParams> match_path(const Compiled& c, std::string_view path);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace webgames::http
