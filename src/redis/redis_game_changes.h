#pragma once
// RedisGameChanges: keeps every replica's game cache (store/game_cache.h)
// current in the scaled mode. A replica that writes a game (registers,
// changes or deletes it) publishes its name on the channel <prefix>:games,
// and answers once Redis has; every replica erases that name from its
// cache as the message arrives, and clears the whole cache whenever its
// subscription is lost or confirmed again (it may have missed messages
// meanwhile). Without it, another replica served the old game until its
// cache entry passed (5 s): a name deleted by one developer and registered
// by another was the first one's there, 404 to the new owner (found by an
// attacker's audit).
//
// When Redis does not answer, the write stands and the other replicas'
// entries lag by at most the cache's TTL, as before (a warning is logged).
//
// Thread safety: every method from any thread. The subscription runs on a
// strand of the executor it is given.

#include "redis/client.h"
#include "store/game_cache.h"

#include <memory>
#include <string>

namespace webgames::redis {

class RedisGameChanges {
 public:
  // `cache` must outlive this.
  RedisGameChanges(boost::asio::any_io_executor executor, std::shared_ptr<Client> client, GameCache& cache,
                   std::string prefix = "webgames");
  ~RedisGameChanges();
  RedisGameChanges(const RedisGameChanges&) = delete;
  RedisGameChanges& operator=(const RedisGameChanges&) = delete;

  // Tells every replica that the game named `name` was written.
  boost::asio::awaitable<void> share(std::string name);

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace webgames::redis
