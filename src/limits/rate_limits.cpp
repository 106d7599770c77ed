#include "limits/rate_limits.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/ip/network_v6.hpp>

#include <string>
#include <vector>

namespace webgames {
namespace {

// What a per-address limit counts: an IPv4 address, or the /64 network of an
// IPv6 one (found by an attacker's audit: whoever holds a /64, as most
// homes do, has 2^64 addresses, each with a budget of its own).
std::string address_scope(std::string_view address) {
  boost::system::error_code ec;
  auto parsed = boost::asio::ip::make_address_v6(address, ec);
  if (ec || parsed.is_v4_mapped()) return std::string(address);
  return boost::asio::ip::network_v6(parsed, 64).canonical().to_string();
}

}  // namespace

RateLimits::RateLimits(RateLimiter& shared, RateLimiter& lobby, RateLimitOptions options)
    : shared_(shared), lobby_(lobby), options_(options) {}

boost::asio::awaitable<Result<void>> RateLimits::registration(std::string_view address, std::string_view username) {
  return check(shared_, {{fmt::format("register:address:{}", address_scope(address)), options_.register_per_address,
                          "address", "too many registrations from this address"},
                         {fmt::format("register:username:{}", username), options_.register_per_username, "username",
                          "too many registrations of this username"}});
}

boost::asio::awaitable<Result<void>> RateLimits::login(std::string_view address, std::string_view username) {
  return check(shared_, {{fmt::format("login:address:{}", address_scope(address)), options_.login_per_address,
                          "address", "too many logins from this address"},
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
