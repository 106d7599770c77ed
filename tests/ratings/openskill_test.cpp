#include "ratings/openskill.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

constexpr double kTolerance = 1e-9;

// The worked example published with OpenSkill (openskill.js and its ports'
// READMEs): a1, a2 beat b1, b2 under the default Plackett-Luce model.
TEST(OpenSkill, MatchesThePublishedTwoVersusTwoExample) {
  std::vector<std::vector<Rating>> teams{{Rating{}, Rating{32.444, 5.123}},
                                         {Rating{43.381, 2.421}, Rating{25.188, 6.211}}};
  std::vector<int> ranks{1, 2};
  auto rated = rate(teams, ranks);
  ASSERT_EQ(rated.size(), 2u);
  EXPECT_NEAR(rated[0][0].mu, 28.669648436582808, kTolerance);
  EXPECT_NEAR(rated[0][0].sigma, 8.071520788025197, kTolerance);
  EXPECT_NEAR(rated[0][1].mu, 33.83086971107981, kTolerance);
  EXPECT_NEAR(rated[0][1].sigma, 5.062772998705765, kTolerance);
  EXPECT_NEAR(rated[1][0].mu, 43.071274808241974, kTolerance);
  EXPECT_NEAR(rated[1][0].sigma, 2.4166900452721256, kTolerance);
  EXPECT_NEAR(rated[1][1].mu, 23.149503312339064, kTolerance);
  EXPECT_NEAR(rated[1][1].sigma, 6.1378606973362135, kTolerance);
}

TEST(OpenSkill, WinnersGoUpLosersGoDownAndEveryoneGetsSurer) {
  std::vector<std::vector<Rating>> teams{{Rating{20, 6}}, {Rating{30, 4}}, {Rating{25, 8}}};
  std::vector<int> ranks{1, 2, 3};
  auto rated = rate(teams, ranks);
  EXPECT_GT(rated[0][0].mu, 20);
  EXPECT_LT(rated[2][0].mu, 25);
  for (std::size_t t = 0; t < teams.size(); ++t) EXPECT_LT(rated[t][0].sigma, teams[t][0].sigma) << t;
}

TEST(OpenSkill, UpsetMovesMoreThanExpectedResult) {
  std::vector<std::vector<Rating>> teams{{Rating{35, 5}}, {Rating{15, 5}}};
  auto expected = rate(teams, std::vector<int>{1, 2});
  auto upset = rate(teams, std::vector<int>{2, 1});
  EXPECT_GT(upset[1][0].mu - 15, expected[0][0].mu - 35);
}

TEST(OpenSkill, TieBetweenEqualPlayersKeepsTheirMeans) {
  std::vector<std::vector<Rating>> teams{{Rating{}}, {Rating{}}};
  auto rated = rate(teams, std::vector<int>{1, 1});
  EXPECT_NEAR(rated[0][0].mu, Rating::initial_mu, kTolerance);
  EXPECT_NEAR(rated[1][0].mu, Rating::initial_mu, kTolerance);
  EXPECT_LT(rated[0][0].sigma, Rating::initial_sigma);
}

TEST(OpenSkill, OrdinalIsConservative) { EXPECT_NEAR(Rating{}.ordinal(), 0.0, kTolerance); }

}  // namespace
}  // namespace webgames
