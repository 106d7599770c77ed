#pragma once
// EmbeddedRateLimiter: the RateLimiter of one process (the embedded
// default). Windows live in memory: a restart forgets them.
//
// Bounded: at most `max_keys` keys are followed at once (windows that ended
// are dropped first); a new key beyond that is allowed without being
// counted, and a warning is logged, so that a flood of distinct keys costs
// memory up to the bound and no more.
//
// Thread safety: every method from any thread (one mutex).

#include "core/clock.h"
#include "limits/rate_limiter.h"

#include <mutex>
#include <string>
#include <unordered_map>

namespace webgames {

class EmbeddedRateLimiter final : public RateLimiter {
 public:
  // `clock` must outlive this. Default max_keys: 1,000,000 (about 100 MB at most).
  explicit EmbeddedRateLimiter(const Clock& clock, std::size_t max_keys = 1'000'000);

  boost::asio::awaitable<Result<RateVerdict>> hit(std::vector<RateLimit> limits) override;
  // The same, synchronously (hit() never suspends).
  RateVerdict hit_now(const std::vector<RateLimit>& limits);

  std::size_t keys() const;

 private:
  struct Window {
    TimePoint ends;
    std::uint32_t count = 0;
  };
  void drop_ended(TimePoint now);

  const Clock& clock_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  TimePoint next_sweep_{};
  bool warned_full_ = false;
};

}  // namespace webgames
