#pragma once
// Readiness: whether this replica can serve now, for GET /readyz and a load
// balancer's health checks. Each check is a cheap probe of a part the
// replica needs (the Catalog's ping today); the answer is kept for `ttl`, so
// that however often probes come, each part sees about one probe per ttl.
//
// Thread-safe: check() may run on any event loop at once; probes BLOCK and
// run on the blocking pool.

#include "core/clock.h"
#include "core/error.h"
#include "loop/blocking_pool.h"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace webgames::api {

struct ReadinessCheck {
  std::string name;                     // "catalog": the field of the 503
  std::function<Result<void>()> probe;  // BLOCKS; ok when the part answers
};

class Readiness {
 public:
  // `blocking` and `clock` must outlive the Readiness.
  Readiness(std::vector<ReadinessCheck> checks, BlockingPool& blocking, const Clock& clock,
            std::chrono::milliseconds ttl = std::chrono::seconds(1));

  // ok, or Errc::unavailable whose field names the first part that does not
  // answer and whose message says why ("catalog: …").
  boost::asio::awaitable<Result<void>> check();

 private:
  Result<void> probe_all() const;

  std::vector<ReadinessCheck> checks_;
  BlockingPool& blocking_;
  const Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  bool checked_ = false;
  TimePoint checked_at_{};
  Result<void> last_;
};

}  // namespace webgames::api
