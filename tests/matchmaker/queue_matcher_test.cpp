// Behaviour of QueueMatcher case by case: the rule-less queue of the former
// first-in first-out matchmaker, then each rule of docs/matchmaking.md.
#include "matcher_fixture.h"

#include <gtest/gtest.h>

#include <set>

namespace webgames {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::match_violation;
using testing::queue_spec;
using testing::TestTicket;

class QueueMatcherTest : public ::testing::Test {
 protected:
  ManualClock clock;
  std::map<TicketKey, TestTicket> tickets;

  TicketKey add(QueueMatcher& m, int players, double skill = 0, std::vector<std::pair<std::string, int>> pings = {},
                std::vector<std::pair<std::string, std::string>> tags = {}) {
    TestTicket t;
    t.key = tickets.size() + 1;
    t.players = players;
    t.skill = skill;
    t.created_at = clock.now();
    t.seq = t.key;
    t.pings = std::move(pings);
    t.tags = std::move(tags);
    auto& stored = tickets[t.key] = std::move(t);
    EXPECT_TRUE(m.add(stored.view()));
    clock.advance(milliseconds(1));
    return stored.key;
  }
  int players(const std::vector<TicketKey>& team) {
    int n = 0;
    for (auto k : team) n += tickets.at(k).players;
    return n;
  }
  void expect_valid(const QueueSpec& spec, const FormedMatch& m) {
    EXPECT_EQ(match_violation(spec, tickets, m.teams, m.region, clock.now()), "");
  }
};

TEST_F(QueueMatcherTest, PairsOneVersusOneOldestFirst) {
  QueueMatcher m(queue_spec(2, 1));
  auto a = add(m, 1), b = add(m, 1);
  add(m, 1);
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  std::set<TicketKey> got{round.matches[0].teams[0][0], round.matches[0].teams[1][0]};
  EXPECT_EQ(got, (std::set<TicketKey>{a, b}));  // the third waits
  EXPECT_EQ(m.waiting(), 1u);
}

TEST_F(QueueMatcherTest, NeverSplitsAPartyAndFillsTeamsExactly) {
  auto spec = queue_spec(2, 2);
  QueueMatcher m(spec);
  add(m, 1);
  add(m, 1);
  add(m, 2);  // arrives after two solos: they must share a team
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  for (const auto& team : round.matches[0].teams) EXPECT_EQ(players(team), 2);
  expect_valid(spec, round.matches[0]);
}

TEST_F(QueueMatcherTest, APartyTooBigForWhatIsLeftWaitsForTheNextMatch) {
  auto spec = queue_spec(2, 3);
  QueueMatcher m(spec);
  for (int i = 0; i < 4; ++i) add(m, 1);
  auto trio = add(m, 3);
  add(m, 1);
  add(m, 1);
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  expect_valid(spec, round.matches[0]);
  EXPECT_TRUE(m.contains(trio) || m.waiting() == 1u);
}

TEST_F(QueueMatcherTest, StartsBelowTheMaximumOnlyAfterTheWait) {
  auto spec = queue_spec(4, 1, 3);
  spec.rules.start_below_max_after = seconds(10);
  QueueMatcher m(spec);
  add(m, 1), add(m, 1), add(m, 1);
  EXPECT_TRUE(m.match(clock.now()).matches.empty());
  clock.advance(seconds(10));
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  EXPECT_EQ(players(round.matches[0].teams[0]) + players(round.matches[0].teams[1]) +
                players(round.matches[0].teams[2]) + players(round.matches[0].teams[3]),
            3);
  // Below min_players nothing starts, however long they wait.
  add(m, 1), add(m, 1);
  clock.advance(seconds(3600));
  EXPECT_TRUE(m.match(clock.now()).matches.empty());
}

TEST_F(QueueMatcherTest, SkillWindowWidensWithTheAnchorsWait) {
  auto spec = queue_spec(2, 1);
  spec.rules.skill.window = {{seconds(0), 50}, {seconds(10), 300}};
  QueueMatcher m(spec);
  add(m, 1, 1000);
  add(m, 1, 1200);
  EXPECT_TRUE(m.match(clock.now()).matches.empty());
  clock.advance(seconds(5));
  EXPECT_TRUE(m.match(clock.now()).matches.empty());
  clock.advance(seconds(5));
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  EXPECT_EQ(round.matches[0].quality.skill_spread, 200);
  expect_valid(spec, round.matches[0]);
}

TEST_F(QueueMatcherTest, PrefersTheNearestSkill) {
  auto spec = queue_spec(2, 1);
  spec.rules.skill.window = {{seconds(0), 500}};
  QueueMatcher m(spec);
  auto a = add(m, 1, 1000);
  add(m, 1, 1400);
  auto near = add(m, 1, 1010);
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  std::set<TicketKey> got{round.matches[0].teams[0][0], round.matches[0].teams[1][0]};
  EXPECT_EQ(got, (std::set<TicketKey>{a, near}));
}

TEST_F(QueueMatcherTest, ALateArrivalWakesAnOldTicketWithAWideWindow) {
  auto spec = queue_spec(2, 1);
  spec.rules.skill.window = {{seconds(0), 10}, {seconds(30), 500}};
  QueueMatcher m(spec);
  add(m, 1, 1000);
  clock.advance(seconds(31));
  EXPECT_TRUE(m.match(clock.now()).matches.empty());  // alone
  add(m, 1, 1400);                                    // beyond its own window, within the old ticket's
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  expect_valid(spec, round.matches[0]);
}

TEST_F(QueueMatcherTest, PlacesTheMatchWhereEveryPingIsUnderTheLimit) {
  auto spec = queue_spec(2, 1);
  spec.rules.latency.max_ping = {{seconds(0), 50}, {seconds(20), 150}};
  QueueMatcher m(spec);
  add(m, 1, 0, {{"eu", 20}, {"us", 120}});
  add(m, 1, 0, {{"eu", 90}, {"us", 30}});
  EXPECT_TRUE(m.match(clock.now()).matches.empty());
  clock.advance(seconds(20));
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  EXPECT_EQ(round.matches[0].region, "eu");  // the anchor's lowest ping first
  EXPECT_EQ(round.matches[0].quality.ping_spread_ms, 70);
  expect_valid(spec, round.matches[0]);
}

TEST_F(QueueMatcherTest, WithoutALatencyRuleTheRegionIsTheLowestWorstPing) {
  QueueMatcher m(queue_spec(2, 1));
  add(m, 1, 0, {{"eu", 20}, {"us", 120}, {"asia", 300}});
  add(m, 1, 0, {{"eu", 90}, {"us", 30}});
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  EXPECT_EQ(round.matches[0].region, "eu");
}

TEST_F(QueueMatcherTest, AttributesMustBeEqualOrDiffer) {
  auto spec = queue_spec(2, 1);
  spec.rules.attributes = {{"mode", AttributeMust::equal}, {"platform", AttributeMust::differ}};
  QueueMatcher m(spec);
  add(m, 1, 0, {}, {{"mode", "ranked"}, {"platform", "pc"}});
  add(m, 1, 0, {}, {{"mode", "casual"}, {"platform", "xbox"}});
  add(m, 1, 0, {}, {{"mode", "ranked"}, {"platform", "pc"}});
  EXPECT_TRUE(m.match(clock.now()).matches.empty());
  add(m, 1, 0, {}, {{"mode", "ranked"}, {"platform", "ps5"}});
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  expect_valid(spec, round.matches[0]);
  EXPECT_EQ(m.waiting(), 2u);
}

TEST_F(QueueMatcherTest, BalanceEvensTheTeamsSkillSums) {
  auto spec = queue_spec(2, 2);
  spec.rules.skill.window = {{seconds(0), 1000}};
  spec.rules.balance = true;
  QueueMatcher m(spec);
  add(m, 1, 1000), add(m, 1, 1100), add(m, 1, 1900), add(m, 1, 2000);
  auto round = m.match(clock.now());
  ASSERT_EQ(round.matches.size(), 1u);
  double sums[2] = {0, 0};
  for (int t = 0; t < 2; ++t)
    for (auto k : round.matches[0].teams[t]) sums[t] += tickets.at(k).skill;
  EXPECT_EQ(sums[0], sums[1]);  // 1000 + 2000 against 1100 + 1900
}

TEST_F(QueueMatcherTest, RemovedTicketsAreNotMatched) {
  QueueMatcher m(queue_spec(2, 1));
  auto a = add(m, 1);
  EXPECT_TRUE(m.remove(a));
  EXPECT_FALSE(m.remove(a));
  add(m, 1);
  EXPECT_TRUE(m.match(clock.now()).matches.empty());
  EXPECT_EQ(m.waiting(), 1u);
}

TEST_F(QueueMatcherTest, RefusesBadTickets) {
  QueueMatcher m(queue_spec(2, 2));
  TestTicket big;
  big.key = 7;
  big.players = 3;
  EXPECT_EQ(m.add(big.view()).error().code, Errc::invalid_field);
  big.players = 1;
  EXPECT_TRUE(m.add(big.view()));
  EXPECT_EQ(m.add(big.view()).error().code, Errc::conflict);
}

TEST_F(QueueMatcherTest, BackfillSendsTicketsThatFitTheSession) {
  auto spec = queue_spec(2, 3);
  spec.rules.skill.window = {{seconds(0), 100}};
  spec.rules.latency.max_ping = {{seconds(0), 80}};
  spec.rules.start_below_max_after = seconds(5);
  QueueMatcher m(spec);
  add(m, 1, 1500, {{"eu", 200}});  // too far
  add(m, 1, 2000, {{"us", 20}});   // too strong
  auto good = add(m, 2, 1450, {{"us", 40}});
  ASSERT_TRUE(m.request_backfill({1, 1, 3, "us", {1500, 1520}, {}, clock.now()}));
  auto round = m.match(clock.now());
  EXPECT_TRUE(round.backfills.empty());  // 3 asked, 2 fit: wait for more
  clock.advance(seconds(5));
  round = m.match(clock.now());
  ASSERT_EQ(round.backfills.size(), 1u);
  EXPECT_EQ(round.backfills[0].team, 1);
  EXPECT_EQ(round.backfills[0].tickets, std::vector<TicketKey>{good});
  EXPECT_EQ(m.stats(clock.now()).pending_backfills, 0u);
}

TEST_F(QueueMatcherTest, StatsCountWaitingMatchesAndWaits) {
  QueueMatcher m(queue_spec(2, 1));
  add(m, 1);
  clock.advance(seconds(4));
  add(m, 1);
  add(m, 2 - 1);
  auto st = m.stats(clock.now());
  EXPECT_EQ(st.waiting_tickets, 3u);
  EXPECT_GE(st.oldest_wait, seconds(4));
  m.match(clock.now());
  st = m.stats(clock.now());
  EXPECT_EQ(st.waiting_tickets, 1u);
  EXPECT_EQ(st.matches_per_minute, 1);
  EXPECT_GE(st.p95_wait, seconds(4));
  EXPECT_GT(st.mean_quality, 0);
}

}  // namespace
}  // namespace webgames
