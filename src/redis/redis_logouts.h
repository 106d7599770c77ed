#pragma once
// RedisLogouts: the logout deny list, shared by every replica of the scaled
// mode. A logout on one replica refuses the login's access tokens on all of
// them, within the time Redis takes to tell the others (a PUBLISH).
//
// Storage: a sorted set <prefix>:logouts of login ids scored by when their
// last access token expires (ms since the epoch), trimmed of expired ones
// on every write; a channel of the same name carries each new logout.
// Every replica subscribes; each time Redis confirms the subscription
// (first, and after every reconnect) it reads the set, so a replica that
// starts, or was cut off from Redis, learns the logouts it missed.
//
// share() queues the logout and returns; one coroutine writes the queue and
// retries while Redis is down (the replica that took the logout refuses the
// tokens at once, the others once Redis is back).
//
// Thread safety: every method from any thread. Runs on a strand of the
// executor it is given; the Client may be shared with other users.

#include "auth/access_tokens.h"
#include "redis/client.h"

#include <memory>

namespace webgames::redis {

class RedisLogouts {
 public:
  // Logouts learnt from other replicas go to `tokens`, which must outlive this.
  RedisLogouts(boost::asio::any_io_executor executor, std::shared_ptr<Client> client, AccessTokens& tokens,
               std::string prefix = "webgames");
  ~RedisLogouts();
  RedisLogouts(const RedisLogouts&) = delete;
  RedisLogouts& operator=(const RedisLogouts&) = delete;

  // Tells the other replicas that `login_id`'s tokens are refused until `until`.
  void share(const std::string& login_id, TimePoint until);
  // Logouts queued and not yet written to Redis. Any thread.
  std::size_t pending() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace webgames::redis
