#include "ratings/rating_book.h"

#include "ratings/session_outcome.h"

#include <algorithm>

namespace webgames {
namespace {

// Ids and queue names hold no NUL.
std::string cache_key(std::string_view game_id, std::string_view queue, std::string_view player) {
  std::string key;
  key.reserve(game_id.size() + queue.size() + player.size() + 2);
  key.append(game_id).push_back('\0');
  key.append(queue).push_back('\0');
  key.append(player);
  return key;
}

}  // namespace

Result<double> RatingBook::skill_of(std::string_view game_id, std::string_view queue,
                                    std::span<const std::string> players) {
  if (players.empty()) return Rating::initial_mu;
  auto stored = catalog_.ratings(game_id, queue, players);
  if (!stored) return stored.error();
  double sum = 0;
  for (const auto& r : with_initial_ratings(players, *stored)) {
    keep(game_id, queue, r.account_id, r.rating.mu, false);
    sum += r.rating.mu;
  }
  return sum / static_cast<double>(players.size());
}

std::optional<double> RatingBook::cached_skill_of(std::string_view game_id, std::string_view queue,
                                                  std::span<const std::string> players) {
  if (players.empty()) return Rating::initial_mu;
  auto now = Clock::now();
  double sum = 0;
  std::lock_guard lock(mutex_);
  for (const auto& player : players) {
    auto it = mu_.find(cache_key(game_id, queue, player));
    if (it == mu_.end() || it->second.expires <= now) return std::nullopt;
    sum += it->second.mu;
  }
  return sum / static_cast<double>(players.size());
}

void RatingBook::keep(std::string_view game_id, std::string_view queue, const std::string& player, double mu,
                      bool overwrite) {
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  if (mu_.size() >= cache_options_.max_entries) {
    std::erase_if(mu_, [&](const auto& entry) { return entry.second.expires <= now; });
    if (mu_.size() >= cache_options_.max_entries) mu_.clear();
  }
  Cached cached{mu, now + cache_options_.ttl};
  auto [it, added] = mu_.try_emplace(cache_key(game_id, queue, player), cached);
  if (!added && (overwrite || it->second.expires <= now)) it->second = cached;
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
  std::vector<PlayerRating> recorded;
  auto update_and_keep = [&](std::vector<PlayerRating> current) {
    recorded = update(std::move(current));
    return recorded;
  };
  if (auto r = catalog_.update_ratings(session.game_id, session.queue, players, session.id, update_and_keep); !r)
    return r.error();
  for (const auto& r : recorded) keep(session.game_id, session.queue, r.account_id, r.rating.mu, true);
  return true;
}

}  // namespace webgames
