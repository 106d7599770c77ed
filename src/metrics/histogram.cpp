#include "metrics/histogram.h"

#include <fmt/format.h>

#include <algorithm>

namespace webgames::metrics {

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(std::chrono::nanoseconds duration) {
  auto ns = std::max<std::int64_t>(duration.count(), 0);
  double seconds = static_cast<double>(ns) / 1e9;
  auto bucket = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin());
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

std::uint64_t Histogram::count() const {
  std::uint64_t n = 0;
  for (std::size_t b = 0; b <= bounds_.size(); ++b) n += buckets_[b].load(std::memory_order_relaxed);
  return n;
}

std::vector<std::uint64_t> Histogram::buckets() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  for (std::size_t b = 0; b <= bounds_.size(); ++b) out[b] = buckets_[b].load(std::memory_order_relaxed);
  return out;
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
  std::string_view comma = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < bounds_.size(); ++b) {
    cumulative += buckets_[b].load(std::memory_order_relaxed);
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, comma, bounds_[b], cumulative);
  }
  cumulative += buckets_[bounds_.size()].load(std::memory_order_relaxed);
  out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, comma, cumulative);
  auto braced = labels.empty() ? std::string() : fmt::format("{{{}}}", labels);
  out += fmt::format("{}_sum{} {}\n", name, braced, static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  out += fmt::format("{}_count{} {}\n", name, braced, cumulative);
}

}  // namespace webgames::metrics
