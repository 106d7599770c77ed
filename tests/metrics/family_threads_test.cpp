// Family from several threads at once: one series per label values however
// the insertions race, and no count lost.

#include "metrics/family.h"

#include <gtest/gtest.h>

#include <thread>

namespace webgames::metrics {
namespace {

TEST(FamilyThreads, RacingInsertionsMakeOneSeriesEachAndLoseNoCount) {
  Family<Counter> f({"game"});
  constexpr int kThreads = 4, kRounds = 2000, kGames = 16;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kRounds; ++i) f.at({std::to_string(i % kGames)}).inc();
    });
  for (auto& t : threads) t.join();
  int series = 0;
  std::uint64_t total = 0;
  f.for_each([&](const auto&, const auto&, const Counter& c) {
    ++series;
    total += c.get();
  });
  EXPECT_EQ(series, kGames);
  EXPECT_EQ(total, static_cast<std::uint64_t>(kThreads) * kRounds);
}

}  // namespace
}  // namespace webgames::metrics
