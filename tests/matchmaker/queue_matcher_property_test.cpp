// Properties of QueueMatcher on random queues and tickets (fixed seeds,
// injected time): every formed match obeys the rules in force at that
// moment, no ticket is matched twice, parties stay whole (a ticket is one
// unit), backfills obey the same rules, and after every round no valid
// match is left among the waiting tickets (checked by trying every subset).
#include "matcher_fixture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

namespace webgames {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::match_violation;
using testing::TestTicket;
using testing::valid_match_exists;

QueueSpec random_spec(std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  QueueSpec q{"q", 1 + pick(3), 1 + pick(3), 0};
  int capacity = q.teams * q.team_size;
  q.rules.max_players = capacity - pick(std::min(capacity, 2));
  q.min_players = std::max(1, q.rules.max_players - pick(3));
  q.rules.min_team_size = q.min_players >= q.teams * 1 && pick(2) ? 1 : 0;
  q.rules.start_below_max_after = seconds(pick(2) ? 5 : 0);
  if (pick(3)) q.rules.skill.window = {{seconds(0), 50.0 * pick(3)}, {seconds(4), 200}, {seconds(9), 400}};
  if (pick(2)) q.rules.latency.max_ping = {{seconds(0), 60}, {seconds(6), 120}};
  if (pick(2)) q.rules.attributes.push_back({"mode", AttributeMust::equal});
  if (pick(4) == 0) q.rules.attributes.push_back({"platform", AttributeMust::differ});
  q.rules.balance = pick(2) == 0;
  Game g;
  g.name = "g";
  g.server.command = "/x";
  g.server.ports = {{"p", Protocol::tcp}};
  g.queues = {q};
  auto ok = validate_game(g);
  EXPECT_TRUE(ok) << ok.error().message;
  return g.queues[0];
}

TestTicket random_ticket(std::mt19937& rng, TicketKey key, const QueueSpec& spec, TimePoint now) {
  TestTicket t;
  t.key = key;
  t.seq = key;
  t.players =
      1 + static_cast<int>(rng() % static_cast<unsigned>(std::min({spec.team_size, spec.rules.max_players, 3})));
  std::normal_distribution<double> skill(1500, 200);
  t.skill = std::round(skill(rng));
  t.created_at = now;
  static const char* kRegions[] = {"eu", "us", "asia"};
  for (auto r : kRegions)
    if (rng() % 3) t.pings.emplace_back(r, 10 + static_cast<int>(rng() % 140));
  static const char* kModes[] = {"ranked", "casual"};
  static const char* kPlatforms[] = {"pc", "xbox", "ps5"};
  if (rng() % 5) t.tags.emplace_back("mode", kModes[rng() % 2]);
  t.tags.emplace_back("platform", kPlatforms[rng() % 3]);
  return t;
}

MatcherOptions exhaustive() {
  MatcherOptions o;
  o.pack_budget = 50'000'000;  // small cases: the search never gives up
  return o;
}

TEST(QueueMatcherProperties, MatchesObeyTheRulesAndNoValidMatchIsLeft) {
  std::mt19937 rng(20261125);
  int formed = 0;
  for (int scenario = 0; scenario < 300; ++scenario) {
    auto spec = random_spec(rng);
    QueueMatcher m(spec, exhaustive());
    ManualClock clock;
    std::map<TicketKey, TestTicket> tickets;
    std::set<TicketKey> waiting, matched;
    TicketKey next = 1;
    for (int step = 0; step < 30; ++step) {
      int arrivals = static_cast<int>(rng() % 3);
      for (int i = 0; i < arrivals && waiting.size() < 9; ++i) {
        auto t = random_ticket(rng, next++, spec, clock.now());
        auto& stored = tickets[t.key] = std::move(t);
        ASSERT_TRUE(m.add(stored.view()));
        waiting.insert(stored.key);
      }
      if (!waiting.empty() && rng() % 10 == 0) {  // a cancel
        auto k = *waiting.begin();
        ASSERT_TRUE(m.remove(k));
        waiting.erase(k);
      }
      auto round = m.match(clock.now());
      for (const auto& match : round.matches) {
        ++formed;
        ASSERT_EQ(match_violation(spec, tickets, match.teams, match.region, clock.now()), "")
            << "scenario " << scenario << " step " << step << " teams " << spec.teams << "x" << spec.team_size
            << " players " << spec.min_players << ".." << spec.rules.max_players << " min team "
            << spec.rules.min_team_size << " below after " << spec.rules.start_below_max_after->count();
        for (const auto& team : match.teams)
          for (auto k : team) {
            ASSERT_TRUE(waiting.erase(k)) << "ticket " << k << " was not waiting";
            ASSERT_TRUE(matched.insert(k).second) << "ticket " << k << " in two matches";
          }
      }
      ASSERT_EQ(m.waiting(), waiting.size());
      std::vector<const TestTicket*> left;
      for (auto k : waiting) left.push_back(&tickets.at(k));
      ASSERT_FALSE(valid_match_exists(spec, left, clock.now()))
          << "scenario " << scenario << " step " << step << ": a valid match was left among " << left.size();
      clock.advance(milliseconds(500 + rng() % 1500));
    }
  }
  EXPECT_GT(formed, 300);  // the scenarios do form matches
}

TEST(QueueMatcherProperties, BackfillsObeyTheRules) {
  std::mt19937 rng(7);
  int fills = 0;
  for (int scenario = 0; scenario < 300; ++scenario) {
    auto spec = random_spec(rng);
    QueueMatcher m(spec, exhaustive());
    ManualClock clock;
    std::map<TicketKey, TestTicket> tickets;
    for (TicketKey k = 1; k <= 12; ++k) {
      auto t = random_ticket(rng, k, spec, clock.now());
      auto& stored = tickets[k] = std::move(t);
      // Keep them apart so that they do not match each other first.
      ASSERT_TRUE(m.add(stored.view()));
    }
    m.match(clock.now());
    BackfillRequest r;
    r.key = 1;
    r.team = static_cast<int>(rng() % static_cast<unsigned>(spec.teams));
    r.players = 1 + static_cast<int>(rng() % static_cast<unsigned>(spec.team_size));
    r.region = rng() % 2 ? "eu" : "us";
    r.skills = {1400.0 + static_cast<double>(rng() % 200)};
    r.tag_values = {{"mode", "ranked"}, {"platform", "pc"}};
    r.requested_at = clock.now();
    ASSERT_TRUE(m.request_backfill(r));
    for (int step = 0; step < 12; ++step) {
      auto round = m.match(clock.now());
      for (const auto& f : round.backfills) {
        ++fills;
        auto waited = std::chrono::duration_cast<milliseconds>(clock.now() - r.requested_at);
        int total = 0;
        std::set<std::string> platforms{"pc"};
        for (auto k : f.tickets) {
          const auto& t = tickets.at(k);
          total += t.players;
          if (spec.rules.skill.enabled()) {
            EXPECT_LE(std::abs(t.skill - r.skills[0]), window_at(spec.rules.skill.window, waited));
          }
          if (spec.rules.latency.enabled()) {
            ASSERT_TRUE(t.ping(r.region));
            EXPECT_LE(*t.ping(r.region), window_at(spec.rules.latency.max_ping, waited));
          }
          for (const auto& a : spec.rules.attributes) {
            if (a.must == AttributeMust::equal) {
              EXPECT_EQ(t.tag(a.tag), "ranked");
            }
            if (a.must == AttributeMust::differ) {
              EXPECT_TRUE(platforms.insert(t.tag(a.tag)).second);
            }
          }
        }
        EXPECT_EQ(f.team, r.team);
        EXPECT_LE(total, r.players);
        if (waited < *spec.rules.start_below_max_after) {
          EXPECT_EQ(total, r.players);
        }
        EXPECT_GE(total, 1);
      }
      clock.advance(seconds(1));
    }
  }
  EXPECT_GT(fills, 50);
}

}  // namespace
}  // namespace webgames
