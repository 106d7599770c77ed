#pragma once
// The one sampler of the console per process (docs/console.md): every
// interval, on the hosting strand, it reads what the lobby and the
// director already hold (each queue's statistics, the live sessions and
// their servers) and the director's counters (SessionMetrics: sessions
// started, ended and failed, time to play), and publishes one Sample (a
// GameSample per game with something to show) on the console's stream of
// the EventBus, where every process's ConsoleHub keeps it. Counters become
// the interval's differences here.
//
// It samples only while the lobby runs in this process (`here`): in the
// scaled mode, on the replica that holds the lobby's lease.
//
// Threading: start() and stop() from any thread; the sampling runs on
// `strand`.

#include "console/console_sample.h"
#include "core/clock.h"
#include "director/director.h"
#include "director/session_metrics.h"
#include "lobby/lobby.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace webgames::console {

// Where the console's events go: every process's ConsoleHub (through the
// EventBus in the scaled mode, straight to this process's hub otherwise).
using ConsolePublish = std::function<void(std::string_view type, const boost::json::object& data)>;

struct SamplerParts {
  Lobby& lobby;
  Director& director;
  const SessionMetrics& metrics;
  ConsolePublish publish;
  const Clock& clock;
};

class ConsoleSampler {
 public:
  // `parts` must outlive the sampler. `here` is asked at each interval,
  // on the strand; empty: always here.
  ConsoleSampler(boost::asio::strand<boost::asio::any_io_executor> strand, SamplerParts parts,
                 std::chrono::milliseconds interval, std::function<bool()> here = {});

  void start();
  void stop();

  // One sample now (updating the counters' baselines). On the strand.
  Sample take();

 private:
  void schedule();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  SamplerParts parts_;
  std::chrono::milliseconds interval_;
  std::function<bool()> here_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
  std::int64_t last_t_ = 0;
  std::map<std::string, SessionMetrics::GameTotals> previous_;  // by game id: the counters at the last sample
};

}  // namespace webgames::console
