// The end report of the server SDK (POST /v1/sdk/sessions/{id}/end): the
// body as the route reads it (api/request_bodies.h json_body), checked
// against a session (domain/end_report.h), then read for the teams' places
// (ratings/session_outcome.h) and rated (ratings/openskill.h), as the rating
// book does after a session ends. The first byte picks the session's shape
// (2 to 5 teams of 1 to 4 players). Promised: a value or an Error; ratings
// that come out finite, with a positive sigma.

#include "domain/end_report.h"
#include "api/request_bodies.h"
#include "fuzz_check.h"
#include "ratings/openskill.h"
#include "ratings/session_outcome.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace webgames;
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  Session s;
  s.id = "ses_fuzz";
  s.teams = 2 + data[0] % 4;
  int per_team = 1 + (data[0] >> 2) % 4;
  for (int t = 0; t < s.teams; ++t)
    for (int p = 0; p < per_team; ++p) {
      auto id = "acc_" + std::string(1, static_cast<char>('a' + t)) + std::to_string(p);
      s.players.push_back(SessionPlayer{id, id, t, "tkt_" + id, false});
    }

  auto body = api::json_body(text);
  if (!body) return 0;
  auto results = end_results_text(*body, s);
  if (!results) return 0;
  s.results = *results;
  auto places = team_places(s);
  if (!places) return 0;
  std::vector<std::vector<Rating>> teams;
  std::vector<int> ranks;
  for (const auto& place : *places) {
    teams.emplace_back(place.players.size(), Rating{});
    ranks.push_back(place.rank);
  }
  FUZZ_CHECK(teams.size() >= 2);
  for (const auto& team : rate(teams, ranks))
    for (const auto& r : team) FUZZ_CHECK(std::isfinite(r.mu) && std::isfinite(r.sigma) && r.sigma > 0);
  return 0;
}
