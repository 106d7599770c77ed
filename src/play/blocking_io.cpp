#include "play/blocking_io.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>

#include <exception>
#include <memory>
#include <thread>
#include <utility>

namespace webgames::play {
namespace {

constexpr auto kSlice = std::chrono::milliseconds(100);
constexpr auto kAbortGrace = std::chrono::seconds(2);

}  // namespace

BlockingIo::BlockingIo(std::function<bool()> interrupted) : interrupted_(std::move(interrupted)) {}

BlockingIo::Wait BlockingIo::wait(const std::function<bool()>& done, Clock::time_point deadline) {
  for (;;) {
    if (done()) return Wait::done;
    if (interrupted()) return Wait::interrupted;
    auto now = Clock::now();
    if (now >= deadline) return Wait::deadline;
    auto slice = std::min<Clock::duration>(deadline - now, kSlice);
    if (io_.stopped()) io_.restart();
    if (io_.run_one_for(slice) == 0 && io_.stopped()) std::this_thread::sleep_for(slice);  // no work at all
  }
}

boost::system::error_code BlockingIo::run(boost::asio::awaitable<boost::system::error_code> task,
                                          const std::function<void()>& abort) {
  struct Outcome {
    bool done = false;
    boost::system::error_code ec;
    std::exception_ptr bug;  // the task threw: not an expected failure
  };
  auto outcome = std::make_shared<Outcome>();
  boost::asio::co_spawn(io_, std::move(task), [outcome](std::exception_ptr e, boost::system::error_code ec) {
    outcome->done = true;
    outcome->ec = ec;
    outcome->bug = std::move(e);
  });
  auto finished = [&outcome] { return outcome->done; };
  if (wait(finished, Clock::time_point::max()) == Wait::done) {
    if (outcome->bug) std::rethrow_exception(outcome->bug);
    return outcome->ec;
  }
  abort();
  // Whatever the task ends with now, it was cut short; ignore the interrupt while it unwinds.
  auto until = Clock::now() + kAbortGrace;
  while (!outcome->done && Clock::now() < until) {
    if (io_.stopped()) io_.restart();
    io_.run_one_for(kSlice);
  }
  return boost::asio::error::operation_aborted;
}

}  // namespace webgames::play
