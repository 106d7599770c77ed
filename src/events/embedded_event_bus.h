#pragma once
// EmbeddedEventBus: the EventBus of one process (the embedded default).
// Each player's last `history` events are kept for `retention`; ids come
// from one sequence shared by all players, so a stream that was dropped and
// starts again never reuses an id.
//
// With an EventLog, events survive a restart (a kill -9 included): a writer
// thread appends them to the log in order and only then keeps them for
// replay and sends them to subscribers, so that whatever a client was sent
// is in its replay after a restart, and ids go on from the log's last one.
// Without a log (unit tests), an event is kept and sent at once.
//
// Thread-safe; publish and subscribe never wait for I/O.

#include "core/clock.h"
#include "events/event_bus.h"
#include "events/event_log.h"

#include <boost/container/deque.hpp>

#include <chrono>
#include <condition_variable>
#include <list>
#include <thread>
#include <unordered_map>

namespace webgames {

struct EmbeddedEventBusOptions {
  std::size_t history = 64;                                  // events kept per player. Default: 64
  std::chrono::seconds retention = std::chrono::minutes(2);  // how long one is kept. Default: 2 minutes
};

class EmbeddedEventBus final : public EventBus {
 public:
  // `clock` must outlive the bus. With `log`, loads what it kept (throws
  // std::runtime_error when it cannot be read) and writes through it.
  explicit EmbeddedEventBus(const Clock& clock, EmbeddedEventBusOptions options = {},
                            std::unique_ptr<EventLog> log = nullptr);
  // Writes what is still queued, then stops the writer.
  ~EmbeddedEventBus() override;

  void publish(const std::string& player, std::string_view type, boost::json::object data) override;
  // One batch of the event log: one append, then every event sent, then `sent`.
  void publish_all(std::vector<Published> events, std::function<void()> sent = {}) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> replay(const std::string& player,
                                                                  std::uint64_t since) override;
  std::shared_ptr<Subscription> subscribe(const std::string& player, std::uint64_t since,
                                          boost::asio::any_io_executor executor) override;
  void close_all() override;

 private:
  struct Stored {
    std::uint64_t id;
    TimePoint at;
    std::string text;
  };
  struct Stream {
    // Boost's deque allocates nothing while empty (std::deque: about 0.5 KiB
    // at once), and most players' streams are empty while they wait.
    boost::container::deque<Stored> history;
    std::list<Subscription*> subscribers;
  };
  // Keeps and sends events. REQUIRES: mutex_ held.
  void commit(const std::string& player, Stored e);
  void unsubscribe(const std::string& player, Subscription* s);
  void trim(Stream& s, TimePoint now);
  void sweep(TimePoint now);  // drops streams with nobody listening and nothing kept
  void write_loop();

  const Clock& clock_;
  EmbeddedEventBusOptions options_;
  std::unique_ptr<EventLog> log_;
  std::mutex mutex_;
  bool closed_ = false;
  std::unordered_map<std::string, Stream> streams_;
  std::uint64_t publishes_ = 0;
  std::uint64_t next_id_ = 0;

  // The writer (with a log only).
  std::condition_variable queued_;
  std::vector<LoggedEvent> queue_;
  std::vector<std::function<void()>> sent_;  // of publish_all calls whose events are in queue_
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace webgames
