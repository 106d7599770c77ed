#pragma once
// Players' ratings, kept in the Catalog per game (by Game::id) and queue: the skill a new
// ticket starts from, and the OpenSkill update when a session ends with a
// report that ranks its teams.
//
// Every method BLOCKS on the Catalog: call it from the blocking pool.

#include "ratings/openskill.h"
#include "store/catalog.h"

#include <span>
#include <string>

namespace webgames {

class RatingBook {
 public:
  explicit RatingBook(Catalog& catalog, OpenSkillOptions options = {}) : catalog_(catalog), options_(options) {}

  // The players' mean rating (mu); a player never rated counts as new.
  Result<double> skill_of(std::string_view game_id, std::string_view queue, std::span<const std::string> players);
  // One player's rating; the initial one when never rated.
  Result<PlayerRating> rating_of(std::string_view game_id, std::string_view queue, const std::string& player);

  // Rates an ended session's players in its game (Session::game_id), and
  // keeps each one's change with the session (Catalog::rating_changes).
  // false when its report does not rank its teams (nothing changes then).
  Result<bool> record(const Session& session);

 private:
  Catalog& catalog_;
  OpenSkillOptions options_;
};

}  // namespace webgames
