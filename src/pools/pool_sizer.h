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
// What it learned (the two averages, the measured starts) goes out and
// comes back as a JSON text (learned(), restore()): the director keeps it in
// a PoolSizerStore, so that a restart or the next owner of the lobby goes on
// from it instead of from the prior.
//
// Pure: no I/O, no clock of its own (time comes in as arguments), so the
// director and `webgames simulate` run the same code. Not thread-safe.

#include "core/clock.h"
#include "domain/pool_spec.h"

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace webgames {

class PoolSizer {
 public:
  // `start_p99_prior`: the start latency assumed until one is measured.
  explicit PoolSizer(PoolSpec spec, std::chrono::milliseconds start_p99_prior = std::chrono::milliseconds{1000});

  // A match of the pool's game formed at `at` (served by a ready server or not).
  void on_match(TimePoint at);
  // A server went from start to ready in `took` (pooled or cold).
  void on_cold_start(std::chrono::milliseconds took);
  // How many pool servers not yet handed a match (starting or ready) to keep
  // at `now`. Starting ones count: a match finds no ready server exactly
  // when more matches came within one start latency than this.
  int target(TimePoint now) const;
  // The forecast behind target(), for logs, metrics and the simulator.
  double matches_per_s(TimePoint now) const;  // now, trend included
  std::chrono::milliseconds start_p99() const;

  // What it learned, as JSON text: {"short":{"rate":…,"at_ms":…},"long":…,
  // "starts_ms":[oldest … newest]}. The spec and the prior are not in it.
  std::string learned() const;
  // Takes back what learned() gave (of this sizer or another of the same
  // game), in place of what it learned so far. False, and nothing changed,
  // for a text it cannot read.
  bool restore(std::string_view learned);

  const PoolSpec& spec() const { return spec_; }
  void set_spec(PoolSpec spec) { spec_ = spec; }  // a game update

 private:
  // A match rate smoothed over `tau`: each match adds 1/tau, and the sum
  // decays by e^(-dt/tau). For a rate that grows linearly it lags by tau,
  // which is what lets two of them measure the trend.
  struct Ewma {
    double tau_s;
    double rate = 0;
    TimePoint at{};
    void add(TimePoint t);
    double at_time(TimePoint t) const;
  };

  PoolSpec spec_;
  Ewma short_{30.0};
  Ewma long_{300.0};
  std::chrono::milliseconds prior_;
  std::array<std::chrono::milliseconds, 256> starts_{};  // the last cold starts, a ring
  std::size_t started_ = 0;                              // how many were ever measured
};

}  // namespace webgames
