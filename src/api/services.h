#pragma once
// What the API handlers reach: the parts built by app/ and shared by every
// route. Handlers hold references; the App owns the objects.

#include "api/lobby_owner.h"
#include "api/player_streams.h"
#include "auth/access_tokens.h"
#include "auth/auth_service.h"
#include "console/console_hub.h"
#include "core/clock.h"
#include "director/director.h"
#include "events/event_bus.h"
#include "limits/rate_limits.h"
#include "lobby/lobby.h"
#include "loop/blocking_pool.h"
#include "ratings/rating_book.h"
#include "store/catalog.h"
#include "store/game_cache.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>

#include <filesystem>

#include <functional>
#include <string>

namespace webgames::api {

struct Services {
  Catalog& catalog;
  GameCache& games;  // in front of catalog for game reads
  AuthService& auth;
  AccessTokens& tokens;
  BlockingPool& blocking;
  const Clock& clock;
  // Hosting: the lobby and the director live on one strand.
  boost::asio::strand<boost::asio::any_io_executor> hosting;
  Lobby& lobby;
  Director& director;
  EventBus& events;
  RatingBook& ratings;                 // BLOCKS: call through `blocking` (cached_skill_of does not)
  std::filesystem::path sessions_dir;  // <data>/sessions/<id>/server.log
  bool developer_signup = true;
  std::function<std::string()> render_metrics;  // Prometheus text for /metrics
  // Whether the shared live state answers (with --live-state; empty when embedded). Any thread.
  std::function<Result<void>()> live_state_ready;
  // Tells the other replicas' game caches that the game of this name was
  // written (redis/redis_game_changes.h); empty when embedded.
  std::function<boost::asio::awaitable<void>(std::string name)> share_game_change;
  // Where the lobby and the director run (scaled mode); empty: here.
  LobbyLocator lobby_place;
  // The rate limits of registration, logins and tickets; null: none.
  RateLimits* rate_limits = nullptr;
  // The console's samples and feeds (GET /v1/console/overview, /v1/console/events).
  console::ConsoleHub* console = nullptr;
  // The players' open event streams (/v1/events), at most so many each; null: no limit.
  PlayerStreams* player_streams = nullptr;
};

}  // namespace webgames::api
