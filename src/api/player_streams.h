#pragma once
// How many event streams one player holds open on this replica, at most.
// A player's newest stream always opens: when the player is at the limit,
// their oldest stream is ended `replaced`. A client that lost its network
// and reconnects is never locked out by its own half-open connections,
// which linger until their pings fail; a client that opens streams in a
// loop holds `limit` of them, not the replica's connection limit.

#include "events/event_bus.h"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace webgames::api {

class PlayerStreams {
 public:
  explicit PlayerStreams(std::size_t limit) : limit_(limit) {}

  // Counts `stream` as the player's newest; ends the oldest ones beyond the
  // limit. Streams count until they are gone (their subscription freed).
  // Any thread.
  void opened(const std::string& player, const std::shared_ptr<Subscription>& stream);

 private:
  // At most `limit_` (a few): a vector, which an empty map entry does not
  // allocate for (a std::deque allocates about 0.5 KiB at once).
  using Streams = std::vector<std::weak_ptr<Subscription>>;
  static void drop_gone(Streams& streams);
  // Forgets the players whose streams are all gone. REQUIRES: mutex_ held.
  void sweep_locked();

  const std::size_t limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, Streams> players_;
  std::size_t opened_since_sweep_ = 0;
};

}  // namespace webgames::api
