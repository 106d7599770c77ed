// RedisLogouts: a logout on one replica refuses the login's access tokens on
// every replica sharing the Redis, one that starts later included, and one
// taken while Redis is down reaches the others once Redis is back.
#include "redis/redis_logouts.h"

#include "redis_test.h"

#include <gtest/gtest.h>

namespace webgames::testing {
namespace {

using namespace std::chrono_literals;

Account player() { return Account{"acc_p", "ada", Role::player, false, "", {}}; }

// One replica's token verifier, sharing its logouts through Redis; every
// replica signs with the same key (one keys directory).
struct Replica {
  Replica(const std::filesystem::path& keys, const redis::Options& options, const std::string& prefix)
      : tokens(*Ed25519Key::load_or_create(keys / "token-signing.pem"), clock),
        client(std::make_shared<redis::Client>(loop.executor(), options)),
        logouts(loop.executor(), client, tokens, prefix) {
    tokens.on_logout([this](const std::string& login, TimePoint until) { logouts.share(login, until); });
  }
  bool refuses(const std::string& token) { return !tokens.verify(token); }

  // The loop goes before the tokens: nothing runs on it once they are gone.
  SystemClock clock;
  AccessTokens tokens;
  Loop loop;
  std::shared_ptr<redis::Client> client;
  redis::RedisLogouts logouts;
};

class RedisLogoutsTest : public ::testing::Test {
 protected:
  TempDir keys;
  std::string prefix =
      "test-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
};

TEST_F(RedisLogoutsTest, ALogoutOnOneReplicaIsRefusedByTheOthersAndByOneStartedLater) {
  Replica a(keys.path(), shared_redis(), prefix);
  Replica b(keys.path(), shared_redis(), prefix);
  auto token = a.tokens.issue(player(), "lgn_out").token;
  auto other = a.tokens.issue(player(), "lgn_stays").token;
  ASSERT_TRUE(eventually([&] { return a.client->connected() && b.client->connected(); }));
  ASSERT_TRUE(b.tokens.verify(token)) << "the replicas do not share their signing key";

  a.tokens.revoke_login("lgn_out");
  EXPECT_TRUE(a.refuses(token));
  EXPECT_TRUE(eventually([&] { return b.refuses(token); })) << "the other replica still takes the token";
  EXPECT_TRUE(b.tokens.verify(other)) << "another login was refused too";

  Replica late(keys.path(), shared_redis(), prefix);
  EXPECT_TRUE(eventually([&] { return late.refuses(token); })) << "a replica started after the logout takes the token";
  EXPECT_TRUE(late.tokens.verify(other));
}

TEST_F(RedisLogoutsTest, ALogoutTakenWhileRedisIsDownReachesTheOthersWhenItIsBack) {
  PrivateRedis server;
  auto options = server.options();
  options.timeout = 500ms;
  options.backoff_max = 200ms;
  Replica a(keys.path(), options, prefix);
  Replica b(keys.path(), options, prefix);
  auto token = a.tokens.issue(player(), "lgn_out").token;
  ASSERT_TRUE(eventually([&] { return a.client->connected() && b.client->connected(); }));

  server.kill9();
  a.tokens.revoke_login("lgn_out");
  EXPECT_TRUE(a.refuses(token)) << "the replica that took the logout must refuse at once";
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(b.refuses(token)) << "nothing can reach the other replica while Redis is down";
  EXPECT_EQ(a.logouts.pending(), 1u);

  server.start();
  EXPECT_TRUE(eventually([&] { return b.refuses(token); }, 15s)) << "the logout never reached the other replica";
  EXPECT_TRUE(eventually([&] { return a.logouts.pending() == 0; }));
}

}  // namespace
}  // namespace webgames::testing
