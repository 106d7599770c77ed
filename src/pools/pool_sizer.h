#pragma once
// PoolSizer: how many ready servers a game's warm pool should keep now.
//
// buffer: spec.buffer. predictive: from the recent rate of matches (two
// moving averages, short and long, whose difference is the trend), the
// matches expected over the time a new server needs to become ready (the
// measured p99 of cold starts, learned as they happen), and the Poisson
// quantile that keeps the probability of a match finding no ready server
// under spec.cold_start_probability. Always within [min_ready, max_ready].
// docs/pools.md gives the reasoning.
//
// Pure: no I/O, no clock of its own (time comes in as arguments), so the
// director and `webgames simulate` run the same code. Not thread-safe.

#include "core/clock.h"
#include "domain/pool_spec.h"

#include <chrono>

namespace webgames {

class PoolSizer {
 public:
  explicit PoolSizer(PoolSpec spec);

  // A match of the pool's game formed at `at` (served by a ready server or not).
  void on_match(TimePoint at);
  // A server went from start to ready in `took` (pooled or cold).
  void on_cold_start(std::chrono::milliseconds took);
  // How many ready (idle, not yet handed a match) servers to keep at `now`.
  int target_ready(TimePoint now) const;

  const PoolSpec& spec() const { return spec_; }
  void set_spec(PoolSpec spec) { spec_ = spec; }  // a game update

 private:
  PoolSpec spec_;
};

}  // namespace webgames
