#include "domain/end_report.h"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdint>
#include <map>

namespace webgames {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxResultData = 16 * 1024;

}  // namespace

Result<std::string> end_results_text(const json::value& body, const Session& s) {
  if (!body.is_object()) return make_error(Errc::invalid_request, "body must be an object", "body");
  for (const auto& kv : body.get_object())
    if (kv.key() != "results")
      return make_error(Errc::invalid_request, "unknown field " + std::string(kv.key().substr(0, 64)),
                        std::string(kv.key().substr(0, 64)));
  auto* results = body.get_object().if_contains("results");
  if (results == nullptr) return std::string("[]");
  if (!results->is_array() || results->get_array().size() > 1000)
    return make_error(Errc::invalid_request, "results must be an array of at most 1000 entries", "results");
  // Where each player, and each team reported as a whole, was named first:
  // a result names each once.
  std::map<std::string, std::size_t, std::less<>> player_entry;
  std::map<std::int64_t, std::size_t> team_entry;
  for (std::size_t i = 0; i < results->get_array().size(); ++i) {
    auto field = fmt::format("results[{}]", i);
    const auto& r = results->get_array()[i];
    if (!r.is_object()) return make_error(Errc::invalid_request, field + " must be an object", field);
    const auto& o = r.get_object();
    auto* player = o.if_contains("player_id");
    auto* team = o.if_contains("team");
    if (player == nullptr && team == nullptr)
      return make_error(Errc::invalid_request, field + " needs player_id or team", field);
    if (team != nullptr && !team->is_int64() && !team->is_uint64())
      return make_error(Errc::invalid_request, field + ".team must be an integer", field + ".team");
    if (team != nullptr && (!team->is_int64() || team->get_int64() < 0 || team->get_int64() >= s.teams))
      return make_error(Errc::invalid_field,
                        fmt::format("{}.team is not a team of this session (0 to {})", field, s.teams - 1),
                        field + ".team");
    if (player != nullptr && !player->is_string())
      return make_error(Errc::invalid_request, field + ".player_id must be a string", field + ".player_id");
    if (player != nullptr) {
      auto known = std::find_if(s.players.begin(), s.players.end(),
                                [&](const SessionPlayer& p) { return p.id == player->get_string(); });
      if (known == s.players.end())
        return make_error(Errc::invalid_field, field + ".player_id is not a player of this session",
                          field + ".player_id");
      if (auto [first, added] = player_entry.emplace(known->id, i); !added)
        return make_error(Errc::invalid_field,
                          fmt::format("{}.player_id names the player of results[{}] again", field, first->second),
                          field + ".player_id");
      if (team != nullptr && team->get_int64() != known->team)
        return make_error(Errc::invalid_field,
                          fmt::format("{}.team is not the player's: they play in team {}", field, known->team),
                          field + ".team");
    } else if (auto [first, added] = team_entry.emplace(team->get_int64(), i); !added) {
      return make_error(Errc::invalid_field,
                        fmt::format("{}.team names the team of results[{}] again", field, first->second),
                        field + ".team");
    }
    if (auto* score = o.if_contains("score"); score && !score->is_number())
      return make_error(Errc::invalid_request, field + ".score must be a number", field + ".score");
    if (auto* rank = o.if_contains("rank"); rank && (!rank->is_int64() || rank->get_int64() < 1))
      return make_error(Errc::invalid_request, field + ".rank must be an integer of at least 1", field + ".rank");
    if (auto* data = o.if_contains("data"); data && json::serialize(*data).size() > kMaxResultData)
      return make_error(Errc::invalid_field, field + ".data must be at most 16 KiB", field + ".data");
  }
  return json::serialize(*results);
}

}  // namespace webgames
