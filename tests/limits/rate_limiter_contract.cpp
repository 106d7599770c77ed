#include "limits/rate_limiter_contract.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <random>
#include <thread>

namespace webgames::testing {

using namespace std::chrono_literals;

Result<RateVerdict> RateLimiterContract::hit(RateLimiter& limiter, std::vector<RateLimit> limits) {
  boost::asio::io_context io(1);
  auto f = boost::asio::co_spawn(io, limiter.hit(std::move(limits)), boost::asio::use_future);
  io.run();
  return f.get();
}

std::string RateLimiterContract::key(std::string_view name) const {
  static const auto run = std::to_string(std::random_device{}());
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return run + ":" + test->name() + ":" + std::string(name);
}

TEST_P(RateLimiterContract, AllowsUpToTheMaxThenRefusesUntilTheWindowEnds) {
  auto limiter = GetParam().make();
  auto window = GetParam().window;
  RateLimit limit{key("a"), 3, window};
  for (int i = 0; i < 3; ++i) {
    auto v = hit(*limiter, {limit});
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_TRUE(v->allowed) << "hit " << i + 1;
  }
  auto over = hit(*limiter, {limit});
  ASSERT_TRUE(over);
  EXPECT_FALSE(over->allowed);
  EXPECT_EQ(over->over, 0u);
  EXPECT_GT(over->retry_after, 0ms);
  EXPECT_LE(over->retry_after, window);
  // Refused hits count too: still refused.
  EXPECT_FALSE(hit(*limiter, {limit})->allowed);
  // After the window, a new one starts with the next hit.
  GetParam().wait(over->retry_after + 50ms);
  auto again = hit(*limiter, {limit});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->allowed);
}

TEST_P(RateLimiterContract, KeysAreCountedApart) {
  auto limiter = GetParam().make();
  RateLimit a{key("a"), 1, GetParam().window}, b{key("b"), 1, GetParam().window};
  EXPECT_TRUE(hit(*limiter, {a})->allowed);
  EXPECT_TRUE(hit(*limiter, {b})->allowed);
  EXPECT_FALSE(hit(*limiter, {a})->allowed);
  EXPECT_FALSE(hit(*limiter, {b})->allowed);
}

TEST_P(RateLimiterContract, EachLimitUpToTheFirstOverCountsAndThatOneIsNamed) {
  auto limiter = GetParam().make();
  auto w = GetParam().window;
  RateLimit address{key("address"), 5, w}, user{key("user"), 2, w};
  EXPECT_TRUE(hit(*limiter, {address, user})->allowed);
  EXPECT_TRUE(hit(*limiter, {address, user})->allowed);
  auto v = hit(*limiter, {address, user});
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->allowed);
  EXPECT_EQ(v->over, 1u);  // the user's limit; the address had 3 of 5
  // The address counted all three (and counts this one): two more pass it.
  EXPECT_TRUE(hit(*limiter, {address})->allowed);
  EXPECT_TRUE(hit(*limiter, {address})->allowed);
  auto both = hit(*limiter, {address, user});
  ASSERT_TRUE(both);
  EXPECT_FALSE(both->allowed);
  EXPECT_EQ(both->over, 0u);
}

// Found by an attacker's audit: logins refused by their address's limit still
// counted (and added) the usernames they named, so one address filled the
// limiter with made-up ones, and locked real ones out.
TEST_P(RateLimiterContract, LimitsAfterTheFirstOverAreNotCounted) {
  auto limiter = GetParam().make();
  auto w = GetParam().window;
  RateLimit address{key("address"), 1, w}, ada{key("ada"), 1, w}, bob{key("bob"), 1, w};
  EXPECT_TRUE(hit(*limiter, {address, ada})->allowed);
  auto refused = hit(*limiter, {address, bob});
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->over, 0u);
  EXPECT_TRUE(hit(*limiter, {bob})->allowed) << "bob was counted by a hit his address's limit refused";
  EXPECT_FALSE(hit(*limiter, {bob})->allowed);
}

TEST_P(RateLimiterContract, InstancesOverOneStoreShareTheCount) {
  auto a = GetParam().make();
  auto b = GetParam().make();
  RateLimit limit{key("shared"), 4, GetParam().window};
  EXPECT_TRUE(hit(*a, {limit})->allowed);
  EXPECT_TRUE(hit(*b, {limit})->allowed);
  EXPECT_TRUE(hit(*a, {limit})->allowed);
  EXPECT_TRUE(hit(*b, {limit})->allowed);
  EXPECT_FALSE(hit(*a, {limit})->allowed);
  EXPECT_FALSE(hit(*b, {limit})->allowed);
}

TEST_P(RateLimiterContract, ConcurrentHitsAllowExactlyTheMax) {
  auto a = GetParam().make();
  auto b = GetParam().make();
  RateLimit limit{key("race"), 50, std::max(GetParam().window, std::chrono::milliseconds(10'000))};
  std::atomic<int> allowed = 0, failed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      auto& limiter = t % 2 == 0 ? *a : *b;
      for (int i = 0; i < 40; ++i) {
        auto v = hit(limiter, {limit});
        if (!v)
          ++failed;
        else if (v->allowed)
          ++allowed;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(allowed.load(), 50);
}

}  // namespace webgames::testing
