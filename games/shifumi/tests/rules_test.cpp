#include "rules.h"

#include <gtest/gtest.h>

namespace shifumi {
namespace {

using enum Move;

// Plays one round: seat 0 moves `a`, seat 1 moves `b`.
Round play(Match& m, Move a, Move b) {
  EXPECT_FALSE(m.play(0, a));
  auto round = m.play(1, b);
  EXPECT_TRUE(round);
  return round.value_or(Round{});
}

TEST(Rules, RockBluntsScissorsWhichCutPaperWhichWrapsRock) {
  EXPECT_TRUE(beats(rock, scissors));
  EXPECT_TRUE(beats(scissors, paper));
  EXPECT_TRUE(beats(paper, rock));
  for (auto m : {rock, paper, scissors}) EXPECT_FALSE(beats(m, m));
  EXPECT_FALSE(beats(scissors, rock));
}

TEST(Rules, ReadsMovesByName) {
  EXPECT_EQ(parse_move("paper"), paper);
  EXPECT_EQ(to_string(*parse_move("scissors")), "scissors");
  EXPECT_EQ(parse_move("Rock"), std::nullopt);
  EXPECT_EQ(parse_move("lizard"), std::nullopt);
}

TEST(Match, FirstToTwoWinsABestOfThree) {
  Match m(3);
  auto r1 = play(m, rock, scissors);
  EXPECT_EQ(r1.number, 1);
  EXPECT_EQ(r1.winner, 0);
  EXPECT_FALSE(m.over());
  EXPECT_EQ(m.round(), 2);
  auto r2 = play(m, rock, paper);
  EXPECT_EQ(r2.winner, 1);
  play(m, scissors, paper);
  EXPECT_TRUE(m.over());
  EXPECT_EQ(m.winner(), 0);
  EXPECT_EQ(m.wins(0), 2);
  EXPECT_EQ(m.wins(1), 1);
}

TEST(Match, ReplaysADrawAsTheNextRound) {
  Match m(3);
  auto r = play(m, paper, paper);
  EXPECT_EQ(r.winner, std::nullopt);
  EXPECT_EQ(m.round(), 2);
  EXPECT_EQ(m.wins(0) + m.wins(1), 0);
  EXPECT_FALSE(m.has_moved(0));
}

TEST(Match, StopsAtNineRoundsAndTheHigherScoreWins) {
  Match m(3);
  play(m, rock, scissors);
  for (int i = 0; i < 7; ++i) play(m, rock, rock);
  EXPECT_FALSE(m.over());
  play(m, rock, rock);
  EXPECT_TRUE(m.over());
  EXPECT_EQ(m.round(), 9);
  EXPECT_EQ(m.winner(), 0);
}

TEST(Match, NineDrawsAreADraw) {
  Match m(3);
  for (int i = 0; i < 9; ++i) play(m, paper, paper);
  EXPECT_TRUE(m.over());
  EXPECT_EQ(m.winner(), std::nullopt);
}

TEST(Match, BestOfOneEndsAtTheFirstWin) {
  Match m(1);
  play(m, scissors, scissors);
  play(m, scissors, rock);
  EXPECT_TRUE(m.over());
  EXPECT_EQ(m.winner(), 1);
}

}  // namespace
}  // namespace shifumi
