#include "loop/event_loops.h"

#include <spdlog/spdlog.h>

namespace webgames {

EventLoops::EventLoops(unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
}

EventLoops::~EventLoops() { stop(); }

void EventLoops::start() {
  for (auto& ctx : contexts_) {
    threads_.emplace_back([c = ctx.get()] {
      auto guard = boost::asio::make_work_guard(*c);
      for (;;) {
        try {
          c->run();
          return;
        } catch (const std::exception& e) {
          // Each task catches its own errors; reaching here is a bug, but one
          // task's bug must not take the loop's other connections with it.
          spdlog::critical("event loop: uncaught exception: {}", e.what());
        }
      }
    });
  }
}

void EventLoops::request_stop() {
  for (auto& ctx : contexts_) ctx->stop();
}

void EventLoops::stop() {
  request_stop();
  join();
}

void EventLoops::join() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

boost::asio::io_context& EventLoops::next() { return *contexts_[next_.fetch_add(1) % contexts_.size()]; }

}  // namespace webgames
