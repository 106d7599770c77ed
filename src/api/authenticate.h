#pragma once
// Authentication and role checks, wrapped around handlers at registration:
//     router.add(Verb::get, "/v1/games", authenticated(s, Access::developer, list_games));
// The wrapped handler runs only for a valid principal of the required role.

#include "api/services.h"
#include "http/error_response.h"
#include "http/router.h"

#include <functional>

namespace webgames::api {

enum class Access {
  account,    // any logged-in account (player or developer)
  developer,  // developer accounts and their API keys
};

using AuthenticatedHandler =
    std::function<boost::asio::awaitable<http::Response>(http::RequestContext&, const Principal&)>;

// Adapts f(Services&, RequestContext&, const Principal&) to an AuthenticatedHandler.
template <class F>
AuthenticatedHandler with_services(Services& s, F f) {
  return [&s, f](http::RequestContext& ctx, const Principal& who) { return f(s, ctx, who); };
}

// The principal as the lobby knows a player.
inline Player player_of(const Principal& who) { return Player{who.account_id, who.name}; }

http::Handler authenticated(Services& services, Access access, AuthenticatedHandler handler);

// The principal behind "Authorization: Bearer …" (an access token or a
// developer API key); unauthenticated or token_expired when there is none.
boost::asio::awaitable<Result<Principal>> authenticate(Services& services, const http::Request& request);

}  // namespace webgames::api
