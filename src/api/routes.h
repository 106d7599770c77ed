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
void add_party_routes(http::Router& router, Services& services);
void add_ticket_routes(http::Router& router, Services& services);
void add_rating_routes(http::Router& router, Services& services);
void add_session_routes(http::Router& router, Services& services);
void add_usage_routes(http::Router& router, Services& services);
void add_sdk_routes(http::Router& router, Services& services);
void add_event_routes(http::Router& router, Services& services);
void add_relay_routes(http::Router& router, Services& services);
void add_console_routes(http::Router& router, Services& services);

}  // namespace webgames::api
