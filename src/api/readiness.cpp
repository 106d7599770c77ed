#include "api/readiness.h"

namespace webgames::api {

Readiness::Readiness(std::vector<ReadinessCheck> checks, BlockingPool& blocking, const Clock& clock,
                     std::chrono::milliseconds ttl)
    : checks_(std::move(checks)), blocking_(blocking), clock_(clock), ttl_(ttl) {}

Result<void> Readiness::probe_all() const {
  for (const auto& c : checks_)
    if (auto r = c.probe(); !r) return make_error(Errc::unavailable, c.name + ": " + r.error().message, c.name);
  return {};
}

boost::asio::awaitable<Result<void>> Readiness::check() {
  {
    std::lock_guard lock(mutex_);
    auto now = clock_.now();
    // A clock that went back counts as stale.
    if (checked_ && now >= checked_at_ && now - checked_at_ < ttl_) co_return last_;
  }
  auto result = co_await blocking_.run([this] { return probe_all(); });
  std::lock_guard lock(mutex_);
  checked_ = true;
  checked_at_ = clock_.now();
  last_ = result;
  co_return result;
}

}  // namespace webgames::api
