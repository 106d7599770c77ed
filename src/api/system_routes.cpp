// Liveness and metrics: /healthz, /metrics. Neither needs credentials.

#include "api/routes.h"

#include <boost/json/object.hpp>

namespace webgames::api {

void add_system_routes(http::Router& router, Services& s) {
  router.add(http::Verb::get, "/healthz", [](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
    co_return http::json_response(http::Status::ok, boost::json::object{{"status", "ok"}});
  });
  router.add(http::Verb::get, "/metrics", [&s](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
    http::Response res{http::Status::ok, 11};
    res.set(http::beast_http::field::content_type, "text/plain; version=0.0.4");
    res.body() = s.render_metrics();
    co_return res;
  });
}

}  // namespace webgames::api
