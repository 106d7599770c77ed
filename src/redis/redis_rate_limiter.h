#pragma once
// RedisRateLimiter: the RateLimiter of the scaled mode, one count per key in
// Redis, shared by every replica (limits/rate_limiter.h has the contract).
//
// Storage: a counter <prefix>:rate:<key> per limit, expiring when its window
// ends (PEXPIRE at its first hit). One hit() is one EVALSHA (one round trip)
// of a Lua script that INCRs every key of the request, gives a new one its
// expiry, and answers which key is over its max and that key's PTTL. The
// keys of one request are not hash-tagged: this needs one Redis, not a Redis
// Cluster.
//
// Errors: what Client::call answers (unavailable when Redis is down or
// slow: the hits may or may not have counted).
//
// Thread safety: every method from any thread; the Client may be shared.

#include "limits/rate_limiter.h"
#include "redis/client.h"

#include <memory>

namespace webgames::redis {

class RedisRateLimiter final : public RateLimiter {
 public:
  RedisRateLimiter(std::shared_ptr<Client> client, std::string prefix = "webgames");

  boost::asio::awaitable<Result<RateVerdict>> hit(std::vector<RateLimit> limits) override;

 private:
  std::shared_ptr<Client> client_;
  std::string prefix_;
  std::shared_ptr<const Script> script_;
};

}  // namespace webgames::redis
