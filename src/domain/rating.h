#pragma once
// A player's skill in one queue of one game, as a Gaussian belief: `mu` is
// the estimate, `sigma` its uncertainty. The scale is OpenSkill's: a new
// player is 25 ± 25/3, and a queue's skill windows are in the same unit.

#include <algorithm>
#include <span>
#include <string>
#include <vector>

namespace webgames {

struct Rating {
  static constexpr double initial_mu = 25.0;
  static constexpr double initial_sigma = 25.0 / 3.0;

  double mu = initial_mu;
  double sigma = initial_sigma;

  // A conservative display value: mu − 3σ (99.7 % sure the skill is higher).
  double ordinal() const { return mu - 3.0 * sigma; }
};

// A stored rating: whose, where, and how many rated matches it rests on.
struct PlayerRating {
  std::string account_id;
  Rating rating;
  int matches = 0;
};

// The ratings of `ids`, in their order: the stored one, or the initial
// rating with no matches for a player not in `stored`.
inline std::vector<PlayerRating> with_initial_ratings(std::span<const std::string> ids,
                                                      const std::vector<PlayerRating>& stored) {
  std::vector<PlayerRating> out;
  for (const auto& id : ids) {
    auto it = std::find_if(stored.begin(), stored.end(), [&](const PlayerRating& r) { return r.account_id == id; });
    out.push_back(it != stored.end() ? *it : PlayerRating{id, Rating{}, 0});
  }
  return out;
}

// What a rated session did to one of its players' rating: the rating
// before it and after it (after.mu - before.mu is the change of skill).
struct RatingChange {
  std::string account_id;
  Rating before;
  Rating after;
};

// A leaderboard line: a stored rating and the player's username.
struct RankedRating {
  PlayerRating rating;
  std::string username;
};

}  // namespace webgames
