#include "ratings/rating_book.h"

#include "sqlite/sqlite_catalog.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <thread>

namespace webgames {
namespace {

class RatingBookTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
  SqliteCatalog catalog{dir.path() / "catalog.db"};
  RatingBook book{catalog};

  static Session duel(std::string winner, std::string loser, std::string queue = "duel") {
    Session s;
    s.id = "ses_" + winner + "_" + loser;
    s.game_id = "shifumi";  // ratings are keyed by the game's id
    s.game = "shifumi";
    s.queue = std::move(queue);
    s.teams = 2;
    s.players = {{winner, winner, 0}, {loser, loser, 1}};
    s.results = R"([{"team":0,"rank":1},{"team":1,"rank":2}])";
    return s;
  }
};

TEST_F(RatingBookTest, NewPlayersStartAtTheInitialRating) {
  auto r = book.rating_of("shifumi", "duel", "alice");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->matches, 0);
  EXPECT_DOUBLE_EQ(r->rating.mu, Rating::initial_mu);
  std::vector<std::string> party{"alice", "bob"};
  EXPECT_DOUBLE_EQ(*book.skill_of("shifumi", "duel", party), Rating::initial_mu);
}

TEST_F(RatingBookTest, AnEndedSessionMovesItsPlayersInItsQueueOnly) {
  auto recorded = book.record(duel("alice", "bob"));
  ASSERT_TRUE(recorded && *recorded);
  auto alice = *book.rating_of("shifumi", "duel", "alice");
  auto bob = *book.rating_of("shifumi", "duel", "bob");
  EXPECT_EQ(alice.matches, 1);
  EXPECT_EQ(bob.matches, 1);
  EXPECT_GT(alice.rating.mu, Rating::initial_mu);
  EXPECT_LT(bob.rating.mu, Rating::initial_mu);
  EXPECT_LT(alice.rating.sigma, Rating::initial_sigma);
  EXPECT_EQ(book.rating_of("shifumi", "ranked", "alice")->matches, 0);

  // The session keeps each player's change.
  auto changes = catalog.rating_changes("ses_alice_bob").value();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].account_id, "alice");
  EXPECT_EQ(changes[0].before.mu, Rating::initial_mu);
  EXPECT_EQ(changes[0].after.mu, alice.rating.mu);
  EXPECT_EQ(changes[1].account_id, "bob");
  EXPECT_EQ(changes[1].after.mu, bob.rating.mu);

  // A party's skill is its members' mean; a new member counts as new.
  std::vector<std::string> party{"alice", "carol"};
  EXPECT_DOUBLE_EQ(*book.skill_of("shifumi", "duel", party), (alice.rating.mu + Rating::initial_mu) / 2);
}

TEST_F(RatingBookTest, TheLeaderboardRanksByOrdinalWithUsernames) {
  for (const auto* name : {"alice", "bob", "carol"})
    ASSERT_TRUE(catalog.create_account(Account{std::string("acc_") + name, name, Role::player, true, "", TimePoint{}}));
  // alice beats bob twice, bob beats carol once.
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(book.record(duel("acc_alice", "acc_bob")));
  ASSERT_TRUE(book.record(duel("acc_bob", "acc_carol")));
  auto board = catalog.leaderboard("shifumi", "duel", 10);
  ASSERT_TRUE(board);
  ASSERT_EQ(board->size(), 3u);
  EXPECT_EQ((*board)[0].username, "alice");
  EXPECT_EQ((*board)[0].rating.matches, 2);
  for (std::size_t i = 1; i < board->size(); ++i)
    EXPECT_GE((*board)[i - 1].rating.rating.ordinal(), (*board)[i].rating.rating.ordinal());
  EXPECT_EQ(catalog.leaderboard("shifumi", "duel", 1)->size(), 1u);
  EXPECT_TRUE(catalog.leaderboard("shifumi", "ranked", 10)->empty());
}

TEST_F(RatingBookTest, AnUnrankedReportChangesNothing) {
  auto s = duel("alice", "bob");
  s.results = "[]";
  auto recorded = book.record(s);
  ASSERT_TRUE(recorded && !*recorded);
  EXPECT_TRUE(catalog.rating_changes(s.id).value().empty());
  EXPECT_EQ(book.rating_of("shifumi", "duel", "alice")->matches, 0);
}

// The ticket path reads the means from memory (cached_skill_of): what a
// read or a recorded session left there, as the catalog has it.
TEST_F(RatingBookTest, KeepsTheMeansItReadAndRecordedForTheTicketPath) {
  std::vector<std::string> duo{"alice", "bob"};
  EXPECT_FALSE(book.cached_skill_of("shifumi", "duel", duo));  // nothing read yet
  ASSERT_TRUE(book.skill_of("shifumi", "duel", duo));
  EXPECT_DOUBLE_EQ(*book.cached_skill_of("shifumi", "duel", duo), Rating::initial_mu);

  ASSERT_TRUE(*book.record(duel("alice", "carol")));
  auto alice = book.rating_of("shifumi", "duel", "alice")->rating.mu;
  EXPECT_GT(alice, Rating::initial_mu);
  EXPECT_DOUBLE_EQ(*book.cached_skill_of("shifumi", "duel", duo), (alice + Rating::initial_mu) / 2);
  std::vector<std::string> carol{"carol"};  // recorded, never read: kept too
  EXPECT_DOUBLE_EQ(*book.cached_skill_of("shifumi", "duel", carol),
                   book.rating_of("shifumi", "duel", "carol")->rating.mu);
  // Another queue of the game is another rating.
  EXPECT_FALSE(book.cached_skill_of("shifumi", "ranked", duo));
}

TEST_F(RatingBookTest, ForgetsMeansPastTheirTimeAndBeyondItsBound) {
  RatingBook expiring{catalog, {}, {.ttl = std::chrono::milliseconds(0)}};
  std::vector<std::string> alice{"alice"};
  ASSERT_TRUE(expiring.skill_of("shifumi", "duel", alice));
  EXPECT_FALSE(expiring.cached_skill_of("shifumi", "duel", alice));

  RatingBook bounded{catalog, {}, {.max_entries = 2}};
  std::vector<std::string> trio{"a", "b", "c"};
  ASSERT_TRUE(bounded.skill_of("shifumi", "duel", trio));  // the third drops the first two
  EXPECT_FALSE(bounded.cached_skill_of("shifumi", "duel", trio));
  std::vector<std::string> c{"c"};
  EXPECT_DOUBLE_EQ(*bounded.cached_skill_of("shifumi", "duel", c), Rating::initial_mu);
}

TEST_F(RatingBookTest, ConcurrentSessionsOfOnePlayerAllCount) {
  constexpr int kPerThread = 20;
  auto play = [&](std::string opponent) {
    SqliteCatalog own{dir.path() / "catalog.db"};  // another process would hold its own connection
    RatingBook other{own};
    for (int i = 0; i < kPerThread; ++i) {
      auto r = other.record(duel("alice", opponent));
      EXPECT_TRUE(r && *r);
    }
  };
  std::thread a(play, "bob"), b(play, "carol");
  a.join();
  b.join();
  EXPECT_EQ(book.rating_of("shifumi", "duel", "alice")->matches, 2 * kPerThread);
}

}  // namespace
}  // namespace webgames
