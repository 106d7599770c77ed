#pragma once
// A small thread pool for calls that block (SQLite, libpq, Argon2id), so that
// they never stall an event loop. A coroutine writes
//     auto game = co_await pool.run([&] { return catalog.game_by_name(name); });
// and resumes on its own executor with the result (or the exception).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <optional>
#include <type_traits>

namespace webgames {

class BlockingPool {
 public:
  explicit BlockingPool(unsigned threads = 4) : pool_(threads) {}
  ~BlockingPool() { pool_.join(); }

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F&>> run(F f) {
    using T = std::invoke_result_t<F&>;
    auto home = co_await boost::asio::this_coro::executor;
    co_await boost::asio::post(pool_.get_executor(), boost::asio::use_awaitable);
    std::exception_ptr failure;
    if constexpr (std::is_void_v<T>) {
      try {
        f();
      } catch (...) {
        failure = std::current_exception();
      }
      co_await boost::asio::post(home, boost::asio::use_awaitable);
      if (failure) std::rethrow_exception(failure);
    } else {
      std::optional<T> result;
      try {
        result.emplace(f());
      } catch (...) {
        failure = std::current_exception();
      }
      co_await boost::asio::post(home, boost::asio::use_awaitable);
      if (failure) std::rethrow_exception(failure);
      co_return std::move(*result);
    }
  }

  void stop() { pool_.stop(); }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace webgames
