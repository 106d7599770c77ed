#include "api/routes.h"

namespace webgames::api {

void add_routes(http::Router& router, Services& services) {
  add_system_routes(router, services);
  add_auth_routes(router, services);
  add_game_routes(router, services);
  add_party_routes(router, services);
  add_ticket_routes(router, services);
  add_rating_routes(router, services);
  add_session_routes(router, services);
  add_usage_routes(router, services);
  add_sdk_routes(router, services);
  add_event_routes(router, services);
  add_relay_routes(router, services);
  add_console_routes(router, services);
}

}  // namespace webgames::api
