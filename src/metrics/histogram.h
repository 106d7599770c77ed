#pragma once
// A Prometheus histogram of durations, in seconds, with fixed buckets.
// Recording is lock-free (relaxed atomics): a few nanoseconds, from any
// thread, so it may sit on the request path. A scrape may see one
// observation counted in a bucket and not yet in the sum: Prometheus
// tolerates that.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::metrics {

// Upper bounds, in seconds, for calls that take microseconds to seconds:
// HTTP requests, store round trips.
inline constexpr double kCallBuckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                          0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   2.5};
// Upper bounds, in seconds, for waits people notice: time to ready, time to play.
inline constexpr double kWaitBuckets[] = {0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0};

class Histogram {
 public:
  // REQUIRES: `bounds` ascending, not empty, and outliving the histogram
  // (a static array). A last +Inf bucket is implied.
  explicit Histogram(std::span<const double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Any thread. A negative duration counts as zero.
  void observe(std::chrono::nanoseconds duration);

  std::uint64_t count() const;
  // The observations per bucket (not cumulative), the +Inf bucket last.
  std::vector<std::uint64_t> buckets() const;

  // Appends the series' lines: `name`_bucket (cumulative, with le), _sum and
  // _count. `labels` is the label text without braces ("game=\"x\"") or "".
  void render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::span<const double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1: the last is +Inf
  std::atomic<std::uint64_t> sum_ns_{0};
};

}  // namespace webgames::metrics
