#pragma once
// RateLimiter: counts hits per key in a fixed window and says whether a key
// went over its limit. The window of a key starts at its first hit and lasts
// `window`; the next hit after it starts a new one (so a key at rest costs
// nothing). A hit counts even when it is refused.
//
// Two implementations: EmbeddedRateLimiter (in this process) and
// redis::RedisRateLimiter (one Redis, shared by every replica: the limit
// holds for the cluster, not per replica). RateLimits (rate_limits.h) decides
// which keys a request counts against.
//
// Thread safety: every method may be called from any thread.

#include "core/error.h"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace webgames {

// At most `max` hits on `key` per `window`.
struct RateLimit {
  std::string key;                   // unique across scopes: "login:address:10.0.0.7"
  std::uint32_t max = 0;             // REQUIRES: >= 1
  std::chrono::milliseconds window;  // REQUIRES: >= 1 ms
};

struct RateVerdict {
  bool allowed = true;
  std::size_t over = 0;                      // when refused: the index of the first limit over its max
  std::chrono::milliseconds retry_after{0};  // when refused: until that limit's window ends
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;

  // Counts one hit on the key of each limit in `limits`, in order and in one
  // step, up to the first that goes over its max: the limits after it are
  // not counted (a request refused by its address's limit neither counts
  // against, nor adds, the username it names: found by an attacker's audit,
  // a flood of made-up usernames filled the keys). Errors:
  // unavailable when the shared store does not answer (the hits may or may
  // not have counted).
  // REQUIRES: limits is not empty.
  virtual boost::asio::awaitable<Result<RateVerdict>> hit(std::vector<RateLimit> limits) = 0;
};

}  // namespace webgames
