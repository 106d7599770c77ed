#include "pools/pool_sizer.h"

#include <algorithm>
#include <cmath>

namespace webgames {
namespace {

double seconds_between(TimePoint from, TimePoint to) { return std::chrono::duration<double>(to - from).count(); }

// The smallest k with P(N >= k) <= p for N ~ Poisson(mean): with k servers
// in the pipeline, a match waits for a cold start only when k or more
// matches came within one start latency. Bounded by `cap`.
int poisson_tail_quantile(double mean, double p, int cap) {
  if (mean <= 0) return 0;
  double pmf = std::exp(-mean);  // P(N = 0)
  double below = 0;              // P(N < k)
  for (int k = 0; k < cap; ++k) {
    if (1.0 - below <= p) return k;
    below += pmf;
    pmf *= mean / (k + 1);
  }
  return cap;
}

}  // namespace

void PoolSizer::Ewma::add(TimePoint t) {
  rate = at_time(t) + 1.0 / tau_s;
  at = t;
}

double PoolSizer::Ewma::at_time(TimePoint t) const {
  if (rate == 0 || t <= at) return rate;
  return rate * std::exp(-seconds_between(at, t) / tau_s);
}

PoolSizer::PoolSizer(PoolSpec spec, std::chrono::milliseconds start_p99_prior) : spec_(spec), prior_(start_p99_prior) {}

void PoolSizer::on_match(TimePoint at) {
  short_.add(at);
  long_.add(at);
}

void PoolSizer::on_cold_start(std::chrono::milliseconds took) {
  starts_[started_ % starts_.size()] = took;
  ++started_;
}

std::chrono::milliseconds PoolSizer::start_p99() const {
  const std::size_t n = std::min(started_, starts_.size());
  if (n == 0) return prior_;
  std::array<std::chrono::milliseconds, 256> sorted = starts_;
  const auto end = sorted.begin() + static_cast<std::ptrdiff_t>(n);
  const auto rank = sorted.begin() + static_cast<std::ptrdiff_t>(std::ceil(0.99 * static_cast<double>(n)) - 1);
  std::nth_element(sorted.begin(), rank, end);
  return *rank;
}

double PoolSizer::matches_per_s(TimePoint now) const {
  const double fast = short_.at_time(now);
  const double slow = long_.at_time(now);
  // For a rate a + b·t each average lags by its tau, so their difference
  // is b·(tau_long - tau_short), and the rate now is the fast one plus b·tau_short.
  const double trend = (fast - slow) / (long_.tau_s - short_.tau_s);
  const double lead_s = std::chrono::duration<double>(start_p99()).count();
  // Over the next start latency: the rate now, and ahead when it grows
  // (when it falls, the rate now: servers already started will serve).
  const double current = fast + trend * short_.tau_s;
  return std::max({0.0, current, current + trend * lead_s});
}

int PoolSizer::target(TimePoint now) const {
  int wanted = 0;
  switch (spec_.policy) {
    case PoolPolicy::off:
      return 0;
    case PoolPolicy::buffer:
      wanted = spec_.buffer;
      break;
    case PoolPolicy::predictive: {
      // Fewer than one match expected over an idle timeout: a server kept
      // ready would idle longer than the pool allows anyway; keep none.
      if (long_.at_time(now) * spec_.idle_timeout_s < 1.0 && short_.at_time(now) * spec_.idle_timeout_s < 1.0) {
        wanted = 0;
        break;
      }
      const double lead_s = std::chrono::duration<double>(start_p99()).count();
      wanted = poisson_tail_quantile(matches_per_s(now) * lead_s, spec_.cold_start_probability, spec_.max_ready);
      break;
    }
  }
  return std::clamp(wanted, spec_.min_ready, std::max(spec_.min_ready, spec_.max_ready));
}

}  // namespace webgames
