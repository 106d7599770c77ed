// The games cache (store/game_cache.h): entries expire, writes erase them,
// a read that raced a write is not kept, a takeover forgets them all.

#include "store/game_cache.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

using namespace std::chrono_literals;

Game game(std::string name) {
  Game g;
  g.id = "gam_" + name;
  g.name = std::move(name);
  return g;
}

TEST(GameCache, KeepsAGameUntilItsTimeIsUp) {
  ManualClock clock;
  GameCache cache(clock, 5s);
  cache.put(game("chess"), cache.generation());
  ASSERT_NE(cache.find("chess"), nullptr);
  EXPECT_EQ(cache.find("chess")->game.id, "gam_chess");
  clock.advance(5s);
  EXPECT_EQ(cache.find("chess"), nullptr);
}

TEST(GameCache, AReadThatRacedAWriteIsAnsweredButNotKept) {
  ManualClock clock;
  GameCache cache(clock);
  auto before = cache.generation();
  cache.erase("chess");  // a write lands while the read is under way
  EXPECT_NE(cache.put(game("chess"), before), nullptr);
  EXPECT_EQ(cache.find("chess"), nullptr);
}

TEST(GameCache, ClearForgetsEveryGameAndTheReadsUnderWay) {
  ManualClock clock;
  GameCache cache(clock);
  cache.put(game("chess"), cache.generation());
  cache.put(game("go"), cache.generation());
  auto under_way = cache.generation();
  cache.clear();
  EXPECT_EQ(cache.find("chess"), nullptr);
  EXPECT_EQ(cache.find("go"), nullptr);
  cache.put(game("chess"), under_way);
  EXPECT_EQ(cache.find("chess"), nullptr);
  cache.put(game("chess"), cache.generation());
  EXPECT_NE(cache.find("chess"), nullptr);
}

}  // namespace
}  // namespace webgames
