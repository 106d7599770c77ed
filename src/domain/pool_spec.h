#pragma once
// A game's warm pool: dedicated servers started before anyone needs them,
// ready and waiting, so that a match is handed one at once instead of
// waiting for a cold start (docs/pools.md). Pure data; the game spec's
// `pool` table (docs/game-spec.md).

#include <optional>
#include <string_view>

namespace webgames {

enum class PoolPolicy {
  off,         // every match cold-starts its server (the default)
  buffer,      // keep `buffer` servers ready
  predictive,  // keep what the forecast of matches needs (pools/pool_sizer.h)
};
std::string_view to_string(PoolPolicy policy);  // "off", "buffer", "predictive"
std::optional<PoolPolicy> parse_pool_policy(std::string_view text);

struct PoolSpec {
  PoolPolicy policy = PoolPolicy::off;
  int buffer = 0;  // buffer: how many ready servers to keep
  // Bounds on the ready servers whatever the policy asks (predictive may go
  // down to min_ready, zero when no one plays).
  int min_ready = 0;
  int max_ready = 16;
  // A ready server the pool no longer wants (its target went down) is
  // stopped once it has idled this long. Default: 60 s.
  int idle_timeout_s = 60;
  // predictive: the accepted probability that a match finds no ready server
  // and waits for a cold start. Default: 0.01.
  double cold_start_probability = 0.01;
};

struct PoolLimits {
  static constexpr int max_ready = 1000;
  static constexpr int max_idle_timeout_s = 86'400;
};

}  // namespace webgames
