#include "ratings/session_outcome.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <map>

namespace webgames {
namespace json = boost::json;

namespace {

// What the report says of one team.
struct TeamReport {
  std::optional<std::int64_t> rank;       // the team entry's
  std::optional<std::int64_t> best_rank;  // the best of its players'
  std::optional<double> score;            // the team entry's
  std::optional<double> player_scores;    // the sum of its players'
};

// Places teams by score, higher first; equal scores tie.
void rank_by_score(std::vector<std::pair<double, TeamPlace*>>& scored) {
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; i < scored.size(); ++i)
    scored[i].second->rank =
        (i > 0 && scored[i].first == scored[i - 1].first) ? scored[i - 1].second->rank : static_cast<int>(i) + 1;
}

}  // namespace

std::optional<std::vector<TeamPlace>> team_places(const Session& s) {
  std::error_code ec;
  auto results = json::parse(s.results.empty() ? std::string("[]") : s.results, ec);
  if (ec || !results.is_array()) return std::nullopt;

  std::map<int, TeamPlace> teams;
  for (const auto& p : s.players) {
    auto& t = teams[p.team];
    t.team = p.team;
    t.players.push_back(p.id);
  }
  if (teams.size() < 2) return std::nullopt;

  std::map<int, TeamReport> reports;
  for (const auto& entry : results.get_array()) {
    if (!entry.is_object()) continue;
    const auto& o = entry.get_object();
    auto* rank = o.if_contains("rank");
    auto* score = o.if_contains("score");
    std::optional<std::int64_t> r = rank && rank->is_int64() ? std::optional(rank->get_int64()) : std::nullopt;
    std::optional<double> sc = score && score->is_number() ? std::optional(score->to_number<double>()) : std::nullopt;
    // An entry naming a player speaks for that player (whatever team it
    // also names); one naming only a team speaks for the team.
    if (auto* player = o.if_contains("player_id"); player && player->is_string()) {
      auto p = std::find_if(s.players.begin(), s.players.end(),
                            [&](const SessionPlayer& sp) { return sp.id == player->get_string(); });
      if (p == s.players.end()) continue;
      auto& rep = reports[p->team];
      if (r) rep.best_rank = rep.best_rank ? std::min(*rep.best_rank, *r) : *r;
      if (sc) rep.player_scores = rep.player_scores.value_or(0.0) + *sc;
    } else if (auto* team = o.if_contains("team"); team && team->is_int64()) {
      auto& rep = reports[static_cast<int>(team->get_int64())];
      rep.rank = r;
      rep.score = sc;
    }
  }

  // One kind of evidence for all teams, so that places compare.
  auto all = [&](auto has) {
    return std::all_of(teams.begin(), teams.end(), [&](const auto& t) { return has(reports[t.first]); });
  };
  std::vector<TeamPlace> out;
  if (all([](const TeamReport& r) { return r.rank.has_value(); })) {
    for (auto& [id, t] : teams) t.rank = static_cast<int>(*reports[id].rank);
  } else if (all([](const TeamReport& r) { return r.best_rank.has_value(); })) {
    for (auto& [id, t] : teams) t.rank = static_cast<int>(*reports[id].best_rank);
  } else {
    bool by_team = all([](const TeamReport& r) { return r.score.has_value(); });
    if (!by_team && !all([](const TeamReport& r) { return r.player_scores.has_value(); })) return std::nullopt;
    std::vector<std::pair<double, TeamPlace*>> scored;
    for (auto& [id, t] : teams) scored.emplace_back(by_team ? *reports[id].score : *reports[id].player_scores, &t);
    rank_by_score(scored);
  }
  for (auto& [id, t] : teams) out.push_back(std::move(t));
  return out;
}

}  // namespace webgames
