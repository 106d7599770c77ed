// EmbeddedRateLimiter: the RateLimiter contract on a manual clock, and its
// bound on the keys it follows.
#include "limits/embedded_rate_limiter.h"

#include "limits/rate_limiter_contract.h"

namespace webgames::testing {
namespace {

using namespace std::chrono_literals;

// One limiter per test, shared by every make() (one process); its clock moves by hand.
struct EmbeddedStore {
  ManualClock clock;
  std::shared_ptr<EmbeddedRateLimiter> limiter = std::make_shared<EmbeddedRateLimiter>(clock);
};
std::shared_ptr<EmbeddedStore> store;

INSTANTIATE_TEST_SUITE_P(Embedded, RateLimiterContract,
                         ::testing::Values(RateLimiterFactory{
                             "Embedded", [] { return std::shared_ptr<RateLimiter>(store->limiter); },
                             [](std::chrono::milliseconds d) { store->clock.advance(d); }, 60s,
                             [] { store = std::make_shared<EmbeddedStore>(); }}));

TEST(EmbeddedRateLimiter, WindowsThatEndedAreForgotten) {
  ManualClock clock;
  EmbeddedRateLimiter limiter(clock);
  for (int i = 0; i < 100; ++i) limiter.hit_now({{"k" + std::to_string(i), 1, 1000ms}});
  EXPECT_EQ(limiter.keys(), 100u);
  clock.advance(1001ms);
  limiter.hit_now({{"new", 1, 1000ms}});
  EXPECT_EQ(limiter.keys(), 1u);
}

TEST(EmbeddedRateLimiter, BeyondItsBoundNewKeysPassUncounted) {
  ManualClock clock;
  EmbeddedRateLimiter limiter(clock, 3);
  for (auto k : {"a", "b", "c"}) EXPECT_TRUE(limiter.hit_now({{k, 1, 60s}}).allowed);
  EXPECT_EQ(limiter.keys(), 3u);
  // A fourth key is not followed: it always passes, and the map stays bounded.
  EXPECT_TRUE(limiter.hit_now({{"d", 1, 60s}}).allowed);
  EXPECT_TRUE(limiter.hit_now({{"d", 1, 60s}}).allowed);
  EXPECT_EQ(limiter.keys(), 3u);
  // Keys followed before are still limited.
  EXPECT_FALSE(limiter.hit_now({{"a", 1, 60s}}).allowed);
  // Once their windows end there is room again.
  clock.advance(60s);
  limiter.hit_now({{"d", 1, 60s}});
  EXPECT_FALSE(limiter.hit_now({{"d", 1, 60s}}).allowed);
}

}  // namespace
}  // namespace webgames::testing
