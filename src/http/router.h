#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and
// "{name}" parameters: "/v1/games/{game}". A path that matches a pattern
// under another method is a 405 with an Allow header, not a 404.
// Routes are added before the server starts; matching is then thread-safe.

#include "http/message.h"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::http {

// A handler is a function from request to response; it may suspend (to
// reach the blocking pool or another service) but owns no socket.
using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

struct Route {
  Verb method;
  std::string pattern;
  Handler handler;
  std::size_t index = 0;  // position in routes(), for per-route metrics
};

class Router {
 public:
  // REQUIRES: pattern starts with '/', and (method, pattern) is new.
  void add(Verb method, std::string pattern, Handler handler);

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
