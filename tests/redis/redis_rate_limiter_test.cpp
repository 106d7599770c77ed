// RedisRateLimiter: the RateLimiter contract on the fixture's redis-server,
// each make() another client (another replica); a Redis that is down is an
// error, not a verdict; counts survive a restart of Redis (append-only file).
#include "redis/redis_rate_limiter.h"

#include "limits/rate_limiter_contract.h"
#include "redis_test.h"

#include <gtest/gtest.h>

namespace webgames::testing {
namespace {

using namespace std::chrono_literals;

// The loop every test client runs on; it outlives them all.
Loop& loop() {
  static Loop l;
  return l;
}

std::string prefix() { return "test-rate-" + std::to_string(::getpid()); }

INSTANTIATE_TEST_SUITE_P(Redis, RateLimiterContract,
                         ::testing::Values(RateLimiterFactory{
                             "Redis",
                             [] {
                               return std::make_shared<redis::RedisRateLimiter>(
                                   std::make_shared<redis::Client>(loop().executor(), shared_redis()), prefix());
                             },
                             [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }, 1000ms}));

TEST(RedisRateLimiter, ADownRedisIsAnErrorAndCountsSurviveItsRestart) {
  PrivateRedis server;
  auto options = server.options();
  options.timeout = 500ms;
  options.backoff_max = 200ms;
  redis::RedisRateLimiter limiter(std::make_shared<redis::Client>(loop().executor(), options), prefix());
  RateLimit limit{"survives", 2, 60s};
  ASSERT_TRUE(sync(loop().executor(), limiter.hit({limit}))->allowed);
  ASSERT_TRUE(sync(loop().executor(), limiter.hit({limit}))->allowed);

  server.kill9();
  auto down = sync(loop().executor(), limiter.hit({limit}));
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, Errc::unavailable);

  server.start();
  Result<RateVerdict> back = make_error(Errc::unavailable, "not yet");
  ASSERT_TRUE(eventually([&] {
    back = sync(loop().executor(), limiter.hit({limit}));
    return back.has_value();
  }));
  EXPECT_FALSE(back->allowed);  // the two hits before the kill were kept
  EXPECT_GT(back->retry_after, 50s);
}

}  // namespace
}  // namespace webgames::testing
