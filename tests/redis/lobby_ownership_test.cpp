// Where a replica says the lobby runs, on a real redis-server: the owner
// says "here" only while its lease is surely held, so that one stalled past
// it answers nothing for a lobby another replica may own by now.
#include "app/lobby_ownership.h"

#include "redis_test.h"

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>

#include <atomic>
#include <future>

namespace webgames::testing {
namespace {

using namespace std::chrono_literals;
using Kind = api::LobbyPlace::Kind;

TEST(LobbyOwnershipTest, AnOwnerStalledPastItsLeaseSaysNobodyRunsTheLobbyBeforeItFindsOut) {
  Loop loop;  // one thread: stalling it stalls the renewals
  BlockingPool blocking(1);
  auto client = std::make_shared<redis::Client>(loop.executor(), shared_redis());
  auto prefix = "test-" + std::to_string(::getpid()) + "-ownership";
  std::atomic<bool> taken = false, lost = false;
  LobbyOwnership owner(
      loop.executor(), client, prefix, blocking, {.ttl = 300ms}, [&](const redis::LeaseGrant&) { taken = true; },
      [&](const Error&) { lost = true; });
  owner.start("127.0.0.1:1");
  ASSERT_TRUE(eventually([&] { return owner.where().kind == Kind::here; })) << owner.where().reason;
  EXPECT_TRUE(taken);

  // A pause of the loop twice the TTL (a stalled VM, a SIGSTOP): the lease
  // passes in Redis while the renewal waits to run.
  std::promise<void> resume;
  boost::asio::post(loop.executor(), [stalled = resume.get_future()]() mutable { stalled.wait(); });
  std::this_thread::sleep_for(600ms);
  auto seen = owner.where();
  resume.set_value();
  EXPECT_EQ(seen.kind, Kind::nowhere);
  EXPECT_EQ(seen.reason, "the lobby's lease is not renewed yet");
  // Woken, its renewal is refused: the replica must stop.
  EXPECT_TRUE(eventually([&] { return lost.load(); }));
  owner.stop_and_release();
}

}  // namespace
}  // namespace webgames::testing
