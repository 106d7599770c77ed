#include "pools/pool_sizer.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

using std::chrono::milliseconds;

const TimePoint kStart{std::chrono::seconds{1'700'000'000}};

PoolSpec predictive(double p = 0.01) {
  PoolSpec spec;
  spec.policy = PoolPolicy::predictive;
  spec.cold_start_probability = p;
  return spec;
}

// Matches every `gap` from `from` for `count` matches; returns the time of the last.
TimePoint steady(PoolSizer& sizer, TimePoint from, milliseconds gap, int count) {
  TimePoint t = from;
  for (int i = 0; i < count; ++i) {
    t += gap;
    sizer.on_match(t);
  }
  return t;
}

void measured_starts(PoolSizer& sizer, milliseconds took, int count) {
  for (int i = 0; i < count; ++i) sizer.on_cold_start(took);
}

TEST(PoolSizerTest, OffKeepsNothingWhateverTheDemand) {
  PoolSpec spec;
  spec.min_ready = 3;  // ignored: off is today's behaviour
  PoolSizer sizer(spec);
  const TimePoint end = steady(sizer, kStart, milliseconds{100}, 1000);
  EXPECT_EQ(sizer.target(end), 0);
}

TEST(PoolSizerTest, BufferKeepsItsSizeWithinTheBounds) {
  PoolSpec spec;
  spec.policy = PoolPolicy::buffer;
  spec.buffer = 4;
  EXPECT_EQ(PoolSizer(spec).target(kStart), 4);
  spec.max_ready = 2;
  EXPECT_EQ(PoolSizer(spec).target(kStart), 2);
  spec.max_ready = 16;
  spec.min_ready = 6;
  EXPECT_EQ(PoolSizer(spec).target(kStart), 6);
}

TEST(PoolSizerTest, PredictiveKeepsNothingBeforeAnyonePlays) {
  PoolSizer sizer(predictive());
  EXPECT_EQ(sizer.target(kStart), 0);
  PoolSpec spec = predictive();
  spec.min_ready = 2;
  EXPECT_EQ(PoolSizer(spec).target(kStart), 2);
}

TEST(PoolSizerTest, PredictiveCoversOneStartLatencyOfASteadyRateAtThePoissonQuantile) {
  PoolSizer sizer(predictive(0.01));
  measured_starts(sizer, milliseconds{500}, 100);
  // 2 matches/s for ten minutes, starts of 0.5 s: one match expected per
  // start latency, and P(N >= 5) = 0.0037 <= 1% < P(N >= 4) = 0.019.
  const TimePoint end = steady(sizer, kStart, milliseconds{500}, 1200);
  EXPECT_NEAR(sizer.matches_per_s(end), 2.0, 0.1);
  EXPECT_EQ(sizer.target(end), 5);
  // A looser target keeps fewer: P(N >= 3) = 0.08 <= 10% < P(N >= 2) = 0.26.
  PoolSizer loose(predictive(0.10));
  measured_starts(loose, milliseconds{500}, 100);
  EXPECT_EQ(loose.target(steady(loose, kStart, milliseconds{500}, 1200)), 3);
}

TEST(PoolSizerTest, TheStartLatencyIsTheP99OfTheLastMeasured) {
  PoolSizer sizer(predictive(), milliseconds{1000});
  EXPECT_EQ(sizer.start_p99(), milliseconds{1000});  // the prior, until measured
  measured_starts(sizer, milliseconds{100}, 99);
  sizer.on_cold_start(milliseconds{900});
  EXPECT_EQ(sizer.start_p99(), milliseconds{100});  // one slow start in 100 is the 1%
  sizer.on_cold_start(milliseconds{900});
  EXPECT_EQ(sizer.start_p99(), milliseconds{900});
  measured_starts(sizer, milliseconds{200}, 256);  // only the last 256 count
  EXPECT_EQ(sizer.start_p99(), milliseconds{200});
}

TEST(PoolSizerTest, AGrowingRateIsForecastWithItsTrend) {
  PoolSizer sizer(predictive());
  // From 0 to 4 matches/s over 20 minutes: the 30 s average alone lags
  // by 0.1 matches/s, the trend makes up for it.
  TimePoint t = kStart;
  const double slope = 4.0 / 1200.0;  // matches/s per s
  double elapsed = 0;
  while (elapsed < 1200) {
    elapsed += 1.0 / std::max(0.05, slope * elapsed);
    t = kStart + milliseconds{static_cast<long>(elapsed * 1000)};
    sizer.on_match(t);
  }
  EXPECT_NEAR(sizer.matches_per_s(t), 4.0, 0.06);
}

TEST(PoolSizerTest, ScalesDownToMinReadyWhenNoOnePlays) {
  PoolSpec spec = predictive();
  spec.idle_timeout_s = 60;
  PoolSizer sizer(spec);
  measured_starts(sizer, milliseconds{300}, 10);
  const TimePoint end = steady(sizer, kStart, milliseconds{250}, 2400);
  EXPECT_GT(sizer.target(end), 0);
  // Half an hour without a match: under one expected per idle timeout.
  EXPECT_EQ(sizer.target(end + std::chrono::minutes{30}), 0);
}

TEST(PoolSizerTest, PredictiveStaysWithinMaxReady) {
  PoolSpec spec = predictive(0.0001);
  spec.max_ready = 3;
  PoolSizer sizer(spec);
  measured_starts(sizer, milliseconds{2000}, 10);
  EXPECT_EQ(sizer.target(steady(sizer, kStart, milliseconds{50}, 5000)), 3);
}

TEST(PoolSizerTest, WhatItLearnedRoundTripsIntoAnotherSizer) {
  PoolSizer sizer(predictive(), milliseconds{1000});
  measured_starts(sizer, milliseconds{100}, 300);  // more than the ring holds: the last 256 go
  sizer.on_cold_start(milliseconds{800});
  sizer.on_cold_start(milliseconds{900});
  sizer.on_cold_start(milliseconds{700});
  const TimePoint end = steady(sizer, kStart, milliseconds{250}, 2000);
  ASSERT_GT(sizer.target(end), 0);

  PoolSizer restarted(predictive(), milliseconds{1000});
  EXPECT_EQ(restarted.target(end), 0) << "the prior, before restore";
  ASSERT_TRUE(restarted.restore(sizer.learned()));
  EXPECT_EQ(restarted.start_p99(), sizer.start_p99());
  EXPECT_EQ(restarted.start_p99(), milliseconds{700});  // the 254th of the last 256
  EXPECT_DOUBLE_EQ(restarted.matches_per_s(end), sizer.matches_per_s(end));
  EXPECT_EQ(restarted.target(end), sizer.target(end));
  // Later, both decay alike; and both learn on from there.
  const TimePoint later = end + std::chrono::seconds{40};
  EXPECT_DOUBLE_EQ(restarted.matches_per_s(later), sizer.matches_per_s(later));
  sizer.on_cold_start(milliseconds{5});
  restarted.on_cold_start(milliseconds{5});
  EXPECT_EQ(restarted.learned(), sizer.learned());
}

TEST(PoolSizerTest, AnUnreadableStateChangesNothing) {
  PoolSizer sizer(predictive(), milliseconds{1000});
  measured_starts(sizer, milliseconds{100}, 10);
  const TimePoint end = steady(sizer, kStart, milliseconds{250}, 200);
  const auto before = sizer.learned();
  for (const char* bad :
       {"", "[]", "{\"short\":1}", R"({"short":{"rate":-1,"at_ms":0},"long":{"rate":0,"at_ms":0},"starts_ms":[]})",
        R"({"short":{"rate":1,"at_ms":0},"long":{"rate":0,"at_ms":0},"starts_ms":["x"]})"})
    EXPECT_FALSE(sizer.restore(bad)) << bad;
  EXPECT_EQ(sizer.learned(), before);
  EXPECT_GT(sizer.target(end), 0);
}

TEST(PoolSpecTest, PolicyNamesRoundTrip) {
  for (auto p : {PoolPolicy::off, PoolPolicy::buffer, PoolPolicy::predictive}) {
    EXPECT_EQ(parse_pool_policy(to_string(p)), p);
  }
  EXPECT_FALSE(parse_pool_policy("Buffer"));
  EXPECT_FALSE(parse_pool_policy(""));
}

}  // namespace
}  // namespace webgames
