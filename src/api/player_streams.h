#pragma once
// How many event streams one player holds open on this replica, at most,
// and which login opened each.
// A player's newest stream always opens: when the player is at the limit,
// their oldest stream is ended `replaced`. A client that lost its network
// and reconnects is never locked out by its own half-open connections,
// which linger until their pings fail; a client that opens streams in a
// loop holds `limit` of them, not the replica's connection limit.
// A logout ends the streams its login opened, `revoked`: they would go on
// telling a revoked credential the player's events (join tokens included).

#include "events/event_bus.h"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace webgames::api {

class PlayerStreams {
 public:
  explicit PlayerStreams(std::size_t limit) : limit_(limit) {}

  // Counts `stream`, opened by `login_id` ("" for an API key), as the
  // player's newest; ends the oldest ones beyond the limit. Streams count
  // until they are gone (their subscription freed). Any thread.
  void opened(const std::string& player, std::string_view login_id, const std::shared_ptr<Subscription>& stream);

  // Ends every stream `login_id` opened (AccessTokens::on_revoked). Any thread.
  void revoked(std::string_view login_id);

 private:
  struct Stream {
    std::weak_ptr<Subscription> subscription;
    std::size_t login;  // the hash of its login's id: 8 bytes, not a string, per idle player
    bool expired() const { return subscription.expired(); }
  };
  // At most `limit_` (a few): a vector, which an empty map entry does not
  // allocate for (a std::deque allocates about 0.5 KiB at once).
  using Streams = std::vector<Stream>;
  static void drop_gone(Streams& streams);
  // Forgets the players whose streams are all gone. REQUIRES: mutex_ held.
  void sweep_locked();

  const std::size_t limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, Streams> players_;
  std::size_t opened_since_sweep_ = 0;
};

}  // namespace webgames::api
