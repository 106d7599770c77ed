#include "matchmaker/fifo_matchmaker.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace webgames {
namespace {

using std::chrono::seconds;

class FifoMatchmakerTest : public ::testing::Test {
 protected:
  ManualClock clock;
  std::vector<std::unique_ptr<Ticket>> storage;

  const Ticket* ticket(std::size_t party_size, std::string id = {}) {
    auto t = std::make_unique<Ticket>();
    t->id = id.empty() ? "t" + std::to_string(storage.size()) : id;
    for (std::size_t i = 0; i < party_size; ++i) t->players.push_back(t->id + "-p" + std::to_string(i));
    t->created_at = clock.now();
    clock.advance(std::chrono::milliseconds(1));
    storage.push_back(std::move(t));
    return storage.back().get();
  }
  static QueueSpec queue(int teams, int team_size, int min_players = 0) {
    return QueueSpec{"q", teams, team_size, min_players == 0 ? teams * team_size : min_players};
  }
};

TEST_F(FifoMatchmakerTest, PairsOneVersusOneInArrivalOrder) {
  FifoMatchmaker mm;
  std::vector<const Ticket*> waiting{ticket(1), ticket(1), ticket(1)};
  auto matches = mm.match(queue(2, 1), waiting, clock.now());
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].team_tickets[0][0], waiting[0]);
  EXPECT_EQ(matches[0].team_tickets[1][0], waiting[1]);  // the third waits
}

TEST_F(FifoMatchmakerTest, NeverSplitsAPartyAndBalancesTeams) {
  FifoMatchmaker mm;
  // 2v2: a party of two, then two solos: the party takes one team.
  std::vector<const Ticket*> waiting{ticket(1), ticket(2), ticket(1)};
  auto matches = mm.match(queue(2, 2), waiting, clock.now());
  ASSERT_EQ(matches.size(), 1u);
  for (const auto& team : matches[0].team_tickets) {
    std::size_t players = 0;
    for (const auto* t : team) players += t->players.size();
    EXPECT_EQ(players, 2u);
  }
}

TEST_F(FifoMatchmakerTest, APartyArrivingAfterTwoSolosStillMatches) {
  FifoMatchmaker mm;
  // 2v2: the solos landed on both teams, which leaves no room for the pair in
  // arrival order; packed largest first, the pair faces the two solos.
  std::vector<const Ticket*> waiting{ticket(1), ticket(1), ticket(2)};
  auto matches = mm.match(queue(2, 2), waiting, clock.now());
  ASSERT_EQ(matches.size(), 1u);
  for (const auto& team : matches[0].team_tickets) {
    std::size_t players = 0;
    for (const auto* t : team) players += t->players.size();
    EXPECT_EQ(players, 2u);
  }
}

TEST_F(FifoMatchmakerTest, APartyTooBigForWhatIsLeftWaitsForTheNextMatch) {
  FifoMatchmaker mm;
  // 3v3: solo, solo, solo, solo, then a party of 3 cannot fit the 2 seats left.
  std::vector<const Ticket*> waiting{ticket(1), ticket(1), ticket(1), ticket(1), ticket(3), ticket(1), ticket(1)};
  auto matches = mm.match(queue(2, 3), waiting, clock.now());
  ASSERT_EQ(matches.size(), 1u);
  std::set<const Ticket*> used;
  for (const auto& team : matches[0].team_tickets) used.insert(team.begin(), team.end());
  EXPECT_FALSE(used.contains(waiting[4])) << "the party of 3 would have been split";
  EXPECT_EQ(matches[0].players(), 6u);
}

TEST_F(FifoMatchmakerTest, StartsBelowTheMaximumOnlyAfterTheWait) {
  FifoMatchmaker mm(seconds(10));
  std::vector<const Ticket*> waiting{ticket(1), ticket(1), ticket(1)};
  auto q = queue(4, 1, /*min_players=*/3);
  EXPECT_TRUE(mm.match(q, waiting, clock.now()).empty());
  clock.advance(seconds(10));
  auto matches = mm.match(q, waiting, clock.now());
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].players(), 3u);
  // Below min_players nothing starts, however long they wait.
  std::vector<const Ticket*> two{waiting[0], waiting[1]};
  clock.advance(seconds(3600));
  EXPECT_TRUE(mm.match(q, two, clock.now()).empty());
}

// Random queues: no ticket in two matches, no party split, every match the
// right size, and no more tickets left waiting than could not form a match.
TEST_F(FifoMatchmakerTest, PropertiesHoldOnRandomQueues) {
  std::mt19937 rng(42);
  FifoMatchmaker mm;
  for (int round = 0; round < 200; ++round) {
    storage.clear();
    int teams = 1 + static_cast<int>(rng() % 4);
    int team_size = 1 + static_cast<int>(rng() % 5);
    std::vector<const Ticket*> waiting;
    int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) waiting.push_back(ticket(1 + rng() % static_cast<unsigned>(team_size)));
    auto q = queue(teams, team_size);
    auto matches = mm.match(q, waiting, clock.now());
    std::set<const Ticket*> seen;
    for (const auto& m : matches) {
      ASSERT_EQ(m.team_tickets.size(), static_cast<std::size_t>(teams));
      for (const auto& team : m.team_tickets) {
        std::size_t players = 0;
        for (const auto* t : team) {
          ASSERT_TRUE(seen.insert(t).second) << "ticket in two matches";
          players += t->players.size();
        }
        ASSERT_EQ(players, static_cast<std::size_t>(team_size));
      }
    }
    std::size_t solos_left = 0;
    for (const auto* t : waiting)
      if (!seen.contains(t) && t->players.size() == 1) ++solos_left;
    // Solo players alone could always fill a match: never more than one match's worth waits.
    EXPECT_LT(solos_left, static_cast<std::size_t>(teams * team_size));
  }
}

}  // namespace
}  // namespace webgames
