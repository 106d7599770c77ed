#pragma once
// The HTTP/1.1 server: accepts connections on one address, reads each
// request under a deadline and a size limit, answers through the Router, and
// writes an access-log line and metrics for each.
//
// Shutdown is graceful: shutdown() stops accepting, closes idle connections
// at once, lets requests in flight finish, and after `shutdown_grace` stops
// the event loops regardless.

#include "core/keyed_slots.h"
#include "http/cors.h"
#include "http/forwarded.h"
#include "http/metrics.h"
#include "http/router.h"
#include "loop/event_loops.h"

#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace webgames::http {

struct ServerOptions {
  std::string address = "127.0.0.1";                 // Default: loopback only
  std::uint16_t port = 8080;                         // 0 picks a free port; see HttpServer::port()
  std::size_t body_limit = 64 * 1024;                // larger bodies get 413. Default: 64 KiB
  std::size_t header_limit = 16 * 1024;              // larger headers get 431. Default: 16 KiB
  std::chrono::milliseconds header_timeout{10'000};  // to read a request's headers, and keep-alive idle time
  std::chrono::milliseconds body_timeout{30'000};    // to read a request's body
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests get this long after shutdown()
  std::size_t max_connections = 10'000;              // further connections are closed at once
  // From one address (the socket's peer: a trusted proxy's are not
  // counted, nor those of uncounted_addresses); further ones are closed at
  // once. 0: no limit. Default: 1 000
  std::size_t max_connections_per_address = 1'000;
  TrustedProxies uncounted_addresses;     // never counted by the limit above. Default: none
  bool access_log = true;                 // one line per request on the "access" logger
  bool access_log_json = false;           // JSON lines instead of text
  std::vector<std::string> cors_origins;  // see cors.h. Default: none
  TrustedProxies trusted_proxies;         // whose X-Forwarded-For names the client. Default: none
};

class HttpServer {
 public:
  // `router` and `loops` must outlive the server; routes are fixed from here on.
  HttpServer(ServerOptions options, const Router& router, EventLoops& loops);
  ~HttpServer();

  // Binds and starts accepting on the loops (which may already run).
  // Throws std::system_error when the address cannot be bound.
  void start();
  std::uint16_t port() const { return port_; }

  // Thread-safe; idempotent. `on_stopped` runs once every connection is closed
  // or the grace period has run out.
  void shutdown(std::function<void()> on_stopped);

  std::string render_metrics() const { return tally_->metrics.render(open_connections()); }
  std::size_t open_connections() const { return tally_->open.load(); }

 private:
  using AddressSlots = KeyedSlots<boost::asio::ip::address>;
  struct Connection;
  // The counts a connection updates when it ends, shared with upgraded
  // connections, which may end after the server is gone.
  struct Tally {
    explicit Tally(std::vector<RouteLabels> routes) : metrics(std::move(routes)) {}
    HttpMetrics metrics;
    std::atomic<std::size_t> open{0};
  };
  struct Upgraded;
  boost::asio::awaitable<void> accept_loop();
  // Whether a connection from `peer` may be served; fills `slot` when its
  // address is counted (not a trusted proxy's: it carries many clients, and
  // the load balancer limits each source itself).
  bool admit(boost::asio::ip::address peer, std::optional<AddressSlots::Slot>& slot);
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> conn);
  boost::asio::awaitable<Response> dispatch(RequestContext& ctx, Router::Match& match);

  ServerOptions options_;
  const Router& router_;
  std::unique_ptr<AddressSlots> slots_;  // null: no limit per address
  CorsPolicy cors_;
  EventLoops& loops_;
  std::shared_ptr<Tally> tally_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<std::uint64_t> request_counter_{0};
  std::string request_id_prefix_;

  std::mutex connections_mutex_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
};

}  // namespace webgames::http
