#pragma once
// Reads the places of a session's teams from the server's end report
// (Session::results: [{"player_id"|"team", "score", "rank"}…]). Pure.
//
// The places come from the first kind of evidence the report gives for
// every team: team entries' ranks; else the best rank of each team's
// players; else team entries' scores; else the sum of each team's players'
// scores (higher scores place first). An entry naming a player speaks for
// that player even when it also names a team. Teams without players take
// no part.
// The report ranks a session only when every team with players gets a
// place and at least two teams take part.

#include "domain/session.h"

#include <optional>
#include <vector>

namespace webgames {

struct TeamPlace {
  int team = 0;
  int rank = 1;                      // 1 is first; equal ranks are ties
  std::vector<std::string> players;  // account ids
};

std::optional<std::vector<TeamPlace>> team_places(const Session& s);

}  // namespace webgames
