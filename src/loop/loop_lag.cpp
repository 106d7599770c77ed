#include "loop/loop_lag.h"

#include "metrics/family.h"

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
  probe.lag.observe(lag);
  probe.last_ns.store(static_cast<std::uint64_t>(std::max<std::int64_t>(0, lag.count())), std::memory_order_relaxed);
}

std::string LoopLag::render() const {
  std::string out;
  metrics::write_header(out, "webgames_loop_lag_seconds", "histogram",
                        "How late a timer fired on the event loop (or strand) named by loop.");
  for (const auto& p : probes_)
    p->lag.render(out, "webgames_loop_lag_seconds", metrics::label_text({"loop"}, {p->name}));
  metrics::write_header(out, "webgames_loop_last_lag_seconds", "gauge", "How late the last timer fired on the loop.");
  for (const auto& p : probes_)
    out += fmt::format("webgames_loop_last_lag_seconds{{{}}} {}\n", metrics::label_text({"loop"}, {p->name}),
                       static_cast<double>(p->last_ns.load(std::memory_order_relaxed)) / 1e9);
  return out;
}

}  // namespace webgames
