#include "limits/rate_limits.h"

#include "core/address_scope.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <string>
#include <vector>

namespace webgames {

RateLimits::RateLimits(RateLimiter& shared, RateLimiter& lobby, RateLimitOptions options)
    : shared_(shared), lobby_(lobby), options_(options) {}

boost::asio::awaitable<Result<void>> RateLimits::registration(std::string_view address, std::string_view username) {
  return check(shared_, {{fmt::format("register:address:{}", address_scope(address)), options_.register_per_address,
                          "address", "too many registrations from this address"},
                         {fmt::format("register:username:{}", username), options_.register_per_username, "username",
                          "too many registrations of this username"}});
}

boost::asio::awaitable<Result<void>> RateLimits::login(std::string_view address, std::string_view username) {
  // In this order: a request one limit refuses is not counted by those after
  // it (RateLimiter::hit), so one client over its own limit for an account
  // does not use up the account's limit across addresses.
  auto scope = address_scope(address);
  return check(shared_,
               {{fmt::format("login:address:{}", scope), options_.login_per_address, "address",
                 "too many logins from this address"},
                // The scope first: it never holds a '|', a username may.
                {fmt::format("login:address-username:{}|{}", scope, username), options_.login_per_username_address,
                 "username", "too many logins to this account from this address"},
                {fmt::format("login:username:{}", username), options_.login_per_username, "username",
                 "too many logins to this account"}});
}

boost::asio::awaitable<Result<void>> RateLimits::guest(std::string_view address, std::string_view device_id) {
  return check(shared_, {{fmt::format("guest:address:{}", address_scope(address)), options_.guest_per_address,
                          "address", "too many guest logins from this address"},
                         {fmt::format("guest:device:{}", device_id), options_.guest_per_device, "device_id",
                          "too many guest logins of this device"}});
}

boost::asio::awaitable<Result<void>> RateLimits::ticket(std::string_view player) {
  return check(lobby_, {{fmt::format("ticket:player:{}", player), options_.tickets_per_player, "player",
                         "too many tickets created by this player"}});
}

boost::asio::awaitable<Result<void>> RateLimits::party_join(std::string_view address, std::string_view player) {
  return check(lobby_, {{fmt::format("party-join:address:{}", address_scope(address)), options_.party_joins_per_address,
                         "address", "too many party joins from this address"},
                        {fmt::format("party-join:player:{}", player), options_.party_joins_per_player, "player",
                         "too many party joins by this player"}});
}

boost::asio::awaitable<Result<void>> RateLimits::party_create(std::string_view address, std::string_view player) {
  return check(lobby_, {{fmt::format("party-create:address:{}", address_scope(address)),
                         options_.party_creates_per_address, "address", "too many parties created from this address"},
                        {fmt::format("party-create:player:{}", player), options_.party_creates_per_player, "player",
                         "too many parties created by this player"}});
}

boost::asio::awaitable<Result<void>> RateLimits::check(RateLimiter& limiter, std::vector<Check> checks) {
  std::erase_if(checks, [](const Check& c) { return c.max == 0; });
  if (checks.empty()) co_return Result<void>{};
  std::vector<RateLimit> limits;
  limits.reserve(checks.size());
  for (const auto& c : checks) limits.push_back({c.key, c.max, std::chrono::seconds(options_.window_s)});
  auto verdict = co_await limiter.hit(std::move(limits));
  if (!verdict) {
    auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    auto last = last_warning_.load();
    if (now - last >= 10'000 && last_warning_.compare_exchange_strong(last, now))
      spdlog::warn("rate limits not checked (requests let through): {}", verdict.error().message);
    co_return Result<void>{};
  }
  if (verdict->allowed) co_return Result<void>{};
  const auto& over = checks.at(verdict->over);
  auto retry = std::chrono::ceil<std::chrono::seconds>(verdict->retry_after);
  if (retry < std::chrono::seconds(1)) retry = std::chrono::seconds(1);
  auto error = make_error(
      Errc::rate_limited,
      fmt::format("{}: at most {} per {} s; retry in {} s", over.message, over.max, options_.window_s, retry.count()),
      over.field);
  error.retry_after = retry;
  co_return error;
}

}  // namespace webgames
