#include "ratings/rating_book.h"

#include "ratings/session_outcome.h"

#include <algorithm>

namespace webgames {

Result<double> RatingBook::skill_of(std::string_view game_id, std::string_view queue,
                                    std::span<const std::string> players) {
  if (players.empty()) return Rating::initial_mu;
  auto stored = catalog_.ratings(game_id, queue, players);
  if (!stored) return stored.error();
  double sum = Rating::initial_mu * static_cast<double>(players.size() - stored->size());
  for (const auto& r : *stored) sum += r.rating.mu;
  return sum / static_cast<double>(players.size());
}

Result<PlayerRating> RatingBook::rating_of(std::string_view game_id, std::string_view queue,
                                           const std::string& player) {
  auto stored = catalog_.ratings(game_id, queue, std::span(&player, 1));
  if (!stored) return stored.error();
  return stored->empty() ? PlayerRating{player, Rating{}, 0} : stored->front();
}

Result<bool> RatingBook::record(const Session& session) {
  auto places = team_places(session);
  if (!places) return false;
  std::vector<std::string> players;
  for (const auto& t : *places) players.insert(players.end(), t.players.begin(), t.players.end());

  auto update = [&](std::vector<PlayerRating> current) {
    // `current` follows `players`: team by team, in the order of `places`.
    std::vector<std::vector<Rating>> teams;
    std::vector<int> ranks;
    std::size_t next = 0;
    for (const auto& t : *places) {
      auto& team = teams.emplace_back();
      for (std::size_t i = 0; i < t.players.size(); ++i) team.push_back(current[next++].rating);
      ranks.push_back(t.rank);
    }
    auto rated = rate(teams, ranks, options_);
    next = 0;
    for (const auto& team : rated)
      for (const auto& r : team) {
        current[next].rating = r;
        ++current[next++].matches;
      }
    return current;
  };
  if (auto r = catalog_.update_ratings(session.game_id, session.queue, players, session.id, update); !r)
    return r.error();
  return true;
}

}  // namespace webgames
