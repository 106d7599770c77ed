#include "limits/embedded_rate_limiter.h"

#include <spdlog/spdlog.h>

#include <cassert>

namespace webgames {

EmbeddedRateLimiter::EmbeddedRateLimiter(const Clock& clock, std::size_t max_keys)
    : clock_(clock), max_keys_(max_keys) {}

boost::asio::awaitable<Result<RateVerdict>> EmbeddedRateLimiter::hit(std::vector<RateLimit> limits) {
  co_return hit_now(limits);
}

RateVerdict EmbeddedRateLimiter::hit_now(const std::vector<RateLimit>& limits) {
  assert(!limits.empty());
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  // Ended windows go at most once per second (not at every hit once the map
  // is full: a flood would pay a scan of every key per request).
  if (now >= next_sweep_) {
    drop_ended(now);
    next_sweep_ = now + std::chrono::seconds(1);
  }
  RateVerdict verdict;
  for (std::size_t i = 0; i < limits.size() && verdict.allowed; ++i) {
    const auto& limit = limits[i];
    assert(limit.max >= 1 && limit.window.count() >= 1);
    auto it = windows_.find(limit.key);
    if (it == windows_.end()) {
      if (windows_.size() >= max_keys_) {
        if (!warned_full_) spdlog::warn("rate limits: {} keys followed, new keys are not counted", windows_.size());
        warned_full_ = true;
        continue;
      }
      it = windows_.emplace(limit.key, Window{}).first;
    }
    auto& w = it->second;
    if (w.count == 0 || now >= w.ends) w = Window{now + limit.window, 0};
    if (w.count < UINT32_MAX) ++w.count;
    if (w.count > limit.max) {
      verdict.allowed = false;
      verdict.over = i;
      verdict.retry_after = std::chrono::duration_cast<std::chrono::milliseconds>(w.ends - now);
    }
  }
  return verdict;
}

void EmbeddedRateLimiter::drop_ended(TimePoint now) {
  std::erase_if(windows_, [now](const auto& entry) { return now >= entry.second.ends; });
  if (windows_.size() < max_keys_) warned_full_ = false;
}

std::size_t EmbeddedRateLimiter::keys() const {
  std::lock_guard lock(mutex_);
  return windows_.size();
}

}  // namespace webgames
