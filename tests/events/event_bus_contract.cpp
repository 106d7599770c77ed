#include "events/event_bus_contract.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>

#include <thread>

namespace webgames::testing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

template <class Pred>
bool run_until(asio::io_context& io, Pred done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.restart();
    io.run_for(5ms);
  }
  return true;
}

bool increasing(const std::vector<std::uint64_t>& ids) {
  for (std::size_t i = 1; i < ids.size(); ++i)
    if (ids[i] <= ids[i - 1]) return false;
  return true;
}

std::vector<int> range(int first, int last) {
  std::vector<int> v;
  for (int i = first; i <= last; ++i) v.push_back(i);
  return v;
}

}  // namespace

Collector::Collector(asio::io_context& io, std::shared_ptr<Subscription> sub) : io_(io), sub_(std::move(sub)) {
  asio::co_spawn(
      io_,
      [sub = sub_, events = events_, ended = ended_]() -> asio::awaitable<void> {
        while (auto e = co_await sub->next()) events->push_back(std::move(*e));
        *ended = true;
      },
      asio::detached);
}

Collector::~Collector() {
  sub_->end();
  run_until(
      io_, [this] { return *ended_; }, 5s);
}

bool Collector::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
  return run_until(
      io_, [&] { return events_->size() >= n; }, timeout);
}

void Collector::settle(std::chrono::milliseconds d) {
  run_until(
      io_, [] { return false; }, d);
}

std::vector<std::uint64_t> Collector::ids() const {
  std::vector<std::uint64_t> out;
  for (const auto& t : *events_) out.push_back(event_id(t));
  return out;
}

std::vector<int> numbers(const std::vector<std::string>& texts) {
  std::vector<int> out;
  for (const auto& t : texts) out.push_back(static_cast<int>(json::parse(t).at("data").at("n").as_int64()));
  return out;
}

void EventBusContract::SetUp() {
  GetParam().reset();
  bus = GetParam().make();
}

void EventBusContract::publish_n(EventBus& b, const std::string& player, int first, int n) {
  for (int i = first; i < first + n; ++i) b.publish(player, "test.event", json::object{{"n", i}});
}

std::vector<std::string> EventBusContract::replay_until(EventBus& b, const std::string& player, std::uint64_t since,
                                                        std::size_t n) {
  std::vector<std::string> got;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    bool done = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          auto r = co_await b.replay(player, since);
          if (r) got = std::move(*r);
          done = true;
        },
        asio::detached);
    run_until(
        io, [&] { return done; }, 10s);
    if (got.size() >= n) break;
    std::this_thread::sleep_for(10ms);
  }
  return got;
}

TEST_P(EventBusContract, ASubscriptionReplaysWhatWasKeptThenDeliversLiveEventsInOrder) {
  publish_n(*bus, "ada", 1, 5);
  Collector c(io, bus->subscribe("ada", 0, io.get_executor()));
  ASSERT_TRUE(c.wait_for(5));
  publish_n(*bus, "ada", 6, 3);
  ASSERT_TRUE(c.wait_for(8));
  c.settle(100ms);
  EXPECT_EQ(numbers(c.texts()), range(1, 8));
  EXPECT_TRUE(increasing(c.ids()));
  auto first = json::parse(c.texts()[0]).as_object();
  EXPECT_EQ(first.at("type").as_string(), "test.event");
  EXPECT_EQ(first.at("id").to_number<std::uint64_t>(), c.ids()[0]);
}

TEST_P(EventBusContract, SinceSkipsTheEventsTheClientSaw) {
  publish_n(*bus, "ada", 1, 10);
  auto all = replay_until(*bus, "ada", 0, 10);
  ASSERT_EQ(numbers(all), range(1, 10));
  Collector c(io, bus->subscribe("ada", event_id(all[3]), io.get_executor()));
  ASSERT_TRUE(c.wait_for(6));
  c.settle(100ms);
  EXPECT_EQ(numbers(c.texts()), range(5, 10));
}

TEST_P(EventBusContract, ReplayReturnsTheKeptEventsAfterSince) {
  publish_n(*bus, "ada", 1, 4);
  auto all = replay_until(*bus, "ada", 0, 4);
  ASSERT_EQ(numbers(all), range(1, 4));
  EXPECT_EQ(numbers(replay_until(*bus, "ada", event_id(all[1]), 2)), range(3, 4));
  EXPECT_TRUE(replay_until(*bus, "ada", event_id(all[3]), 0).empty());
  EXPECT_TRUE(replay_until(*bus, "nobody", 0, 0).empty());
}

TEST_P(EventBusContract, PlayersHaveTheirOwnStreams) {
  Collector a(io, bus->subscribe("ada", 0, io.get_executor()));
  Collector b(io, bus->subscribe("bob", 0, io.get_executor()));
  replay_until(*bus, "ada", 0, 0);  // both subscriptions are in place once a replay has passed them
  a.settle(50ms);
  for (int i = 1; i <= 6; ++i) bus->publish(i % 2 ? "ada" : "bob", "test.event", json::object{{"n", i}});
  ASSERT_TRUE(a.wait_for(3));
  ASSERT_TRUE(b.wait_for(3));
  a.settle(100ms);
  EXPECT_EQ(numbers(a.texts()), (std::vector<int>{1, 3, 5}));
  EXPECT_EQ(numbers(b.texts()), (std::vector<int>{2, 4, 6}));
}

// A client reads, drops its connection, reconnects with the last id it saw,
// while another thread keeps publishing: it ends with every event once.
TEST_P(EventBusContract, ReconnectingWithSinceWhilePublishingLosesAndDoublesNothing) {
  constexpr int total = 150;
  std::thread publisher([&] {
    for (int i = 1; i <= total; ++i) {
      bus->publish("ada", "test.event", json::object{{"n", i}});
      if (i % 10 == 0) std::this_thread::sleep_for(2ms);
    }
  });
  std::vector<std::string> seen;
  std::uint64_t last = 0;
  for (int round = 0; round < 4 && seen.size() < total; ++round) {
    Collector c(io, bus->subscribe("ada", last, io.get_executor()));
    c.wait_for(round < 3 ? 30 : total - seen.size(), round < 3 ? 2s : 10s);
    for (auto& t : c.texts()) seen.push_back(t);
    if (!seen.empty()) last = event_id(seen.back());
  }
  publisher.join();
  if (seen.size() < total) {
    Collector c(io, bus->subscribe("ada", last, io.get_executor()));
    c.wait_for(total - seen.size());
    for (auto& t : c.texts()) seen.push_back(t);
  }
  EXPECT_EQ(numbers(seen), range(1, total));
}

TEST_P(EventBusContract, CloseAllEndsEveryStreamAndLaterOnesAtOnce) {
  Collector c(io, bus->subscribe("ada", 0, io.get_executor()));
  bus->close_all();
  EXPECT_TRUE(run_until(
      io, [&] { return c.ended(); }, 5s));
  Collector later(io, bus->subscribe("ada", 0, io.get_executor()));
  EXPECT_TRUE(run_until(
      io, [&] { return later.ended(); }, 5s));
}

}  // namespace webgames::testing
