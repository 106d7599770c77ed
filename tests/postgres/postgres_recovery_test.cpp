// A PostgreSQL that goes away while the catalog runs: calls come back as
// Errc::unavailable values (never a throw, never a hang), and the catalog
// recovers by itself once the server is back, with the data it had.
#include "postgres/postgres_catalog.h"

#include "postgres/postgres_test.h"

#include <gtest/gtest.h>

#include <thread>

namespace webgames {
namespace {

TEST(PostgresRecoveryTest, UnavailableWhileDownThenRecoversByItself) {
  WEBGAMES_REQUIRE_POSTGRES(fixture_url);  // the binaries are there
  testing::PrivatePostgres server;
  PostgresCatalog catalog(server.url(), 2);
  Account ada{"acc_ada", "ada", Role::developer, false, "hash", TimePoint{std::chrono::seconds(1)}};
  ASSERT_TRUE(catalog.create_account(ada));
  ASSERT_TRUE(catalog.ping());  // both kinds of pooled connection exist now

  server.halt();
  auto read = catalog.account_by_id("acc_ada");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, Errc::unavailable);
  EXPECT_EQ(catalog.ping().error().code, Errc::unavailable);
  Account bob{"acc_bob", "bob", Role::player, false, "hash", TimePoint{std::chrono::seconds(2)}};
  EXPECT_EQ(catalog.create_account(bob).error().code, Errc::unavailable);
  // Several threads at once while it is down: each gets its answer, none waits forever.
  std::vector<std::thread> callers;
  std::atomic<int> unavailable = 0;
  for (int i = 0; i < 4; ++i)
    callers.emplace_back([&] { unavailable += catalog.ping().error().code == Errc::unavailable; });
  for (auto& t : callers) t.join();
  EXPECT_EQ(unavailable.load(), 4);

  server.start();
  // The first call after the restart already succeeds: connections the
  // server dropped are replaced before use.
  auto back = catalog.account_by_id("acc_ada");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->username, "ada");
  ASSERT_TRUE(catalog.create_account(bob));
  EXPECT_EQ(catalog.account_by_username("bob").value().id, "acc_bob");
}

TEST(PostgresRecoveryTest, AServerRestartBetweenCallsIsInvisible) {
  WEBGAMES_REQUIRE_POSTGRES(fixture_url);
  testing::PrivatePostgres server;
  PostgresCatalog catalog(server.url(), 3);
  Account ada{"acc_ada", "ada", Role::developer, false, "hash", TimePoint{std::chrono::seconds(1)}};
  ASSERT_TRUE(catalog.create_account(ada));
  for (int i = 0; i < 2; ++i) {
    server.halt();
    server.start();
    auto read = catalog.account_by_id("acc_ada");
    ASSERT_TRUE(read) << "restart " << i << ": " << read.error().message;
    EXPECT_EQ(read->username, "ada");
  }
}

}  // namespace
}  // namespace webgames
