#pragma once
// Runs a function on another executor (a strand, a thread pool) and resumes
// the calling coroutine on its own executor with the result or exception:
//     auto ticket = co_await run_on(hosting_strand, [&] { return lobby.create_ticket(…); });

#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <optional>
#include <type_traits>

namespace webgames {

template <class Executor, class F>
boost::asio::awaitable<std::invoke_result_t<F&>> run_on(Executor target, F f) {
  using T = std::invoke_result_t<F&>;
  auto home = co_await boost::asio::this_coro::executor;
  // Binding the completion to `target` is what moves the coroutine there;
  // post(target, use_awaitable) alone would resume it on `home`.
  co_await boost::asio::post(boost::asio::bind_executor(target, boost::asio::use_awaitable));
  std::exception_ptr failure;
  if constexpr (std::is_void_v<T>) {
    try {
      f();
    } catch (...) {
      failure = std::current_exception();
    }
    co_await boost::asio::post(boost::asio::bind_executor(home, boost::asio::use_awaitable));
    if (failure) std::rethrow_exception(failure);
  } else {
    std::optional<T> result;
    try {
      result.emplace(f());
    } catch (...) {
      failure = std::current_exception();
    }
    co_await boost::asio::post(boost::asio::bind_executor(home, boost::asio::use_awaitable));
    if (failure) std::rethrow_exception(failure);
    co_return std::move(*result);
  }
}

}  // namespace webgames
