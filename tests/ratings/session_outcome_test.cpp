#include "ratings/session_outcome.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

Session two_teams(std::string results) {
  Session s;
  s.teams = 2;
  s.players = {{"alice", "Alice", 0}, {"bob", "Bob", 1}, {"carol", "Carol", 1}};
  s.results = std::move(results);
  return s;
}

int rank_of(const std::vector<TeamPlace>& places, int team) {
  for (const auto& p : places)
    if (p.team == team) return p.rank;
  ADD_FAILURE() << "team " << team << " has no place";
  return 0;
}

TEST(SessionOutcome, TeamRanksWin) {
  auto places = team_places(two_teams(R"([{"team":0,"rank":2},{"team":1,"rank":1}])"));
  ASSERT_TRUE(places);
  EXPECT_EQ(rank_of(*places, 0), 2);
  EXPECT_EQ(rank_of(*places, 1), 1);
  EXPECT_EQ(places->at(1).players, (std::vector<std::string>{"bob", "carol"}));
}

TEST(SessionOutcome, PlayerRanksGiveTheTeamItsBestPlace) {
  auto places = team_places(two_teams(R"([{"player_id":"alice","rank":2},{"player_id":"bob","rank":3},
                                          {"player_id":"carol","rank":1}])"));
  ASSERT_TRUE(places);
  EXPECT_EQ(rank_of(*places, 0), 2);
  EXPECT_EQ(rank_of(*places, 1), 1);
}

TEST(SessionOutcome, PlayerEntriesThatAlsoNameTheirTeamSpeakForThePlayer) {
  // As Shifumi and the SDK report: player, team, score and rank together.
  auto places = team_places(two_teams(R"([{"player_id":"alice","team":0,"rank":3},
                                          {"player_id":"bob","team":1,"rank":1},
                                          {"player_id":"carol","team":1,"rank":4}])"));
  ASSERT_TRUE(places);
  EXPECT_EQ(rank_of(*places, 0), 3);
  EXPECT_EQ(rank_of(*places, 1), 1);
}

TEST(SessionOutcome, ScoresPlaceHigherFirstAndEqualScoresTie) {
  auto places = team_places(two_teams(R"([{"player_id":"alice","score":3},{"player_id":"bob","score":1},
                                          {"player_id":"carol","score":1}])"));
  ASSERT_TRUE(places);
  EXPECT_EQ(rank_of(*places, 0), 1);
  EXPECT_EQ(rank_of(*places, 1), 2);

  auto tie = team_places(two_teams(R"([{"team":0,"score":5},{"team":1,"score":5}])"));
  ASSERT_TRUE(tie);
  EXPECT_EQ(rank_of(*tie, 0), 1);
  EXPECT_EQ(rank_of(*tie, 1), 1);
}

TEST(SessionOutcome, UnrankedReportsRateNobody) {
  EXPECT_FALSE(team_places(two_teams("[]")));
  EXPECT_FALSE(team_places(two_teams(R"([{"team":0,"rank":1}])")));  // team 1 has no place
  EXPECT_FALSE(team_places(two_teams(R"([{"player_id":"alice","data":{"moves":3}}])")));
  EXPECT_FALSE(team_places(two_teams("not json")));
  Session alone = two_teams(R"([{"team":0,"rank":1}])");
  alone.players.resize(1);
  EXPECT_FALSE(team_places(alone));
}

}  // namespace
}  // namespace webgames
