#pragma once
// Players' ratings, kept in the Catalog per game (by Game::id) and queue: the skill a new
// ticket starts from, and the OpenSkill update when a session ends with a
// report that ranks its teams.
//
// The methods that read or write the Catalog BLOCK: call them from the
// blocking pool. The players' means are also kept in memory, so that the
// ticket path reads them without a hop to that pool (cached_skill_of).
//
// The cache is right while this process is the only one recording the
// game's ratings: the embedded default, or the replica that owns the lobby
// (it records every session's end). Its entries expire after
// RatingCacheOptions::ttl, which bounds how stale one can get otherwise (a
// previous owner woken after a takeover recording one last session).
//
// Thread-safe.

#include "ratings/openskill.h"
#include "store/catalog.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

namespace webgames {

struct RatingCacheOptions {
  std::chrono::milliseconds ttl{600'000};  // Default: 10 minutes
  std::size_t max_entries = 200'000;       // (game, queue, player) means kept. Default: 200 000
};

class RatingBook {
 public:
  explicit RatingBook(Catalog& catalog, OpenSkillOptions options = {}, RatingCacheOptions cache = {})
      : catalog_(catalog), options_(options), cache_options_(cache) {}

  // The players' mean rating (mu); a player never rated counts as new.
  // Keeps each player's mu in memory.
  Result<double> skill_of(std::string_view game_id, std::string_view queue, std::span<const std::string> players);
  // The same from memory alone, without blocking: empty when a player's mu
  // is not kept (never read, or expired).
  std::optional<double> cached_skill_of(std::string_view game_id, std::string_view queue,
                                        std::span<const std::string> players);
  // One player's rating; the initial one when never rated.
  Result<PlayerRating> rating_of(std::string_view game_id, std::string_view queue, const std::string& player);

  // Rates an ended session's players in its game (Session::game_id), and
  // keeps each one's change with the session (Catalog::rating_changes).
  // false when its report does not rank its teams (nothing changes then).
  // Keeps the players' new mu in memory.
  Result<bool> record(const Session& session);

 private:
  using Clock = std::chrono::steady_clock;
  struct Cached {
    double mu;
    Clock::time_point expires;
  };
  // `overwrite`: a mu just recorded replaces what is kept; one just read
  // does not (a session recorded meanwhile has the newer one).
  void keep(std::string_view game_id, std::string_view queue, const std::string& player, double mu, bool overwrite);

  Catalog& catalog_;
  OpenSkillOptions options_;
  RatingCacheOptions cache_options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> mu_;  // by cache_key(game id, queue, player)
};

}  // namespace webgames
