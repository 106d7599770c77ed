#pragma once
// The behaviour every EventBus owes its callers, as one value-parameterised
// suite: an implementation's test file instantiates it with a factory
// (INSTANTIATE_TEST_SUITE_P(Embedded, EventBusContract, ...)).

#include "events/event_bus.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace webgames::testing {

// What a contract test needs from an implementation. The bus may be any
// number of instances over one store (`make` called again: another replica,
// or the same process after a restart).
struct EventBusFactory {
  std::string name;
  // A bus over the test's store; each call another instance on that store.
  // Each bus keeps at least 200 events per player for at least a minute.
  std::function<std::unique_ptr<EventBus>()> make;
  // Called once per test before the first make(): a fresh store.
  std::function<void()> reset = [] {};
};

// Names the parameter in test output.
inline void PrintTo(const EventBusFactory& f, std::ostream* os) { *os << f.name; }

// Reads a subscription on the test's io_context into `events` until it ends.
class Collector {
 public:
  Collector(boost::asio::io_context& io, std::shared_ptr<Subscription> sub);
  ~Collector();
  // Runs `io` until `n` events arrived or `timeout` passed; true if they did.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Runs `io` for `d` (to show that nothing more arrives).
  void settle(std::chrono::milliseconds d);
  bool ended() const { return *ended_; }
  std::vector<std::string> texts() const { return *events_; }
  std::vector<std::uint64_t> ids() const;

 private:
  boost::asio::io_context& io_;
  std::shared_ptr<Subscription> sub_;
  std::shared_ptr<std::vector<std::string>> events_ = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<bool> ended_ = std::make_shared<bool>(false);
};

class EventBusContract : public ::testing::TestWithParam<EventBusFactory> {
 protected:
  void SetUp() override;
  // Publishes `n` events numbered from `first` (data {"n":…}) to `player`.
  void publish_n(EventBus& bus, const std::string& player, int first, int n);
  // The replay of `player` after `since`, waited for until it has `n` events.
  std::vector<std::string> replay_until(EventBus& bus, const std::string& player, std::uint64_t since, std::size_t n);

  boost::asio::io_context io;
  std::unique_ptr<EventBus> bus;
};

// The "n" in each event's data, in order.
std::vector<int> numbers(const std::vector<std::string>& texts);

}  // namespace webgames::testing
