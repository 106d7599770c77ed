#pragma once
// Which replica runs the lobby and the director, in the scaled mode: the one
// holding the lobby's lease in Redis (redis/redis_lease.h). Every replica
// tries to take the lease while nobody holds it; the holder renews it every
// third of its TTL. A replica that wins runs `take_over` (restore the lobby
// from Redis, adopt the sessions, start matching) and from then on serves
// the lobby's routes; the others forward them to it (api/lobby_owner.h).
//
// Losing the lease (another holds it, or no renewal reached Redis within the
// TTL) is fatal: `lost` runs and must end the process. Its game servers run
// on, and the next owner adopts them; its own writes are refused meanwhile
// (fencing), so nothing it still does can count.
//
// Threading: start() and stop() from any thread; take_over runs on a thread
// of `blocking` (it may block); where() from any thread.

#include "api/lobby_owner.h"
#include "loop/blocking_pool.h"
#include "redis/redis_lease.h"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace webgames {

struct LobbyOwnershipOptions {
  std::chrono::milliseconds ttl{3'000};
};

class LobbyOwnership {
 public:
  using TakeOver = std::function<void(const redis::LeaseGrant& grant)>;
  using Lost = std::function<void(const Error& why)>;

  // `prefix`: the Redis keys' (redis/redis_lease.h).
  LobbyOwnership(boost::asio::any_io_executor executor, std::shared_ptr<redis::Client> client, std::string prefix,
                 BlockingPool& blocking, LobbyOwnershipOptions options, TakeOver take_over, Lost lost);
  ~LobbyOwnership();
  LobbyOwnership(const LobbyOwnership&) = delete;
  LobbyOwnership& operator=(const LobbyOwnership&) = delete;

  const redis::Lease& lease() const;
  // `address` (host:port) is where the others forward to while this one owns it.
  void start(std::string address);
  // Stops trying and renewing; gives the lease up when held, so that the next
  // owner need not wait for it to pass. Blocks until Redis answered (or
  // failed to); call from a thread that runs no event loop.
  void stop_and_release();

  api::LobbyPlace where() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace webgames
