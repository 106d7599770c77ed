#include "loop/loop_lag.h"

#include <fmt/format.h>
#include <boost/asio/post.hpp>

namespace webgames {

LoopLag::LoopLag(std::chrono::milliseconds period) : period_(period) {}

LoopLag::~LoopLag() = default;

void LoopLag::watch(std::string name, boost::asio::any_io_executor executor) {
  probes_.push_back(std::make_unique<Probe>(std::move(name), std::move(executor)));
}

void LoopLag::start() {
  for (auto& p : probes_) boost::asio::post(p->timer.get_executor(), [this, probe = p.get()] { arm(*probe); });
}

void LoopLag::stop() {
  for (auto& p : probes_) {
    p->stopped = true;
    boost::asio::post(p->timer.get_executor(), [probe = p.get()] { probe->timer.cancel(); });
  }
}

void LoopLag::arm(Probe& probe) {
  if (probe.stopped) return;
  probe.timer.expires_after(period_);
  probe.timer.async_wait([this, &probe](boost::system::error_code ec) {
    if (ec) return;
    record(probe, std::chrono::steady_clock::now() - probe.timer.expiry());
    arm(probe);
  });
}

void LoopLag::record(Probe& probe, std::chrono::nanoseconds lag) {
  auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(0, lag.count()));
  auto seconds = static_cast<double>(ns) / 1e9;
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  probe.buckets[b].fetch_add(1, std::memory_order_relaxed);
  probe.count.fetch_add(1, std::memory_order_relaxed);
  probe.sum_ns.fetch_add(ns, std::memory_order_relaxed);
  probe.last_ns.store(ns, std::memory_order_relaxed);
}

std::string LoopLag::render() const {
  std::string out;
  out += "# HELP webgames_loop_lag_seconds How late a timer fired on the event loop (or strand) named by loop.\n";
  out += "# TYPE webgames_loop_lag_seconds histogram\n";
  for (const auto& p : probes_) {
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += p->buckets[b].load(std::memory_order_relaxed);
      out += fmt::format("webgames_loop_lag_seconds_bucket{{loop=\"{}\",le=\"{}\"}} {}\n", p->name, kBuckets[b],
                         cumulative);
    }
    cumulative += p->buckets.back().load(std::memory_order_relaxed);
    out += fmt::format("webgames_loop_lag_seconds_bucket{{loop=\"{}\",le=\"+Inf\"}} {}\n", p->name, cumulative);
    out += fmt::format("webgames_loop_lag_seconds_sum{{loop=\"{}\"}} {}\n", p->name,
                       static_cast<double>(p->sum_ns.load(std::memory_order_relaxed)) / 1e9);
    out += fmt::format("webgames_loop_lag_seconds_count{{loop=\"{}\"}} {}\n", p->name, cumulative);
  }
  out += "# HELP webgames_loop_last_lag_seconds How late the last timer fired on the loop.\n";
  out += "# TYPE webgames_loop_last_lag_seconds gauge\n";
  for (const auto& p : probes_)
    out += fmt::format("webgames_loop_last_lag_seconds{{loop=\"{}\"}} {}\n", p->name,
                       static_cast<double>(p->last_ns.load(std::memory_order_relaxed)) / 1e9);
  return out;
}

}  // namespace webgames
