// RateLimits: which limits each request counts against, the rate_limited
// error (field, Retry-After), limits turned off with 0, and requests let
// through when the limiter fails.
#include "limits/rate_limits.h"

#include "limits/embedded_rate_limiter.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace webgames {
namespace {

using namespace std::chrono_literals;

Result<void> run(boost::asio::awaitable<Result<void>> task) {
  boost::asio::io_context io(1);
  auto f = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.run();
  return f.get();
}

class RateLimitsTest : public ::testing::Test {
 protected:
  RateLimitOptions small() {
    RateLimitOptions o;
    o.window_s = 60;
    o.register_per_address = 3;
    o.register_per_username = 2;
    o.login_per_address = 4;
    o.login_per_username_address = 2;
    o.login_per_username = 3;
    o.guest_per_address = 3;
    o.guest_per_device = 2;
    o.tickets_per_player = 2;
    return o;
  }
  ManualClock clock;
  EmbeddedRateLimiter limiter{clock};
};

// Found by an attacker's audit: each address of an IPv6 /64 (a home's)
// had a budget of its own.
TEST_F(RateLimitsTest, AnIPv6ClientIsCountedByItsSlash64) {
  RateLimits limits(limiter, limiter, small());  // 3 guest logins per address
  EXPECT_TRUE(run(limits.guest("2001:db8:1:2::1", "d1")));
  EXPECT_TRUE(run(limits.guest("2001:db8:1:2::2", "d2")));
  EXPECT_TRUE(run(limits.guest("2001:db8:1:2:ffff::9", "d3")));
  auto over = run(limits.guest("2001:db8:1:2:abcd::1", "d4"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().field, "address");
  EXPECT_TRUE(run(limits.guest("2001:db8:1:3::1", "d5"))) << "another /64 has its own";
  EXPECT_TRUE(run(limits.guest("10.0.0.9", "d6")));
  EXPECT_TRUE(run(limits.guest("::ffff:10.0.0.10", "d7"))) << "an IPv4 client on a dual-stack socket";
}

TEST_F(RateLimitsTest, LoginsPerAddressPerUsernameFromItAndPerUsername) {
  RateLimits limits(limiter, limiter, small());
  EXPECT_TRUE(run(limits.login("10.0.0.1", "ada")));
  clock.advance(15'500ms);
  EXPECT_TRUE(run(limits.login("10.0.0.1", "ada")));
  auto mine = run(limits.login("10.0.0.1", "ada"));
  ASSERT_FALSE(mine);
  EXPECT_EQ(mine.error().code, Errc::rate_limited);
  EXPECT_EQ(mine.error().field, "username");
  EXPECT_EQ(mine.error().retry_after, 45s);  // 44.5 s left, rounded up
  EXPECT_EQ(mine.error().message,
            "too many logins to this account from this address: at most 2 per 60 s; retry in 45 s");
  // The refused one did not count against ada from every address: 2 of 3.
  EXPECT_TRUE(run(limits.login("10.0.0.2", "ada")));
  auto all = run(limits.login("10.0.0.3", "ada"));
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().field, "username");
  EXPECT_EQ(all.error().message, "too many logins to this account: at most 3 per 60 s; retry in 45 s");
  // The first address has counted 3 of 4, whatever the account.
  EXPECT_TRUE(run(limits.login("10.0.0.1", "bob")));
  auto address = run(limits.login("10.0.0.1", "cy"));
  ASSERT_FALSE(address);
  EXPECT_EQ(address.error().field, "address");
  // A new window for all.
  clock.advance(60s);
  EXPECT_TRUE(run(limits.login("10.0.0.1", "ada")));
}

TEST_F(RateLimitsTest, EachActionHasItsOwnCount) {
  RateLimits limits(limiter, limiter, small());
  EXPECT_TRUE(run(limits.registration("10.0.0.1", "ada")));
  EXPECT_TRUE(run(limits.registration("10.0.0.1", "ada")));
  EXPECT_EQ(run(limits.registration("10.0.0.1", "ada")).error().field, "username");
  EXPECT_TRUE(run(limits.login("10.0.0.1", "ada")));  // logins are counted apart
  EXPECT_TRUE(run(limits.guest("10.0.0.1", "device-1")));
  EXPECT_TRUE(run(limits.guest("10.0.0.1", "device-1")));
  EXPECT_EQ(run(limits.guest("10.0.0.1", "device-1")).error().field, "device_id");
  EXPECT_EQ(run(limits.guest("10.0.0.1", "device-2")).error().field, "address");  // 4th from it
  EXPECT_TRUE(run(limits.ticket("acc_1")));
  EXPECT_TRUE(run(limits.ticket("acc_1")));
  auto ticket = run(limits.ticket("acc_1"));
  ASSERT_FALSE(ticket);
  EXPECT_EQ(ticket.error().field, "player");
  EXPECT_EQ(ticket.error().code, Errc::rate_limited);
  EXPECT_TRUE(run(limits.ticket("acc_2")));
}

TEST_F(RateLimitsTest, ZeroTurnsALimitOff) {
  auto o = small();
  o.login_per_username_address = 0;
  o.login_per_username = 0;
  o.tickets_per_player = 0;
  RateLimits limits(limiter, limiter, o);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(run(limits.login(std::to_string(i), "ada")));
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(run(limits.ticket("acc_1")));
  EXPECT_EQ(limiter.keys(), 4u);  // only the addresses were counted
}

TEST_F(RateLimitsTest, TheDefaultsAreGenerous) {
  RateLimits limits(limiter, limiter, RateLimitOptions{});
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(run(limits.login("127.0.0.1", "ada"))) << i;
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(run(limits.ticket("acc_1"))) << i;
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(run(limits.guest("127.0.0.1", "device-" + std::to_string(i)))) << i;
}

// A limiter whose store is down.
class DownLimiter final : public RateLimiter {
 public:
  boost::asio::awaitable<Result<RateVerdict>> hit(std::vector<RateLimit>) override {
    ++calls;
    co_return make_error(Errc::unavailable, "redis: connection refused");
  }
  int calls = 0;
};

TEST_F(RateLimitsTest, AFailingLimiterLetsRequestsThrough) {
  DownLimiter down;
  RateLimits limits(down, down, small());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(run(limits.login("10.0.0.1", "ada")));
  EXPECT_EQ(down.calls, 5);
}

// The ticket limit is counted by the lobby's limiter (in process, where the
// lobby runs), the others by the shared one (Redis when scaled).
TEST_F(RateLimitsTest, TicketsAreCountedWhereTheLobbyRuns) {
  DownLimiter shared;
  RateLimits limits(shared, limiter, small());
  EXPECT_TRUE(run(limits.ticket("acc_1")));
  EXPECT_TRUE(run(limits.ticket("acc_1")));
  EXPECT_EQ(run(limits.ticket("acc_1")).error().code, Errc::rate_limited);
  EXPECT_EQ(shared.calls, 0);
  EXPECT_TRUE(run(limits.login("10.0.0.1", "ada")));
  EXPECT_EQ(shared.calls, 1);
  EXPECT_EQ(limiter.keys(), 1u);  // the ticket's player only
}

}  // namespace
}  // namespace webgames
