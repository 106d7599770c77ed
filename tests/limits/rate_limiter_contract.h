#pragma once
// The behaviour every RateLimiter owes its callers, as one value-parameterised
// suite: an implementation's test file instantiates it with a factory
// (INSTANTIATE_TEST_SUITE_P(Embedded, RateLimiterContract, ...)).

#include "limits/rate_limiter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace webgames::testing {

struct RateLimiterFactory {
  std::string name;
  // A limiter over the test's store; each call another instance on that
  // store (another replica), whose hits count with the others'.
  std::function<std::shared_ptr<RateLimiter>()> make;
  // Lets `d` pass for every limiter of the test (a manual clock, or a sleep).
  std::function<void(std::chrono::milliseconds d)> wait;
  // The shortest window the tests may use: long enough that a test's hits
  // fall in one window (real time for Redis).
  std::chrono::milliseconds window{1000};
  // Called once per test before the first make(): a fresh store.
  std::function<void()> reset = [] {};
};

inline void PrintTo(const RateLimiterFactory& f, std::ostream* os) { *os << f.name; }

class RateLimiterContract : public ::testing::TestWithParam<RateLimiterFactory> {
 protected:
  void SetUp() override { GetParam().reset(); }
  // One hit() run to its end.
  static Result<RateVerdict> hit(RateLimiter& limiter, std::vector<RateLimit> limits);
  // A key of this test alone (the store may be shared by several tests).
  std::string key(std::string_view name) const;
};

}  // namespace webgames::testing
