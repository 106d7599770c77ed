// Readiness (/readyz): a failing probe is a 503 naming the part, the answer
// is cached for the ttl on the injected clock, and it recovers by itself.
#include "api/readiness.h"

#include "api/api_test_fixture.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>

namespace webgames::api {
namespace {

class ReadinessTest : public ::testing::Test {
 protected:
  Result<void> check() {
    boost::asio::io_context io(1);
    auto f = boost::asio::co_spawn(io, readiness.check(), boost::asio::use_future);
    io.run();
    return f.get();
  }

  ManualClock clock;
  BlockingPool blocking{1};
  std::atomic<int> probes = 0;
  std::atomic<bool> up = true;
  Readiness readiness{{{"catalog",
                        [this]() -> Result<void> {
                          ++probes;
                          if (up) return {};
                          return make_error(Errc::unavailable, "the catalog database is unreachable");
                        }}},
                      blocking,
                      clock,
                      std::chrono::seconds(1)};
};

TEST_F(ReadinessTest, DownIsUnavailableNamingThePartAndRecovers) {
  ASSERT_TRUE(check());
  up = false;
  clock.advance(std::chrono::seconds(1));
  auto down = check();
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, Errc::unavailable);
  EXPECT_EQ(down.error().field, "catalog");
  EXPECT_EQ(down.error().message, "catalog: the catalog database is unreachable");
  up = true;
  clock.advance(std::chrono::seconds(1));
  EXPECT_TRUE(check());
}

TEST_F(ReadinessTest, AnswersAreKeptForTheTtl) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(check());
  EXPECT_EQ(probes.load(), 1);
  up = false;
  clock.advance(std::chrono::milliseconds(999));
  EXPECT_TRUE(check());  // still the cached answer
  EXPECT_EQ(probes.load(), 1);
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_FALSE(check());
  EXPECT_EQ(probes.load(), 2);
}

class ReadyzApiTest : public testing::ApiTest {};

TEST_F(ReadyzApiTest, ReadyWhenTheCatalogAnswers) {
  auto r = call(boost::beast::http::verb::get, "/readyz");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.str("status"), "ready");
}

}  // namespace
}  // namespace webgames::api
