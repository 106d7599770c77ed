#pragma once
// A small thread pool for calls that block (SQLite, libpq, Argon2id), so that
// they never stall an event loop. A coroutine writes
//     auto game = co_await pool.run([&] { return catalog.game_by_name(name); });
// and resumes on its own executor with the result (or the exception).

#include "loop/run_on.h"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace webgames {

class BlockingPool {
 public:
  explicit BlockingPool(unsigned threads = 4) : pool_(threads) {}
  ~BlockingPool() { pool_.join(); }

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F&>> run(F f) {
    return run_on(pool_.get_executor(), std::move(f));
  }

  // Runs f on the pool without waiting for it (f reports its own errors).
  template <class F>
  void post(F f) {
    boost::asio::post(pool_, std::move(f));
  }

  void stop() { pool_.stop(); }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace webgames
