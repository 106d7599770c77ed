#pragma once
// Wires every part of `webgames serve` from a Config: the Catalog, auth, the
// lobby, matchmaker and director with their runtime, the API routes and the
// HTTP server on the event loops. main() and the integration tests build
// the same App.

#include "api/services.h"
#include "app/config.h"
#include "app/lobby_ownership.h"
#include "auth/access_tokens.h"
#include "auth/auth_service.h"
#include "console/change_batch.h"
#include "console/console_hub.h"
#include "console/console_sampler.h"
#include "director/director.h"
#include "director/port_allocator.h"
#include "director/runtime.h"
#include "director/session_metrics.h"
#include "events/event_bus.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_pages.h"
#include "limits/rate_limits.h"
#include "lobby/lobby.h"
#include "lobby/ticket_metrics.h"
#include "loop/blocking_pool.h"
#include "loop/event_loops.h"
#include "loop/loop_lag.h"
#include "metrics/histogram.h"
#include "ratings/rating_book.h"
#include "redis/client.h"
#include "redis/redis_game_changes.h"
#include "redis/redis_lobby_store.h"
#include "redis/redis_logouts.h"
#include "redis/redis_pool_sizer_store.h"
#include "store/catalog.h"
#include "store/game_cache.h"

#include <boost/asio/strand.hpp>

#include <cstdint>
#include <functional>
#include <memory>

namespace webgames {

class App {
 public:
  // Opens (creating) the data directory, database and signing keys. Throws
  // std::runtime_error with a readable message when it cannot.
  // `clock` must outlive the App.
  App(Config config, const Clock& clock);
  ~App();

  // Reconciles sessions left by an earlier run, starts listening and
  // serving; returns at once.
  void start();
  std::uint16_t port() const { return server_->port(); }
  const http::Router& router() const { return router_; }

  // Graceful stop (see HttpServer::shutdown); then the loops stop. Running
  // game servers are left to the next start, which adopts them. Thread-safe.
  void shutdown();
  // Blocks until the App has stopped.
  void wait();

  // Serves until SIGINT or SIGTERM, then shuts down gracefully. A second
  // signal stops at once. SIGHUP: reload_keys().
  void run_until_signal();

  // Reads the signing keys of access and join tokens again (auth/key_ring.h):
  // a rotation's steps take effect. On error (a key file unreadable) the
  // keys in use stay. BLOCKS (files): off the loops. Thread-safe.
  Result<void> reload_keys();

 private:
  // The embedded EventBus (kept in <data>/events.db), or Redis's with --live-state.
  std::unique_ptr<EventBus> make_event_bus(const std::filesystem::path& dir);
  redis::EventBusOptions redis_event_options() const;  // the bus's, and the lobby store's for its events
  // Restores the parties and tickets saved, gives the director its sessions
  // back and starts matching. BLOCKS (the catalog, the runtime): before the
  // loops run, or on the hosting strand. `sizers`: what the pools' sizers
  // learned (load_pool_sizers).
  void run_lobby(const LobbyRecords& records, PoolSizerRecords sizers);
  // What the pools' sizers saved, or none (logged) when it cannot be read.
  // BLOCKS: off the loops.
  PoolSizerRecords load_pool_sizers();
  // Scaled mode, on a blocking thread: this replica won the lobby's lease.
  void take_over(const redis::LeaseGrant& grant);
  // Logs the signing keys' ids in use (at the start, after each reload).
  void log_keys() const;
  // The text of /metrics.
  std::string render_metrics() const;

  Config config_;
  const Clock& clock_;
  // For /metrics; before the parts that record into them.
  SessionMetrics session_metrics_;
  TicketMetrics ticket_metrics_;
  std::unique_ptr<metrics::Histogram> postgres_queries_;   // with a PostgreSQL catalog
  std::unique_ptr<metrics::Histogram> redis_round_trips_;  // with --live-state redis://…
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<GameCache> games_;
  std::unique_ptr<AccessTokens> tokens_;
  std::unique_ptr<AuthService> auth_;
  BlockingPool blocking_;
  EventLoops loops_;
  // Declared after the loops: their timers and descriptors go first.
  boost::asio::strand<boost::asio::any_io_executor> hosting_;
  std::shared_ptr<redis::Client> redis_;            // with --live-state redis://…
  std::function<Result<void>()> live_state_ready_;  // set with --live-state
  std::unique_ptr<EventBus> events_;
  // Scaled: session changes onto the bus. Outlives the director, which feeds it.
  std::unique_ptr<console::ChangeBatch> console_changes_;
  std::unique_ptr<redis::RedisLogouts> logouts_;           // with --live-state
  std::unique_ptr<redis::RedisGameChanges> game_changes_;  // with --live-state
  std::unique_ptr<RateLimiter> shared_rate_limiter_;       // Redis's, with --live-state
  std::unique_ptr<RateLimiter> lobby_rate_limiter_;        // in process: the lobby's limits, and all without Redis
  std::unique_ptr<RateLimits> rate_limits_;
  std::unique_ptr<PortAllocator> ports_;
  std::unique_ptr<Runtime> runtime_;
  // What the pools' sizers learned; outlives the director, which saves to it.
  std::unique_ptr<PoolSizerStore> sizer_store_;
  redis::RedisPoolSizerStore* redis_sizer_store_ = nullptr;  // sizer_store_, with --live-state
  std::unique_ptr<Director> director_;
  std::unique_ptr<RatingBook> ratings_;
  std::unique_ptr<LobbyOwnership> ownership_;  // with --live-state: which replica runs the lobby
  std::unique_ptr<LobbyStore> lobby_store_;
  redis::RedisLobbyStore* redis_lobby_store_ = nullptr;  // lobby_store_, with --live-state
  std::unique_ptr<LobbyJournal> lobby_journal_;          // writes until the lobby is gone
  std::unique_ptr<Lobby> lobby_;
  std::shared_ptr<console::ConsoleHub> console_;
  std::unique_ptr<console::ConsoleSampler> console_sampler_;  // reads the lobby and the director
  LoopLag lag_;
  http::Router router_;
  http::StaticPages pages_;  // the routes of router_ hold it
  std::shared_ptr<api::PlayerStreams> player_streams_;
  std::unique_ptr<api::Services> services_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace webgames
