#include "loadgen/load_stats.h"
#include "loadgen/load_run.h"

#include <gtest/gtest.h>

namespace webgames::loadgen {
namespace {

using namespace std::chrono_literals;

TEST(PartyMix, ParsesSizesAndWeights) {
  auto mix = parse_party_mix("1:8,2:2");
  ASSERT_TRUE(mix);
  ASSERT_EQ(mix->size(), 2u);
  EXPECT_EQ((*mix)[0].size, 1);
  EXPECT_EQ((*mix)[0].weight, 8);
  EXPECT_EQ((*mix)[1].size, 2);
  EXPECT_EQ((*mix)[1].weight, 2);
}

TEST(PartyMix, RefusesWhatIsNotAMix) {
  for (const char* bad : {"", "1", "1:", ":3", "0:1", "17:1", "1:0", "1:1001", "1:2,", "a:b", "1:2;2:1", "1:2x"}) {
    auto mix = parse_party_mix(bad);
    EXPECT_FALSE(mix) << bad;
    if (!mix) {
      EXPECT_EQ(mix.error().field, "party-mix");
    }
  }
}

TEST(LoadStats, CountsEachSessionOnceAndTicketsByEnd) {
  LoadStats::Clock::time_point start{};
  LoadStats stats(start);
  stats.set_players(4);
  for (int i = 0; i < 3; ++i) stats.ticket_created();
  stats.ticket_ended(TicketEnd::matched);
  stats.ticket_ended(TicketEnd::cancelled);
  stats.player_told(true);
  stats.player_told(false);
  stats.game_over("ses_1");
  stats.game_over("ses_1");
  stats.game_over("ses_2");
  stats.ttp(10ms, 12ms);
  stats.ttp_ready_only(30ms);
  stats.error("game_lost");
  stats.error("game_lost");

  auto r = stats.snapshot(start + 2s);
  EXPECT_EQ(r.matches, 2);
  EXPECT_EQ(r.games, 3);
  EXPECT_EQ(r.tickets_pending, 1);
  auto j = report_json(r);
  EXPECT_EQ(j.at("matches_per_s").as_double(), 1.0);
  EXPECT_EQ(j.at("ttp_max_ms").as_double(), 12.0);
  EXPECT_EQ(j.at("ttp_ready_max_ms").as_double(), 30.0);
  EXPECT_EQ(j.at("error_count").as_int64(), 2);
  EXPECT_EQ(j.at("errors").as_object().at("game_lost").as_int64(), 2);
  EXPECT_EQ(j.at("tickets").as_object().at("players_untold").as_int64(), 1);
  EXPECT_NE(progress_line(r).find("2 matches (1.0/s)"), std::string::npos) << progress_line(r);
}

TEST(LoadStats, PercentileIsNearestRank) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  EXPECT_EQ(percentile(v, 50), 50);
  EXPECT_EQ(percentile(v, 99), 99);
  EXPECT_EQ(percentile(v, 100), 100);
  EXPECT_EQ(percentile({}, 99), 0);
}

}  // namespace
}  // namespace webgames::loadgen
