// The waiting tickets of a queue by skill, region and wait, each wait band
// with the rule steps in force (matchmaker/queue_breakdown.h).

#include "matchmaker/queue_breakdown.h"
#include "matcher_fixture.h"

#include <gtest/gtest.h>

namespace webgames::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const TimePoint t0{seconds{1'700'000'000}};

// A 4-team queue (nothing matches with two tickets waiting in it), with a
// skill window widening at 10 s and 40 s, pings widening at 20 s, and a
// start below max after 15 s.
QueueSpec widening_queue() {
  auto q = queue_spec(4, 1, 2);
  q.rules.skill.window = {{seconds(0), 50}, {seconds(10), 100}, {seconds(40), 400}};
  q.rules.latency.max_ping = {{seconds(0), 60}, {seconds(20), 150}};
  q.rules.start_below_max_after = milliseconds(15'000);
  return q;
}

void add(QueueMatcher& m, TicketKey key, double skill, TimePoint created,
         std::vector<std::pair<std::string, int>> pings, int players = 1) {
  TestTicket t{key, players, skill, created, key, std::move(pings), {}};
  ASSERT_TRUE(m.add(t.view()));
}

TEST(QueueBreakdownTest, WaitBandsFollowTheRuleSteps) {
  QueueMatcher m(widening_queue());
  add(m, 1, 1500, t0, {{"eu", 30}, {"us", 90}});
  add(m, 2, 1510, t0 + seconds(25), {{"us", 20}});
  add(m, 3, 1900, t0 + seconds(32), {});
  auto b = break_down(m, t0 + seconds(35));
  EXPECT_EQ(b.counted, 3u);
  EXPECT_TRUE(b.complete);

  auto band_of = [&](milliseconds waited) -> const WaitBand& {
    for (const auto& w : b.by_wait)
      if (w.from <= waited && (!w.to || waited < *w.to)) return w;
    throw std::logic_error("no band");
  };
  // Every step's start is an edge; each band says what is in force.
  for (auto edge : {seconds(10), seconds(15), seconds(20), seconds(40)})
    EXPECT_EQ(band_of(edge).from, edge) << edge.count();
  EXPECT_EQ(band_of(seconds(0)).skill_window, 50);
  EXPECT_EQ(band_of(seconds(0)).max_ping_ms, 60);
  EXPECT_FALSE(band_of(seconds(0)).below_max);
  EXPECT_EQ(band_of(seconds(12)).skill_step, 1);
  EXPECT_EQ(band_of(seconds(12)).skill_window, 100);
  EXPECT_TRUE(band_of(seconds(16)).below_max);
  EXPECT_EQ(band_of(seconds(21)).ping_step, 1);
  EXPECT_EQ(band_of(seconds(21)).max_ping_ms, 150);
  EXPECT_EQ(band_of(seconds(45)).skill_window, 400);
  EXPECT_FALSE(b.by_wait.back().to);

  // Waited 35 s, 10 s and 3 s.
  EXPECT_EQ(band_of(seconds(35)).tickets, 1u);
  EXPECT_EQ(band_of(seconds(10)).tickets, 1u);
  EXPECT_EQ(band_of(seconds(3)).tickets, 1u);
  std::size_t total = 0;
  for (const auto& w : b.by_wait) total += w.tickets;
  EXPECT_EQ(total, 3u);
}

TEST(QueueBreakdownTest, BySkillAndRegion) {
  QueueMatcher m(widening_queue());
  add(m, 1, 1500, t0, {{"eu", 30}, {"us", 90}}, 1);
  add(m, 2, 1510, t0, {{"us", 20}});
  add(m, 3, 1900, t0, {});
  auto b = break_down(m, t0 + seconds(1));

  ASSERT_EQ(b.by_region.size(), 3u);
  std::map<std::string, std::size_t> regions;
  for (const auto& r : b.by_region) regions[r.region] = r.tickets;
  EXPECT_EQ(regions, (std::map<std::string, std::size_t>{{"", 1}, {"eu", 1}, {"us", 1}}));

  ASSERT_FALSE(b.by_skill.empty());
  EXPECT_LE(b.by_skill.size(), 21u);
  EXPECT_LE(b.by_skill.front().from, 1500);
  EXPECT_GT(b.by_skill.back().to, 1900);
  std::size_t total = 0;
  for (const auto& s : b.by_skill) {
    EXPECT_LT(s.from, s.to);
    total += s.tickets;
  }
  EXPECT_EQ(total, 3u);
  EXPECT_EQ(b.by_skill.front().tickets, 2u);  // 1500 and 1510 share the first band (width 20)
  EXPECT_EQ(b.by_skill.back().tickets, 1u);
}

TEST(QueueBreakdownTest, BoundedAndEmpty) {
  auto spec = queue_spec(4, 1);
  QueueMatcher empty(spec);
  auto none = break_down(empty, t0);
  EXPECT_EQ(none.counted, 0u);
  EXPECT_TRUE(none.by_skill.empty());
  EXPECT_TRUE(none.by_region.empty());
  EXPECT_FALSE(none.by_wait.empty());
  EXPECT_EQ(none.by_wait.front().skill_step, -1);
  EXPECT_FALSE(none.by_wait.front().skill_window);

  QueueMatcher m(widening_queue());
  for (TicketKey k = 1; k <= 50; ++k) add(m, k, 1000 + 37.0 * static_cast<double>(k), t0, {});
  auto b = break_down(m, t0, {.max_tickets = 20, .skill_bands = 5});
  EXPECT_EQ(b.counted, 20u);
  EXPECT_FALSE(b.complete);
  EXPECT_LE(b.by_skill.size(), 6u);
}

}  // namespace
}  // namespace webgames::testing
