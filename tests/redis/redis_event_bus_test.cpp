// RedisEventBus: the EventBus contract on a real redis-server, and what the
// scaled mode adds: several replicas on one Redis, and Redis killed and
// restarted under a live subscription.

#include "redis/redis_event_bus.h"

#include "events/event_bus_contract.h"
#include "redis/redis_test.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <boost/json/parse.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>

namespace webgames::testing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

Loop& shared_loop() {
  static Loop loop;
  return loop;
}

std::string fresh_prefix() {
  static std::atomic<int> n{0};
  return fmt::format("test{}.{}", ::getpid(), n++);
}

// Each bus of one test is a replica: its own client, the test's prefix.
std::string contract_prefix;

std::unique_ptr<EventBus> make_replica(const redis::Options& options, const std::string& prefix) {
  // The bus keeps its client alive: it is the only user.
  struct Replica : EventBus {
    Replica(std::shared_ptr<redis::Client> c, redis::EventBusOptions o)
        : client(std::move(c)), bus(shared_loop().executor(), client, std::move(o)) {}
    void publish(const std::string& p, std::string_view t, json::object d) override { bus.publish(p, t, std::move(d)); }
    asio::awaitable<Result<std::vector<std::string>>> replay(const std::string& p, std::uint64_t s) override {
      return bus.replay(p, s);
    }
    std::shared_ptr<Subscription> subscribe(const std::string& p, std::uint64_t s, asio::any_io_executor e) override {
      return bus.subscribe(p, s, std::move(e));
    }
    void close_all() override { bus.close_all(); }
    std::shared_ptr<redis::Client> client;
    redis::RedisEventBus bus;
  };
  redis::EventBusOptions o;
  o.prefix = prefix;
  o.history = 200;
  o.retention = 60s;
  return std::make_unique<Replica>(std::make_shared<redis::Client>(shared_loop().executor(), options), o);
}

INSTANTIATE_TEST_SUITE_P(Redis, EventBusContract,
                         ::testing::Values(EventBusFactory{"redis",
                                                           [] { return make_replica(shared_redis(), contract_prefix); },
                                                           [] { contract_prefix = fresh_prefix(); }}),
                         [](const auto& info) { return info.param.name; });

class RedisEventBusTest : public ::testing::Test {
 protected:
  std::string prefix = fresh_prefix();
  asio::io_context io;
};

// A player's WebSocket moves between replicas: every event published on
// any replica reaches it on whichever replica serves it, once.
TEST_F(RedisEventBusTest, EventsPublishedOnOneReplicaReachASubscriberOnAnother) {
  auto a = make_replica(shared_redis(), prefix);
  auto b = make_replica(shared_redis(), prefix);
  std::vector<std::string> seen;
  {
    Collector on_b(io, b->subscribe("ada", 0, io.get_executor()));
    on_b.settle(100ms);  // its channel is confirmed
    for (int i = 1; i <= 20; ++i) (i % 2 ? a : b)->publish("ada", "test.event", json::object{{"n", i}});
    ASSERT_TRUE(on_b.wait_for(20));
    seen = on_b.texts();
  }
  // Reconnects to replica a with the last id it saw; more events meanwhile.
  for (int i = 21; i <= 30; ++i) b->publish("ada", "test.event", json::object{{"n", i}});
  Collector on_a(io, a->subscribe("ada", event_id(seen.back()), io.get_executor()));
  ASSERT_TRUE(on_a.wait_for(10));
  for (int i = 31; i <= 35; ++i) b->publish("ada", "test.event", json::object{{"n", i}});
  ASSERT_TRUE(on_a.wait_for(15));
  on_a.settle(200ms);
  for (auto& t : on_a.texts()) seen.push_back(t);
  // Each event once, ids increasing in the order delivered; what one replica
  // published keeps its order (two replicas' publishes race each other).
  auto got = numbers(seen);
  std::vector<std::uint64_t> ids;
  for (auto& t : seen) ids.push_back(event_id(t));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()) && std::adjacent_find(ids.begin(), ids.end()) == ids.end());
  std::vector<int> odd, even;
  for (int n : got) (n % 2 && n <= 20 ? odd : even).push_back(n);
  EXPECT_TRUE(std::is_sorted(odd.begin(), odd.end()));
  EXPECT_TRUE(std::is_sorted(even.begin(), even.end()));
  std::sort(got.begin(), got.end());
  std::vector<int> want;
  for (int i = 1; i <= 35; ++i) want.push_back(i);
  EXPECT_EQ(got, want);
}

// Ids keep increasing after the stream expired (nothing kept), so a client
// holding an old id misses nothing that comes later.
TEST_F(RedisEventBusTest, IdsKeepIncreasingAfterTheStreamExpired) {
  auto options = shared_redis();
  auto client = std::make_shared<redis::Client>(shared_loop().executor(), options);
  redis::EventBusOptions o;
  o.prefix = prefix;
  o.retention = 1000ms;
  redis::RedisEventBus bus(shared_loop().executor(), client, o);
  bus.publish("ada", "test.event", json::object{{"n", 1}});
  std::vector<std::string> first;
  ASSERT_TRUE(eventually([&] {
    auto r = sync(shared_loop().executor(), bus.replay("ada", 0));
    if (r && !r->empty()) first = *r;
    return !first.empty();
  }));
  ASSERT_TRUE(eventually([&] {
    auto r = sync(shared_loop().executor(), bus.replay("ada", 0));
    return r && r->empty();
  }));
  bus.publish("ada", "test.event", json::object{{"n", 2}});
  std::vector<std::string> second;
  ASSERT_TRUE(eventually([&] {
    auto r = sync(shared_loop().executor(), bus.replay("ada", event_id(first[0])));
    if (r && !r->empty()) second = *r;
    return !second.empty();
  }));
  EXPECT_GT(event_id(second[0]), event_id(first[0]));
}

// Redis is killed with SIGKILL while a player holds a stream and events
// keep being published; once Redis is back (its append-only file replayed)
// the stream delivers every event once, in order, and the replay holds them.
TEST_F(RedisEventBusTest, ASubscriptionLosesAndRepeatsNothingAcrossARedisKillAndRestart) {
  PrivateRedis server;
  auto options = server.options();
  options.timeout = 500ms;
  options.backoff_max = 200ms;
  auto publisher = make_replica(options, prefix);
  auto reader = make_replica(options, prefix);
  Collector c(io, reader->subscribe("ada", 0, io.get_executor()));
  c.settle(100ms);
  for (int i = 1; i <= 10; ++i) publisher->publish("ada", "test.event", json::object{{"n", i}});
  ASSERT_TRUE(c.wait_for(10));

  server.kill9();
  for (int i = 11; i <= 20; ++i) publisher->publish("ada", "test.event", json::object{{"n", i}});
  c.settle(300ms);
  EXPECT_EQ(c.texts().size(), 10u) << "nothing can arrive while Redis is down";
  server.start();
  for (int i = 21; i <= 30; ++i) publisher->publish("ada", "test.event", json::object{{"n", i}});
  ASSERT_TRUE(c.wait_for(30, 15s)) << ::testing::PrintToString(numbers(c.texts()));
  c.settle(300ms);
  std::vector<int> want;
  for (int i = 1; i <= 30; ++i) want.push_back(i);
  EXPECT_EQ(numbers(c.texts()), want);

  std::vector<std::string> replay;
  eventually([&] {
    auto r = sync(shared_loop().executor(), reader->replay("ada", 0));
    if (r) replay = *r;
    return replay.size() == 30;
  });
  EXPECT_EQ(numbers(replay), want);
}

}  // namespace
}  // namespace webgames::testing
