#pragma once
// Wires every part of `webgames serve` from a Config: the Catalog, auth, the
// API routes and the HTTP server on the event loops. main() and the
// integration tests build the same App.

#include "api/services.h"
#include "app/config.h"
#include "auth/access_tokens.h"
#include "auth/auth_service.h"
#include "http/router.h"
#include "http/server.h"
#include "loop/blocking_pool.h"
#include "loop/event_loops.h"
#include "store/catalog.h"
#include "store/game_cache.h"

#include <cstdint>
#include <memory>

namespace webgames {

class App {
 public:
  // Opens (creating) the data directory, database and signing key. Throws
  // std::runtime_error with a readable message when it cannot.
  // `clock` must outlive the App.
  App(Config config, const Clock& clock);
  ~App();

  // Starts listening and serving; returns at once.
  void start();
  std::uint16_t port() const { return server_->port(); }
  const http::Router& router() const { return router_; }

  // Graceful stop (see HttpServer::shutdown); then the loops stop. Thread-safe.
  void shutdown();
  // Blocks until the App has stopped.
  void wait();

  // Serves until SIGINT or SIGTERM, then shuts down gracefully. A second
  // signal stops at once.
  void run_until_signal();

 private:
  Config config_;
  const Clock& clock_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<GameCache> games_;
  std::unique_ptr<AccessTokens> tokens_;
  std::unique_ptr<AuthService> auth_;
  BlockingPool blocking_;
  EventLoops loops_;
  http::Router router_;
  std::unique_ptr<api::Services> services_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace webgames
