#pragma once
// Carries the console's session changes over the EventBus in the scaled mode
// (docs/console.md): the changes of each `gather` interval go as one event on
// kConsoleStream, "sessions.changed" {"changes":[…]}, not one event each, so
// a busy director costs the bus (Redis) one write per interval instead of one
// per change. ConsoleHub::deliver takes both forms; consoles still get one
// session.changed frame per change, in order.
//
// Thread safety: add() from any thread. Changes still gathered when the
// batch is destroyed are published then.

#include "events/event_bus.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <memory>
#include <mutex>

namespace webgames::console {

inline constexpr std::string_view kChangesEvent = "sessions.changed";

class ChangeBatch {
 public:
  ChangeBatch(boost::asio::any_io_executor executor, EventBus& events, std::chrono::milliseconds gather);
  ~ChangeBatch();
  ChangeBatch(const ChangeBatch&) = delete;
  ChangeBatch& operator=(const ChangeBatch&) = delete;

  // One session.changed (console::session_change), published within `gather`.
  void add(boost::json::object change);

 private:
  struct State {
    explicit State(EventBus& e) : events(e) {}  // make_shared of an aggregate: not with clang 14
    EventBus& events;
    std::mutex mutex;
    boost::json::array changes;
    void flush();
  };
  std::shared_ptr<State> state_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds gather_;
};

}  // namespace webgames::console
