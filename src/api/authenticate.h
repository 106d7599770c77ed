#pragma once
// Authentication and role checks, wrapped around handlers at registration:
//     router.add(Verb::get, "/v1/games", authenticated(s, Access::developer, list_games));
// The wrapped handler runs only for a valid principal of the required role.

#include "api/services.h"
#include "http/error_response.h"
#include "http/router.h"

#include <chrono>
#include <functional>

namespace webgames::api {

enum class Access {
  account,    // any logged-in account (player, developer or operator)
  developer,  // developer and operator accounts and their API keys
};

// Whether `who` reads every developer's games, sessions, logs and usage (an
// operator; docs/auth.md). Reading is all: writes stay with the owner.
inline bool sees_every_tenant(const Principal& who) { return who.role == Role::operator_; }
// Whether `who` may read what the developer `owner_id` owns: the owner, or an operator.
inline bool may_read(std::string_view owner_id, const Principal& who) {
  return owner_id == who.account_id || sees_every_tenant(who);
}

// What another developer's thing answers an operator who tries to change it:
// forbidden, naming `field` ("game", "key").
inline Error read_only_for_operators(std::string field) {
  auto text = "operators read other developers' " + field + "s but do not change them";  // before the move
  return make_error(Errc::forbidden, std::move(text), std::move(field));
}

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

// The same for a WebSocket upgrade: the Authorization header, else ?token=
// (browsers cannot set headers on a WebSocket).
boost::asio::awaitable<Result<Principal>> authenticate_upgrade(Services& services, const http::Request& request);

// When `who`'s access token expires, on the steady clock that a held
// stream's timers use (never for an API key): a stream it opened closes then.
std::chrono::steady_clock::time_point steady_expiry(const Services& services, const Principal& who);

}  // namespace webgames::api
