#pragma once
// How late a timer fires on each event loop and on the hosting strand: the
// measure of a stall (a call that blocks a loop makes every timer, read and
// write behind it late). Every `period`, a timer is set on each watched
// executor; how long after its expiry its handler runs is recorded in a
// histogram per executor, rendered for /metrics as
// webgames_loop_lag_seconds{loop="…"} (and the last lag as a gauge).
//
// Threading: watch() before start(); start() and stop() from any thread
// (they post to each executor); render() from any thread (atomics).

#include "metrics/histogram.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace webgames {

class LoopLag {
 public:
  // Upper bounds of the histogram's buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

  // Default period: 250 ms.
  explicit LoopLag(std::chrono::milliseconds period = std::chrono::milliseconds(250));
  ~LoopLag();
  LoopLag(const LoopLag&) = delete;
  LoopLag& operator=(const LoopLag&) = delete;

  // REQUIRES: before start(). `name` becomes the loop label.
  void watch(std::string name, boost::asio::any_io_executor executor);
  void start();
  void stop();

  // The Prometheus text of every watched executor.
  std::string render() const;

 private:
  struct Probe {
    std::string name;
    boost::asio::steady_timer timer;
    metrics::Histogram lag{kBuckets};
    std::atomic<std::uint64_t> last_ns{0};
    std::atomic<bool> stopped{false};
    Probe(std::string n, boost::asio::any_io_executor e) : name(std::move(n)), timer(std::move(e)) {}
  };
  void arm(Probe& probe);
  void record(Probe& probe, std::chrono::nanoseconds lag);

  std::chrono::milliseconds period_;
  std::vector<std::unique_ptr<Probe>> probes_;
};

}  // namespace webgames
