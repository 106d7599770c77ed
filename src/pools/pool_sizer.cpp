#include "pools/pool_sizer.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

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

namespace json = boost::json;

json::object average_json(double rate, TimePoint at) {
  return json::object{{"rate", rate}, {"at_ms", at.time_since_epoch().count()}};
}

// A number of the object at `key`, or nullopt when absent or of another kind.
std::optional<double> number_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
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

std::string PoolSizer::learned() const {
  json::array starts;
  const std::size_t n = std::min(started_, starts_.size());
  for (std::size_t i = started_ - n; i < started_; ++i) starts.push_back(starts_[i % starts_.size()].count());
  return json::serialize(json::object{{"short", average_json(short_.rate, short_.at)},
                                      {"long", average_json(long_.rate, long_.at)},
                                      {"starts_ms", std::move(starts)}});
}

bool PoolSizer::restore(std::string_view learned) {
  boost::system::error_code ec;
  auto parsed = json::parse(learned, ec);
  const auto* o = ec ? nullptr : parsed.if_object();
  if (o == nullptr) return false;
  auto average = [&](std::string_view key, Ewma& into) {
    const auto* v = o->if_contains(key);
    const auto* a = v ? v->if_object() : nullptr;
    auto rate = a ? number_at(*a, "rate") : std::nullopt;
    auto at = a ? number_at(*a, "at_ms") : std::nullopt;
    if (!rate || !at || !std::isfinite(*rate) || *rate < 0) return false;
    into.rate = *rate;
    into.at = TimePoint{std::chrono::milliseconds{static_cast<std::int64_t>(*at)}};
    return true;
  };
  const auto* listed = o->if_contains("starts_ms");
  const auto* starts = listed ? listed->if_array() : nullptr;
  if (starts == nullptr || starts->size() > starts_.size()) return false;
  std::vector<std::chrono::milliseconds> measured;
  for (const auto& v : *starts) {
    if (!v.is_number() || v.to_number<double>() < 0) return false;
    measured.emplace_back(static_cast<std::int64_t>(v.to_number<double>()));
  }
  Ewma fast = short_, slow = long_;
  if (!average("short", fast) || !average("long", slow)) return false;
  short_ = fast;
  long_ = slow;
  std::copy(measured.begin(), measured.end(), starts_.begin());
  started_ = measured.size();
  return true;
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
