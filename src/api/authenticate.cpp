#include "api/authenticate.h"

#include "auth/jwt.h"
#include "http/error_response.h"

#include <fmt/format.h>
#include <boost/beast/core/string.hpp>

#include <algorithm>

namespace webgames::api {

boost::asio::awaitable<Result<Principal>> authenticate(Services& services, const http::Request& request) {
  // Not a list: with two, which one would be the caller's? Neither is taken.
  if (request.count(http::beast_http::field::authorization) > 1)
    co_return make_error(Errc::unauthenticated, "Authorization is given twice", "authorization");
  auto header = request[http::beast_http::field::authorization];
  if (header.empty())
    co_return make_error(Errc::unauthenticated, "Authorization: Bearer <token> is required", "authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || !boost::beast::iequals(header.substr(0, kScheme.size()), kScheme))
    co_return make_error(Errc::unauthenticated, "Authorization must be \"Bearer <token>\"", "authorization");
  if (header.size() > kScheme.size() + kMaxTokenBytes)
    co_return make_error(Errc::unauthenticated,
                         fmt::format("the credential is longer than {} bytes: no token of ours is", kMaxTokenBytes),
                         "authorization");
  auto credential = header.substr(kScheme.size());
  if (credential.starts_with(AuthService::kApiKeyPrefix)) {
    std::string secret(credential);
    co_return co_await services.blocking.run([&] { return services.auth.authenticate_api_key(secret); });
  }
  bool first_sight = false;
  auto who = services.tokens.verify(credential, &first_sight);
  if (!who || !first_sight || who->login_id.empty()) co_return who;
  // First seen by this process: its login may have been logged out where
  // this process could not hear of it (before a restart, another replica).
  auto revoked = co_await services.blocking.run([&] { return services.catalog.login_revoked(who->login_id); });
  if (!revoked && revoked.error().code == Errc::not_found)
    co_return make_error(Errc::unauthenticated, "the token's login is unknown", "token");
  if (!revoked) co_return revoked.error();
  if (*revoked) {
    services.tokens.revoke_login(who->login_id, who->expires_at);
    co_return make_error(Errc::unauthenticated, "token was revoked by logout", "token");
  }
  services.tokens.remember(credential, *who);
  co_return who;
}

boost::asio::awaitable<Result<Principal>> authenticate_upgrade(Services& services, const http::Request& original) {
  // A copy of the request, rewritten, lives only in this frame, not in the
  // connection's for its whole life.
  auto request = original;
  if (request[http::beast_http::field::authorization].empty()) {
    if (auto token = http::query_param(request.target(), "token"); token && token->size() <= kMaxTokenBytes)
      request.set(http::beast_http::field::authorization, fmt::format("Bearer {}", *token));
  }
  co_return co_await authenticate(services, request);
}

std::chrono::steady_clock::time_point steady_expiry(const Services& services, const Principal& who) {
  using steady = std::chrono::steady_clock;
  if (who.expires_at == TimePoint::max()) return steady::time_point::max();
  auto left = std::chrono::duration_cast<steady::duration>(who.expires_at - services.clock.now());
  return steady::now() + std::max(steady::duration::zero(), left);
}

http::Handler authenticated(Services& services, Access access, AuthenticatedHandler handler) {
  return [&services, access,
          handler = std::move(handler)](http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
    auto who = co_await authenticate(services, ctx.request);
    if (!who) co_return http::error_response(who.error());
    ctx.account_id = who->account_id;
    if (access == Access::developer && !manages_games(who->role))
      co_return http::error_response(
          make_error(Errc::forbidden, "this route is for developer accounts", "authorization"));
    co_return co_await handler(ctx, *who);
  };
}

}  // namespace webgames::api
