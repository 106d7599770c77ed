#pragma once
// RateLimits: which limits a request counts against, from the [limits]
// settings (docs/configuration.md), and the answer when it is over one:
// rate_limited (429) with Retry-After, the field naming what was limited
// (address, username, device_id, player).
//
//   registration   per client address and per username
//   login          per client address, per username and address (one
//                  client guessing a password), and per username (a guess
//                  spread over addresses)
//   guest login    per client address and per device id
//   ticket         per player (the account creating it)
//   party join     per client address and per player (guessing codes)
//   party creation per client address and per player
//
// Every limit is `max` hits per `window`, counted by a RateLimiter (shared
// by the replicas with --live-state redis://…), except the ticket and party
// limits: those requests run where the lobby runs (the other replicas
// forward them to its owner), so their counts are kept there, in process,
// and cost no Redis round trip; a takeover of the lobby starts the counts
// again. A limit of 0 is off. When
// the limiter fails (Redis down), requests are let through and a warning is
// logged (at most every 10 s): rate limits protect, they must not take the
// API down with them.
//
// Thread safety: every method from any thread.

#include "limits/rate_limiter.h"

#include <atomic>
#include <cstdint>
#include <string_view>

namespace webgames {

struct RateLimitOptions {
  std::uint32_t window_s = 60;  // seconds; the window of every limit. REQUIRES: >= 1. Default: 60 s
  // Hits per window; 0 turns the limit off. The defaults are generous: they
  // stop floods, never a busy client (nor the tests and `webgames loadgen`).
  std::uint32_t register_per_address = 1'000;
  std::uint32_t register_per_username = 20;
  std::uint32_t login_per_address = 2'000;
  // One client's wrong passwords make its own logins to the account wait,
  // not the player's: the account's limit across addresses is higher (found
  // by an attacker's audit: 100 a minute from one address held an account's
  // own logins at 429).
  std::uint32_t login_per_username_address = 100;
  std::uint32_t login_per_username = 1'000;
  std::uint32_t guest_per_address = 100'000;
  std::uint32_t guest_per_device = 100;
  std::uint32_t tickets_per_player = 300;
  // A party's code is about 40 bits; these make guessing one hopeless.
  std::uint32_t party_joins_per_address = 6'000;
  std::uint32_t party_joins_per_player = 60;
  // Guests are free: a party made per guest would otherwise cost nothing.
  std::uint32_t party_creates_per_address = 600;
  std::uint32_t party_creates_per_player = 60;
};

class RateLimits {
 public:
  // `shared` counts the limits of requests any replica serves; `lobby` the
  // ticket limit, where the lobby runs (the same limiter in the embedded
  // default). Both must outlive this.
  RateLimits(RateLimiter& shared, RateLimiter& lobby, RateLimitOptions options);

  // Each counts one request and answers rate_limited when it is over a limit.
  boost::asio::awaitable<Result<void>> registration(std::string_view address, std::string_view username);
  boost::asio::awaitable<Result<void>> login(std::string_view address, std::string_view username);
  boost::asio::awaitable<Result<void>> guest(std::string_view address, std::string_view device_id);
  boost::asio::awaitable<Result<void>> ticket(std::string_view player);
  boost::asio::awaitable<Result<void>> party_join(std::string_view address, std::string_view player);
  boost::asio::awaitable<Result<void>> party_create(std::string_view address, std::string_view player);

  const RateLimitOptions& options() const { return options_; }

 private:
  struct Check {
    std::string key;
    std::uint32_t max;
    std::string field;    // what was limited, for the error
    std::string message;  // "too many logins from this address"
  };
  boost::asio::awaitable<Result<void>> check(RateLimiter& limiter, std::vector<Check> checks);

  RateLimiter& shared_;
  RateLimiter& lobby_;
  RateLimitOptions options_;
  std::atomic<std::int64_t> last_warning_{0};  // steady clock, ms
};

}  // namespace webgames
