#pragma once
// The Webgames REST API (docs/api/openapi.yaml describes every route).

#include "api/services.h"
#include "http/router.h"

namespace webgames::api {

// Adds every route of the API to `router`. `services` must outlive it.
void add_routes(http::Router& router, Services& services);

// The route groups, one file each.
void add_system_routes(http::Router& router, Services& services);
void add_auth_routes(http::Router& router, Services& services);
void add_game_routes(http::Router& router, Services& services);

}  // namespace webgames::api
