#pragma once
// Lets blocking code drive Asio's asynchronous operations, with deadlines.
//
// Beast's synchronous calls ignore tcp_stream timeouts ("Timeouts are not
// available when performing blocking calls"), so the clients of `play` start
// asynchronous operations on context() and wait() here until they finish. A
// wait that passes its deadline leaves the operation running: the next wait
// picks it up (an events read outlives many short waits).
//
// Not thread-safe: one thread starts operations and waits.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>

namespace webgames::play {

class BlockingIo {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Wait { done, deadline, interrupted };

  // `interrupted` is asked between handlers, at least every 100 ms; when it
  // returns true every wait ends. Default: never.
  explicit BlockingIo(std::function<bool()> interrupted = {});

  boost::asio::io_context& context() { return io_; }
  bool interrupted() const { return interrupted_ && interrupted_(); }

  // Runs handlers until `done()` holds (checked first), `deadline` passes or
  // the user interrupts. With nothing to run it sleeps, so wait(never done,
  // deadline) is an interruptible sleep.
  Wait wait(const std::function<bool()>& done, Clock::time_point deadline);

  // Runs `task` to its end and returns its result. The task's I/O objects
  // must bound its duration (tcp_stream and websocket timeouts). If the user
  // interrupts first, `abort` is called (it closes the task's sockets), the
  // task is given a moment to end, and the result is operation_aborted.
  // An exception the task throws (a bug, not an I/O error) is rethrown.
  boost::system::error_code run(boost::asio::awaitable<boost::system::error_code> task,
                                const std::function<void()>& abort);

 private:
  boost::asio::io_context io_;
  std::function<bool()> interrupted_;
};

}  // namespace webgames::play
