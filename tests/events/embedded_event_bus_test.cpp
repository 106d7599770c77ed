// The EventBus contract for EmbeddedEventBus, and what only it promises:
// its history bounds, checked on a ManualClock.

#include "events/embedded_event_bus.h"

#include "events/event_bus_contract.h"
#include "sqlite/sqlite_event_log.h"
#include "support/temp_dir.h"

#include <boost/json/parse.hpp>

#include <future>

namespace webgames::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

SystemClock system_clock;

std::unique_ptr<TempDir> durable_dir;

INSTANTIATE_TEST_SUITE_P(
    Embedded, EventBusContract,
    ::testing::Values(
        EventBusFactory{"in_memory",
                        [] {
                          return std::make_unique<EmbeddedEventBus>(system_clock, EmbeddedEventBusOptions{200, 60s});
                        }},
        EventBusFactory{"durable",
                        [] {
                          return std::make_unique<EmbeddedEventBus>(
                              system_clock, EmbeddedEventBusOptions{200, 60s},
                              std::make_unique<SqliteEventLog>(durable_dir->path() / "events.db", 200));
                        },
                        [] { durable_dir = std::make_unique<TempDir>(); }}),
    [](const auto& info) { return info.param.name; });

TEST(EmbeddedEventBusTest, KeepsTheLastEventsOfAPlayerForTheRetention) {
  ManualClock clock;
  EmbeddedEventBus bus(clock, {3, 120s});
  boost::asio::io_context io;
  for (int i = 1; i <= 5; ++i) bus.publish("ada", "test.event", json::object{{"n", i}});
  {
    Collector c(io, bus.subscribe("ada", 0, io.get_executor()));
    ASSERT_TRUE(c.wait_for(3));
    c.settle(20ms);
    EXPECT_EQ(numbers(c.texts()), (std::vector<int>{3, 4, 5}));
  }
  clock.advance(121s);
  Collector c(io, bus.subscribe("ada", 0, io.get_executor()));
  c.settle(20ms);
  EXPECT_TRUE(c.texts().empty());
}

TEST(EmbeddedEventBusTest, PublishAllRunsSentOnceItsEventsAreKeptAndSent) {
  TempDir dir;
  EmbeddedEventBus bus(system_clock, {}, std::make_unique<SqliteEventLog>(dir.path() / "events.db", 200));
  std::promise<void> sent;
  std::vector<EventBus::Published> events;
  events.push_back(EventBus::Published{"ada", "session.ready", json::object{{"n", 1}}});
  events.push_back(EventBus::Published{"bob", "session.ready", json::object{{"n", 2}}});
  bus.publish_all(std::move(events), [&] { sent.set_value(); });
  ASSERT_EQ(sent.get_future().wait_for(5s), std::future_status::ready);
  // Both were kept and handed on by then: a stream opened now has them.
  boost::asio::io_context io;
  for (auto [player, n] : {std::pair{"ada", 1}, std::pair{"bob", 2}}) {
    Collector c(io, bus.subscribe(player, 0, io.get_executor()));
    ASSERT_TRUE(c.wait_for(1)) << player;
    EXPECT_EQ(numbers(c.texts()), std::vector<int>{n}) << player;
  }
}

TEST(EmbeddedEventBusTest, IdsShareOneSequenceAcrossPlayers) {
  ManualClock clock;
  EmbeddedEventBus bus(clock);
  boost::asio::io_context io;
  bus.publish("ada", "a", {});
  bus.publish("bob", "b", {});
  bus.publish("ada", "a", {});
  Collector c(io, bus.subscribe("ada", 0, io.get_executor()));
  ASSERT_TRUE(c.wait_for(2));
  EXPECT_EQ(c.ids(), (std::vector<std::uint64_t>{1, 3}));
}

// A restart on the same log: what was sent is replayed, ids go on, and the
// bounds (per player, age) hold across it.
TEST(EmbeddedEventBusTest, ALogKeepsEventsAcrossARestartWithinItsBounds) {
  TempDir dir;
  ManualClock clock;
  boost::asio::io_context io;
  auto open = [&] {
    return std::make_unique<EmbeddedEventBus>(clock, EmbeddedEventBusOptions{3, 120s},
                                              std::make_unique<SqliteEventLog>(dir.path() / "events.db", 3));
  };
  std::vector<std::string> sent;
  {
    auto bus = open();
    Collector c(io, bus->subscribe("ada", 0, io.get_executor()));
    for (int i = 1; i <= 5; ++i) bus->publish("ada", "test.event", json::object{{"n", i}});
    bus->publish("bob", "test.event", json::object{{"n", 100}});
    ASSERT_TRUE(c.wait_for(5));
    sent = c.texts();
  }
  clock.advance(60s);
  {
    auto bus = open();
    Collector c(io, bus->subscribe("ada", 0, io.get_executor()));
    ASSERT_TRUE(c.wait_for(3));
    c.settle(20ms);
    EXPECT_EQ(c.texts(), std::vector<std::string>(sent.begin() + 2, sent.end())) << "the last 3, as sent";
    bus->publish("ada", "test.event", json::object{{"n", 6}});
    ASSERT_TRUE(c.wait_for(4));
    EXPECT_GT(c.ids().back(), event_id(sent.back())) << "ids go on after a restart";
    Collector bob(io, bus->subscribe("bob", 0, io.get_executor()));
    ASSERT_TRUE(bob.wait_for(1));
  }
  clock.advance(61s);  // bob's event is now older than the retention
  auto bus = open();
  Collector bob(io, bus->subscribe("bob", 0, io.get_executor()));
  bob.settle(50ms);
  EXPECT_TRUE(bob.texts().empty());
  Collector ada(io, bus->subscribe("ada", 0, io.get_executor()));
  ASSERT_TRUE(ada.wait_for(1));
  EXPECT_EQ(numbers(ada.texts()), (std::vector<int>{6}));
}

}  // namespace
}  // namespace webgames::testing
