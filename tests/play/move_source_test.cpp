#include "play/move_source.h"

#include <gtest/gtest.h>

#include <sstream>

namespace webgames::play {
namespace {

TEST(PromptedMoves, AsksAgainUntilTheInputIsAMove) {
  std::istringstream in("banana\n\nP\nrock\n");
  std::ostringstream prompt;
  PromptedMoves moves(in, prompt);
  auto first = moves.next_move(1);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, Move::paper);
  auto second = moves.next_move(2);
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, Move::rock);
  EXPECT_NE(prompt.str().find("'banana' is not a move"), std::string::npos) << prompt.str();
  EXPECT_NE(prompt.str().find("round 2, your move"), std::string::npos);
}

TEST(PromptedMoves, FailsWhenTheInputEnds) {
  std::istringstream in("nope\n");
  std::ostringstream prompt;
  PromptedMoves moves(in, prompt);
  auto move = moves.next_move(1);
  ASSERT_FALSE(move);
  EXPECT_EQ(move.error().code, Errc::invalid_request);
  EXPECT_NE(move.error().message.find("--auto"), std::string::npos);
}

TEST(RandomMoves, AreReproducibleAndUseEveryMove) {
  RandomMoves a(42);
  RandomMoves b(42);
  bool seen[3] = {};
  for (int round = 1; round <= 60; ++round) {
    auto ma = a.next_move(round).value();
    EXPECT_EQ(ma, b.next_move(round).value());
    seen[static_cast<int>(ma)] = true;
  }
  EXPECT_TRUE(seen[0] && seen[1] && seen[2]);
}

}  // namespace
}  // namespace webgames::play
