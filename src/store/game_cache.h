#pragma once
// Recently read games, kept in memory so that the hot read path (a game's
// spec, read on every request that names it) answers on the event loop
// instead of a trip to the blocking pool and the database.
//
// Writes made through this process update or erase the entry at once. A
// write by another process (scaled mode) is seen here after at most `ttl`.
// Thread-safe; readers share entries without copying them.

#include "core/clock.h"
#include "domain/game.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace webgames {

class GameCache {
 public:
  struct Entry {
    Game game;
    std::string json;  // game_to_json(game), serialized once
    TimePoint expires_at;
  };

  // Default ttl: 5 s; at most `capacity` games are kept.
  explicit GameCache(const Clock& clock, std::chrono::milliseconds ttl = std::chrono::seconds(5),
                     std::size_t capacity = 10'000);

  // The live entry for `name`, or null.
  std::shared_ptr<const Entry> find(std::string_view name) const;

  // A reader that misses takes generation() BEFORE reading the database and
  // passes it to put(): if any erase() happened in between, the game it read
  // may predate that write, so it is returned but not cached.
  std::uint64_t generation() const { return generation_.load(); }
  std::shared_ptr<const Entry> put(Game game, std::uint64_t read_generation);
  // After every write of the game; bumps the generation.
  void erase(std::string_view name);
  // Forgets every game; bumps the generation. For a replica that takes the
  // lobby over: what it read before, as another owner changed games, may be
  // up to `ttl` old, and the lobby must not queue tickets for a game deleted
  // or changed meanwhile.
  void clear();

 private:
  const Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Entry>> entries_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace webgames
