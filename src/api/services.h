#pragma once
// What the API handlers reach: the parts built by app/ and shared by every
// route. Handlers hold references; the App owns the objects.

#include "auth/access_tokens.h"
#include "auth/auth_service.h"
#include "core/clock.h"
#include "loop/blocking_pool.h"
#include "store/catalog.h"
#include "store/game_cache.h"

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
  bool developer_signup = true;
  std::function<std::string()> render_metrics;  // Prometheus text for /metrics
};

}  // namespace webgames::api
