#include "loop/run_on.h"

#include "loop/blocking_pool.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <thread>

namespace webgames {
namespace {

// The function runs on the target executor's thread and the coroutine comes
// back to its own: the whole point of run_on.
TEST(RunOn, RunsOnTheTargetAndResumesAtHome) {
  boost::asio::io_context home(1), other(1);
  auto other_guard = boost::asio::make_work_guard(other);
  std::thread other_thread([&] { other.run(); });
  auto strand = boost::asio::make_strand(other.get_executor());

  bool on_target = false, back_home = false;
  std::thread::id worker, caller;
  boost::asio::co_spawn(
      home,
      [&]() -> boost::asio::awaitable<void> {
        caller = std::this_thread::get_id();
        int v = co_await run_on(strand, [&] {
          on_target = strand.running_in_this_thread();
          worker = std::this_thread::get_id();
          return 7;
        });
        EXPECT_EQ(v, 7);
        back_home = home.get_executor().running_in_this_thread();
        EXPECT_THROW(co_await run_on(strand, []() -> int { throw std::runtime_error("boom"); }), std::runtime_error);
      },
      boost::asio::detached);
  home.run();
  other_guard.reset();
  other_thread.join();
  EXPECT_TRUE(on_target);
  EXPECT_TRUE(back_home);
  EXPECT_NE(worker, caller);
}

TEST(BlockingPool, RunsOffTheEventLoop) {
  boost::asio::io_context loop(1);
  BlockingPool pool(1);
  bool off_loop = false;
  boost::asio::co_spawn(
      loop,
      [&]() -> boost::asio::awaitable<void> {
        off_loop = co_await pool.run([&] { return !loop.get_executor().running_in_this_thread(); });
      },
      boost::asio::detached);
  loop.run();
  EXPECT_TRUE(off_loop);
}

}  // namespace
}  // namespace webgames
