#include "domain/end_report.h"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include <algorithm>

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
  for (std::size_t i = 0; i < results->get_array().size(); ++i) {
    auto field = fmt::format("results[{}]", i);
    const auto& r = results->get_array()[i];
    if (!r.is_object()) return make_error(Errc::invalid_request, field + " must be an object", field);
    const auto& o = r.get_object();
    auto* player = o.if_contains("player_id");
    auto* team = o.if_contains("team");
    if (player == nullptr && team == nullptr)
      return make_error(Errc::invalid_request, field + " needs player_id or team", field);
    if (player != nullptr) {
      bool known = player->is_string() && std::any_of(s.players.begin(), s.players.end(), [&](const SessionPlayer& p) {
                     return p.id == player->get_string();
                   });
      if (!known)
        return make_error(Errc::invalid_field, field + ".player_id is not a player of this session",
                          field + ".player_id");
    }
    if (team != nullptr && (!team->is_int64() || team->get_int64() < 0 || team->get_int64() >= s.teams))
      return make_error(Errc::invalid_field, field + ".team is not a team of this session", field + ".team");
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
