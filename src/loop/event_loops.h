#pragma once
// The threads that run everything asynchronous: one io_context per thread
// (per core by default), so that a connection's work stays on one core
// without locks. Work is spread by handing each new connection the next loop.

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace webgames {

class EventLoops {
 public:
  // threads == 0 means one per core.
  explicit EventLoops(unsigned threads = 0);
  ~EventLoops();
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  // Runs every loop on its own thread; returns at once.
  void start();
  // Asks every loop to stop (pending handlers are abandoned); returns at
  // once, so it may be called from a loop's own thread.
  void request_stop();
  // request_stop(), then joins the threads. Not from a loop's thread.
  void stop();
  // Blocks until every loop has run out of work or was stopped.
  void join();

  boost::asio::io_context& first() { return *contexts_.front(); }
  // REQUIRES: i < size().
  boost::asio::io_context& at(std::size_t i) { return *contexts_.at(i); }
  // The next loop, round-robin. Thread-safe.
  boost::asio::io_context& next();
  std::size_t size() const { return contexts_.size(); }

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace webgames
