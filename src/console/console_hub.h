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
// distinct scope. Bounded: a console that does not keep up has its samples
// dropped (more than kSampleBacklog frames unsent), and is disconnected when
// kMaxBacklog frames wait (it reconnects and reads the overview again).
//
// Thread safety: every method may be called from any thread.

#include "console/console_sample.h"
#include "domain/session.h"
#include "events/event_bus.h"

#include <boost/asio/any_io_executor.hpp>

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

// One open console: the frames of its scope, {"type":"…","data":{…}}.
class ConsoleFeed {
 public:
  ConsoleFeed(Scope scope, boost::asio::any_io_executor executor);
  // The next frame; nullopt once ended. REQUIRES: one reader, on the executor given.
  boost::asio::awaitable<std::optional<std::string>> next() { return frames_->next(); }
  // Ends the feed: next() returns nullopt once the queued frames are read.
  void end() { frames_->end(); }
  const Scope& scope() const { return scope_; }
  std::uint64_t dropped_samples() const { return dropped_.load(); }

 private:
  friend class ConsoleHub;
  Scope scope_;
  std::shared_ptr<Subscription> frames_;
  std::atomic<std::uint64_t> dropped_{0};
};

class ConsoleHub {
 public:
  static constexpr std::size_t kSampleBacklog = 4;
  static constexpr std::size_t kMaxBacklog = 256;

  // Keeps `capacity` samples taken every `interval_s` seconds.
  // `events` must outlive the hub.
  ConsoleHub(EventBus& events, std::size_t capacity, int interval_s);
  ~ConsoleHub();
  ConsoleHub(const ConsoleHub&) = delete;
  ConsoleHub& operator=(const ConsoleHub&) = delete;

  // Starts reading the console's stream, on `executor`; it ends when the
  // bus closes its streams (EventBus::close_all).
  void start(boost::asio::any_io_executor executor);

  // A feed for a console of `scope`, woken on `executor`, the latest sample
  // already in it; forgotten when the last reference goes.
  std::shared_ptr<ConsoleFeed> open(Scope scope, boost::asio::any_io_executor executor);
  std::size_t open_feeds() const;

  // GET /v1/console/overview in `scope`, as of `at`.
  boost::json::object overview(const Scope& scope, TimePoint at) const;

  // One event text of the console's stream ({"id":n,"type":…,"data":…}):
  // a sample is kept and sent, a session change sent. Others are ignored.
  void deliver(std::string_view text);

 private:
  void fan_out_sample();                                   // REQUIRES: mutex_ held
  void fan_out_change(const boost::json::object& data);    // REQUIRES: mutex_ held
  std::vector<std::shared_ptr<ConsoleFeed>> live_feeds();  // REQUIRES: mutex_ held

  EventBus& events_;
  mutable std::mutex mutex_;
  SampleHistory history_;
  std::vector<std::weak_ptr<ConsoleFeed>> feeds_;
  std::shared_ptr<Subscription> reading_;
};

}  // namespace webgames::console
