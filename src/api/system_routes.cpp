// Liveness, readiness and metrics: /healthz, /readyz, /metrics. None needs
// credentials.

#include "api/readiness.h"
#include "api/routes.h"
#include "http/error_response.h"

#include <boost/json/object.hpp>

namespace webgames::api {

void add_system_routes(http::Router& router, Services& s) {
  router.add(http::Verb::get, "/healthz", [](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
    co_return http::json_response(http::Status::ok, boost::json::object{{"status", "ok"}});
  });
  std::vector<ReadinessCheck> checks{{"catalog", [&catalog = s.catalog] { return catalog.ping(); }}};
  if (s.live_state_ready) checks.push_back({"live_state", s.live_state_ready});
  // Scaled mode: ready once some replica (this one or another) runs the lobby.
  if (s.lobby_place)
    checks.push_back({"lobby", [&s]() -> Result<void> {
                        auto place = s.lobby_place();
                        if (place.kind == LobbyPlace::Kind::nowhere) return make_error(Errc::unavailable, place.reason);
                        return {};
                      }});
  auto readiness = std::make_shared<Readiness>(std::move(checks), s.blocking, s.clock);
  router.add(http::Verb::get, "/readyz", [readiness](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
    auto ready = co_await readiness->check();
    if (!ready) co_return http::error_response(ready.error());
    co_return http::json_response(http::Status::ok, boost::json::object{{"status", "ready"}});
  });
  router.add(http::Verb::get, "/metrics", [&s](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
    http::Response res{http::Status::ok, 11};
    res.set(http::beast_http::field::content_type, "text/plain; version=0.0.4");
    res.body() = s.render_metrics();
    co_return res;
  });
}

}  // namespace webgames::api
