#pragma once
// What players are told, in order: each player has a stream of events
// ({"id":n,"type":"ticket.matched","data":{…}}) with increasing ids. The
// hub keeps the last events of each player for a while, so that a client
// that reconnects with the last id it saw gets what it missed.
//
// Thread-safe: publishers run on any thread; each subscription wakes its
// reader on the reader's own executor.

#include "core/clock.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace webgames {

class EventHub;

// One open event stream of one player (a WebSocket).
class Subscription : public std::enable_shared_from_this<Subscription> {
 public:
  Subscription(EventHub& hub, std::string player, boost::asio::any_io_executor executor);
  ~Subscription();
  // The next event as JSON text; nullopt once ended (or the hub closed).
  boost::asio::awaitable<std::optional<std::string>> next();
  // Ends the stream: next() returns nullopt. Any thread.
  void end() { close(); }

 private:
  friend class EventHub;
  void push(std::string event);  // any thread
  void close();                  // any thread

  EventHub& hub_;
  std::string player_;
  std::mutex mutex_;
  std::deque<std::string> pending_;
  bool closed_ = false;
  boost::asio::steady_timer wake_;
};

class EventHub {
 public:
  // Each player's last `history` events are kept for `retention`.
  // Defaults: 64 events, 2 minutes.
  explicit EventHub(const Clock& clock, std::size_t history = 64,
                    std::chrono::seconds retention = std::chrono::minutes(2));

  // Appends an event to the player's stream; returns its id.
  std::uint64_t publish(const std::string& player, std::string_view type, boost::json::object data);

  // Opens a stream that first replays the kept events with id > `since`.
  std::shared_ptr<Subscription> subscribe(const std::string& player, std::uint64_t since,
                                          boost::asio::any_io_executor executor);

  // Ends every stream (their next() returns nullopt); new ones end at once.
  void close_all();

 private:
  friend class Subscription;
  void unsubscribe(const std::string& player, Subscription* s);

  struct Stored {
    std::uint64_t id;
    TimePoint at;
    std::string text;
  };
  struct Stream {
    std::deque<Stored> history;
    std::list<Subscription*> subscribers;
  };
  void trim(Stream& s, TimePoint now);
  void sweep(TimePoint now);  // drops streams with nobody listening and nothing kept

  const Clock& clock_;
  std::size_t history_;
  std::chrono::seconds retention_;
  std::mutex mutex_;
  bool closed_ = false;
  std::unordered_map<std::string, Stream> streams_;
  std::uint64_t publishes_ = 0;
  std::uint64_t next_id_ = 0;
};

}  // namespace webgames
