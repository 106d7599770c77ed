#pragma once
// What the Redis tests share: the fixture's redis-server, private ones to
// kill and restart, an event loop on its own thread, and a way to run a
// coroutine to its end from the test's thread.

#include "redis/client.h"
#include "support/temp_dir.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <optional>
#include <string>
#include <thread>

namespace webgames::testing {

// The fixture's redis-server (redis.setup; $WEBGAMES_REDIS_DIR/port).
redis::Options shared_redis();

// A redis-server of one test, in its own directory (scripts/redis with
// WEBGAMES_REDIS_DIR): killed with SIGKILL and started again on the same
// port with its append-only file. Stopped when the object goes.
class PrivateRedis {
 public:
  PrivateRedis();
  ~PrivateRedis();
  void start();
  void kill9();
  redis::Options options() const;

 private:
  std::string script(const std::string& action) const;
  TempDir dir_;
  std::uint16_t port_ = 0;
};

// An io_context run by one thread until the object goes.
class Loop {
 public:
  Loop();
  ~Loop();
  boost::asio::any_io_executor executor() { return io_.get_executor(); }

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
};

// Runs `task` on `executor` and waits for its result.
template <class T>
T sync(boost::asio::any_io_executor executor, boost::asio::awaitable<T> task) {
  return boost::asio::co_spawn(executor, std::move(task), boost::asio::use_future).get();
}

// Waits until `pred` holds, up to `timeout`; true if it did.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace webgames::testing
