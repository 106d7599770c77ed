#pragma once
// The JSON messages of the Shifumi line protocol (docs/shifumi.md), in one
// place: what the server sends, and reading what clients send.

#include "rules.h"

#include <boost/json/object.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace shifumi {

// A client's message: a JSON object with a string "type". Empty if `line` is not one.
std::optional<boost::json::object> parse_message(std::string_view line);
// The string field `name` of `message`; empty if absent or not a string.
std::optional<std::string_view> string_field(const boost::json::object& message, std::string_view name);

// Player ids of seat 0 and seat 1, in the order of every array below.
using SeatIds = std::array<std::string, 2>;

boost::json::object error_message(std::string_view code, std::string_view reason);
// `opponent`: the opponent's name once they have joined, else null.
boost::json::object welcome_message(std::string_view player_id, std::string_view name,
                                    std::optional<std::string_view> opponent);
boost::json::object round_message(int round);
boost::json::object result_message(const SeatIds& ids, const Round& round, const std::array<int, 2>& score);
// `reason`: "score", "round_limit" or "forfeit".
boost::json::object game_over_message(const SeatIds& ids, std::optional<int> winner, const std::array<int, 2>& score,
                                      std::string_view reason);

}  // namespace shifumi
