#pragma once
// EventBus: what players are told, in order. Each player has a stream of
// events ({"id":n,"type":"ticket.matched","data":{…}}) whose ids increase;
// the bus keeps each player's last events for a while, so that a client that
// reconnects with the last id it saw (`since`) is sent what it missed, then
// the live events, and neither loses nor repeats one.
//
// Two implementations: EmbeddedEventBus (in process, kept in the data dir
// across a restart) and redis::RedisEventBus (Redis Streams, shared by every
// replica). Route handlers, the lobby and the director see only this
// interface.
//
// Thread safety: every method may be called from any thread. A subscription
// wakes its reader on the executor it was opened with.

#include "core/error.h"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webgames {

// One open event stream of one player (a WebSocket): a queue of event texts
// that the bus fills and one reader drains. An idle subscription holds no
// timer and no queue memory (10 000 of them are held per replica): only its
// mutex, its executor and, while someone waits, that waiter.
//
// The queue is bounded: a reader that falls kMaxQueuedEvents events or
// kMaxQueuedBytes bytes behind (a client that stopped reading its socket)
// has what is queued dropped and the stream ended `too_slow`; it reconnects
// with the last id it saw and is sent the kept events after it.
class Subscription : public std::enable_shared_from_this<Subscription> {
 public:
  static constexpr std::size_t kMaxQueuedEvents = 256;
  static constexpr std::size_t kMaxQueuedBytes = 256 * 1024;

  // Why a stream ended, for the close its reader sends.
  enum class Ending {
    closed,    // by the client, the bus or the server's stop
    too_slow,  // the queue overflowed
    replaced,  // a newer stream of the same player took its place
    expired,   // the access token it was opened with expired
    revoked,   // its login was logged out
  };

  // `detach` runs once when the subscription goes (the bus forgets it).
  Subscription(boost::asio::any_io_executor executor, std::function<void(Subscription*)> detach = {});
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // The next event as JSON text; nullopt once ended (or the bus closed).
  // REQUIRES: one reader at a time, on the subscription's executor.
  boost::asio::awaitable<std::optional<std::string>> next();

  // The callback form of next(), for a reader that keeps no coroutine:
  // take() gives the next queued event, or nullopt when none is queued;
  // ended() is true once the stream ended and everything queued was taken;
  // on_ready(f) runs `f` once, posted to the subscription's executor, as
  // soon as take() has an event or the stream ended (at once if so already).
  // REQUIRES: one reader, on the subscription's executor; one on_ready
  // waiting at a time.
  std::optional<std::string> take();
  bool ended();
  void on_ready(boost::asio::any_completion_handler<void()> f);

  // Ends the stream: next() returns nullopt once what is queued is read.
  // Any thread.
  void end() { close(); }
  // Ends the stream at once, dropping what is queued, for `why`. Any thread.
  void end_now(Ending why);
  // Why the stream ended (closed while it has not). Any thread.
  Ending ending();

  // For EventBus implementations. Any thread.
  void push(std::string event);
  void close();
  bool closed();
  void set_detach(std::function<void(Subscription*)> detach) { detach_ = std::move(detach); }

 private:
  // Hands the waiter, if any, to the executor. REQUIRES: mutex_ held.
  void wake_locked();
  // REQUIRES: mutex_ held.
  void end_now_locked(Ending why);

  std::function<void(Subscription*)> detach_;
  boost::asio::any_io_executor executor_;
  std::mutex mutex_;
  // Queued events from `taken_` on; emptied (its memory released) whenever
  // the reader has taken them all.
  std::vector<std::string> pending_;
  std::size_t taken_ = 0;
  std::size_t pending_bytes_ = 0;  // of the events from `taken_` on
  bool closed_ = false;
  Ending ending_ = Ending::closed;
  boost::asio::any_completion_handler<void()> waiter_;
};

class EventBus {
 public:
  virtual ~EventBus() = default;

  // Appends an event to the player's stream. Events published to one player
  // from one thread (or strand) get increasing ids in call order. Never
  // blocks on a network and never fails: an implementation that cannot
  // store the event at once keeps it (bounded) and retries, logging what it
  // had to drop.
  virtual void publish(const std::string& player, std::string_view type, boost::json::object data) = 0;

  // One event for one player, for publish_all.
  struct Published {
    std::string player;
    std::string type;
    boost::json::object data;
  };
  // publish() of each event in order, as one step: an implementation that
  // stores events before it sends them stores these together, so that the
  // last player of a match is told as soon as the first. `sent`, when set,
  // runs once the implementation has handed the events on (on any thread;
  // it must not call the bus): work that could hold up their delivery goes
  // there, and so does what needs them stored (a session marked told).
  // EmbeddedEventBus: once they are in the event log and pushed to the
  // players' open streams; RedisEventBus: once Redis has them. Default:
  // publish() of each, then `sent` at once.
  virtual void publish_all(std::vector<Published> events, std::function<void()> sent = {});

  // The kept events of the player with id > `since`, oldest first (JSON
  // texts as a subscription delivers them). unavailable when the store does
  // not answer within its deadline.
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> replay(const std::string& player,
                                                                          std::uint64_t since) = 0;

  // Opens a stream that first delivers the kept events with id > `since`,
  // then every later one, each once. While the store is unreachable the
  // stream stays open and silent, then catches up.
  virtual std::shared_ptr<Subscription> subscribe(const std::string& player, std::uint64_t since,
                                                  boost::asio::any_io_executor executor) = 0;

  // Ends every stream (their next() returns nullopt); new ones end at once.
  virtual void close_all() = 0;
};

// The text of one event, as stored and sent.
std::string event_text(std::uint64_t id, std::string_view type, const boost::json::object& data);

// The id at the start of an event text ({"id":n,…}); 0 when it has none.
std::uint64_t event_id(std::string_view text);

}  // namespace webgames
