#include "input_budget.h"

#include <gtest/gtest.h>

namespace arena {
namespace {

TEST(InputBudget, LetsABurstThroughThenSixtyASecond) {
  InputBudget budget(30, 60, 20);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(budget.spend()) << i;
  EXPECT_FALSE(budget.spend());
  // One second: 60 more, spent as they come (two per tick at 30 ticks/s).
  int allowed = 0;
  for (int t = 0; t < 30; ++t) {
    budget.tick();
    for (int k = 0; k < 5; ++k) allowed += budget.spend() ? 1 : 0;
  }
  EXPECT_EQ(allowed, 60);
}

TEST(InputBudget, RefillsNoFurtherThanTheBurst) {
  InputBudget budget(20, 60, 5);
  for (int t = 0; t < 1000; ++t) budget.tick();
  int allowed = 0;
  for (int k = 0; k < 100; ++k) allowed += budget.spend() ? 1 : 0;
  EXPECT_EQ(allowed, 5);
}

}  // namespace
}  // namespace arena
