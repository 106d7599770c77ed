#pragma once
// The console's side of one `webgames serve` process (docs/console.md):
// it reads the console's stream of the EventBus (kConsoleStream: the
// samples of the ConsoleSampler and every session.changed, from whichever
// replica runs the lobby and the director), keeps the last hour of samples
// (SampleHistory), answers GET /v1/console/overview from them, and hands
// every open console (/v1/console/events) the events of its Scope.
//
// Cheap by design: one reader of the bus per process whatever the number of
// consoles; a console costs a filter and, per sample, one serialization per
// distinct scope. Bounded: a console that does not keep up has at most one
// sample queued (the latest: older ones are dropped), and is disconnected
// when kMaxBacklog frames wait (it reconnects and reads the overview again).
//
// Thread safety: every method may be called from any thread.

#include "console/console_sample.h"
#include "domain/session.h"
#include "events/event_bus.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::console {

// What the director's journal publishes on kConsoleStream when a session's
// record lands in a new state (type "session.changed"): id, game,
// owner_id, state, reason (when there is one) and `at`.
boost::json::object session_change(const Session& session, TimePoint at);

// One open console: the frames of its scope, {"type":"…","data":{…}},
// handed to its writer in batches. A batch costs one wake-up of the writer
// (and, written corked, about one packet) however many frames it holds.
class ConsoleFeed : public std::enable_shared_from_this<ConsoleFeed> {
 public:
  // The writer runs on `executor`; it waits `gather` after a batch's first
  // frame for more to come.
  ConsoleFeed(Scope scope, boost::asio::any_io_executor executor, std::chrono::milliseconds gather);

  // The frames queued, oldest first: waits for the first, then `gather`.
  // Empty once ended. REQUIRES: one reader, on the executor given.
  boost::asio::awaitable<std::vector<std::string>> next_batch();
  // Ends the feed: next_batch() returns what is queued, then nothing. Any thread.
  void end();
  // Ends it for a reason its writer closes the console's WebSocket with
  // (`close_code`, `reason`: the access token expired, the login logged
  // out). Any thread.
  void end_for(std::uint16_t close_code, std::string reason);
  // The close end_for() gave: code 0 when the feed ended otherwise.
  std::pair<std::uint16_t, std::string> close_reason() const;
  // The login whose token opened it ("" for an API key).
  const std::string& login_id() const { return login_id_; }
  // Queues `frame` unless `max` frames wait already (false). Any thread.
  bool push(std::string frame, std::size_t max);
  // Queues a sample, in place of the one still queued if there is one (a
  // console behind gets the latest sample; the older one counts as dropped).
  void push_sample(std::string frame);

  const Scope& scope() const { return scope_; }
  std::uint64_t dropped_samples() const { return dropped_.load(); }

 private:
  friend class ConsoleHub;
  void wake();  // REQUIRES: mutex_ held

  Scope scope_;
  std::string login_id_;
  std::chrono::milliseconds gather_;
  std::atomic<std::uint64_t> dropped_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> frames_;
  std::size_t sample_at_ = kNoSample;  // the index in frames_ of the sample queued
  static constexpr std::size_t kNoSample = ~std::size_t{0};
  bool ended_ = false;
  std::uint16_t close_code_ = 0;
  std::string close_text_;
  bool waiting_ = false;  // the writer waits for a first frame
  boost::asio::steady_timer timer_;
};

class ConsoleHub {
 public:
  static constexpr std::size_t kMaxBacklog = 256;
  // How long a console's writer gathers frames after the first of a batch.
  static constexpr std::chrono::milliseconds kGather{100};

  // Keeps `capacity` samples taken every `interval_s` seconds.
  // `events` must outlive the hub.
  ConsoleHub(EventBus& events, std::size_t capacity, int interval_s, std::chrono::milliseconds gather = kGather);
  ~ConsoleHub();
  ConsoleHub(const ConsoleHub&) = delete;
  ConsoleHub& operator=(const ConsoleHub&) = delete;

  // Starts reading the console's stream of the bus, on `executor`, for
  // events published by other processes (the scaled mode); it ends when
  // the bus closes its streams (EventBus::close_all). Without it, events
  // come only through deliver().
  void start(boost::asio::any_io_executor executor);

  // A feed for a console of `scope`, opened by `login_id`'s token, woken on
  // `executor`, the latest sample already in it; forgotten when the last
  // reference goes.
  std::shared_ptr<ConsoleFeed> open(Scope scope, boost::asio::any_io_executor executor, std::string login_id = {});
  std::size_t open_feeds() const;
  // Ends the feeds `login_id` opened, `close_code` (logged out). Any thread.
  void revoked(std::string_view login_id, std::uint16_t close_code, const std::string& reason);

  // GET /v1/console/overview in `scope`, as of `at`.
  boost::json::object overview(const Scope& scope, TimePoint at) const;

  // One event of the console's stream: an "overview.sample" is kept and
  // sent, a "session.changed" sent; others are ignored.
  void deliver(std::string_view type, const boost::json::object& data);
  // The same from its text as the bus carries it ({"id":n,"type":…,"data":…}).
  void deliver(std::string_view text);

 private:
  void fan_out_sample();                                   // REQUIRES: mutex_ held
  void fan_out_change(const boost::json::object& data);    // REQUIRES: mutex_ held
  std::vector<std::shared_ptr<ConsoleFeed>> live_feeds();  // REQUIRES: mutex_ held

  EventBus& events_;
  std::chrono::milliseconds gather_;
  mutable std::mutex mutex_;
  SampleHistory history_;
  std::vector<std::weak_ptr<ConsoleFeed>> feeds_;
  std::shared_ptr<Subscription> reading_;
};

}  // namespace webgames::console
