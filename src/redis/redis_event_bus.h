#pragma once
// RedisEventBus: the EventBus of the scaled mode, shared by every replica.
//
// Storage: one Redis stream per player (redis/event_streams.h), trimmed
// with MAXLEN ~ `history` and expiring `retention` after its last event.
// A Lua script appends each event (XADD with the event id as the entry id)
// and PUBLISHes it on the channel of the same name, atomically. The lobby's
// writes append their events the same way (redis/redis_lobby_store.h), and
// a subscription delivers both.
//
// Delivery: each replica holds one subscriber connection and SUBSCRIBEs to
// the channel of every player with an open stream on it. A subscription
// catches up from the stream (XRANGE after the last id it delivered) each
// time Redis confirms the channel (first, and after every reconnect), and
// drops live messages whose id it already delivered: so a WebSocket served
// by any replica, reconnecting with `since` to any other, loses and repeats
// nothing, across a loss of Redis too.
//
// Publishing: publish() queues the event (bounded: `outbox_limit`, the
// oldest dropped with an error logged beyond it) and returns (publish_all's
// `sent` runs once Redis has the events); one
// coroutine writes the queue in order, pipelined, and retries after a loss
// of Redis. A retried event carries the token of its first try, so the
// script does not append it twice when the first try did reach Redis.
//
// Thread safety: every method from any thread. The bus runs on a strand of
// the executor it is given; the Client may be shared with other users.

#include "events/event_bus.h"
#include "redis/client.h"

#include <chrono>
#include <memory>

namespace webgames::redis {

struct EventBusOptions {
  std::string prefix = "webgames";  // the keys' and channels' prefix. Default: webgames
  std::size_t history = 64;         // events kept per player (about: MAXLEN ~). Default: 64
  std::chrono::milliseconds retention = std::chrono::minutes(2);  // a stream expires this long after its last event
  std::size_t outbox_limit = 100'000;                             // events waiting to be written. Default: 100k
  std::size_t batch = 64;                                         // events written in one pipeline. Default: 64
};

class RedisEventBus final : public EventBus {
 public:
  // `client` carries the commands; the bus opens its own subscriber
  // connection with the client's options.
  RedisEventBus(boost::asio::any_io_executor executor, std::shared_ptr<Client> client, EventBusOptions options = {});
  ~RedisEventBus() override;

  void publish(const std::string& player, std::string_view type, boost::json::object data) override;
  // `sent` runs (on the bus's strand) once Redis has taken the last of
  // `events`, and so all of them (or refused or dropped them, logged).
  void publish_all(std::vector<Published> events, std::function<void()> sent = {}) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> replay(const std::string& player,
                                                                  std::uint64_t since) override;
  std::shared_ptr<Subscription> subscribe(const std::string& player, std::uint64_t since,
                                          boost::asio::any_io_executor executor) override;
  void close_all() override;

  // Events queued and not yet acknowledged by Redis. Any thread.
  std::size_t pending() const;
  // ok while both connections (commands, subscriber) are up; unavailable
  // with the reason otherwise. Any thread; never blocks.
  Result<void> ready() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace webgames::redis
