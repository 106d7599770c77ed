// A PostgreSQL that goes away while the catalog runs: calls come back as
// Errc::unavailable values (never a throw, never a hang), and the catalog
// recovers by itself once the server is back, with the data it had.
#include "postgres/postgres_catalog.h"

#include "director/session_journal.h"
#include "postgres/postgres_test.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <thread>

namespace webgames {
namespace {

TEST(PostgresRecoveryTest, UnavailableWhileDownThenRecoversByItself) {
  WEBGAMES_REQUIRE_POSTGRES(fixture_url);  // the binaries are there
  testing::PrivatePostgres server;
  PostgresCatalog catalog(server.url(), 2);
  Account ada{"acc_ada", "ada", Role::developer, false, "hash", TimePoint{std::chrono::seconds(1)}};
  ASSERT_TRUE(catalog.create_account(ada));
  ASSERT_TRUE(catalog.ping());  // both kinds of pooled connection exist now

  server.halt();
  auto read = catalog.account_by_id("acc_ada");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, Errc::unavailable);
  EXPECT_EQ(catalog.ping().error().code, Errc::unavailable);
  Account bob{"acc_bob", "bob", Role::player, false, "hash", TimePoint{std::chrono::seconds(2)}};
  EXPECT_EQ(catalog.create_account(bob).error().code, Errc::unavailable);
  // Several threads at once while it is down: each gets its answer, none waits forever.
  std::vector<std::thread> callers;
  std::atomic<int> unavailable = 0;
  for (int i = 0; i < 4; ++i)
    callers.emplace_back([&] { unavailable += catalog.ping().error().code == Errc::unavailable; });
  for (auto& t : callers) t.join();
  EXPECT_EQ(unavailable.load(), 4);

  server.start();
  // The first call after the restart already succeeds: connections the
  // server dropped are replaced before use.
  auto back = catalog.account_by_id("acc_ada");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->username, "ada");
  ASSERT_TRUE(catalog.create_account(bob));
  EXPECT_EQ(catalog.account_by_username("bob").value().id, "acc_bob");
}

TEST(PostgresRecoveryTest, AServerRestartBetweenCallsIsInvisible) {
  WEBGAMES_REQUIRE_POSTGRES(fixture_url);
  testing::PrivatePostgres server;
  PostgresCatalog catalog(server.url(), 3);
  Account ada{"acc_ada", "ada", Role::developer, false, "hash", TimePoint{std::chrono::seconds(1)}};
  ASSERT_TRUE(catalog.create_account(ada));
  for (int i = 0; i < 2; ++i) {
    server.halt();
    server.start();
    auto read = catalog.account_by_id("acc_ada");
    ASSERT_TRUE(read) << "restart " << i << ": " << read.error().message;
    EXPECT_EQ(read->username, "ada");
  }
}

Session ended_session(std::string id) {
  Session s;
  s.id = std::move(id);
  s.game_id = "gam_1";
  s.game = "shifumi";
  s.queue = "duel";
  s.owner_id = "acc_ada";
  s.players = {SessionPlayer{"acc_p1", "p1", 0, "tkt_1", false}};
  s.state = SessionState::ended;
  s.results = R"([{"player":"acc_p1","rank":1}])";
  return s;
}

// The director's write-ahead journal waits for a catalog that is away: a
// session's end written while PostgreSQL is stopped lands when it is back,
// in order with the writes after it, and each is told saved (not lost, not
// reported failed).
TEST(PostgresRecoveryTest, TheSessionJournalWaitsForTheCatalogAndLosesNothing) {
  WEBGAMES_REQUIRE_POSTGRES(fixture_url);
  testing::PrivatePostgres server;
  PostgresCatalog catalog(server.url(), 2);
  ASSERT_TRUE(catalog.ping());
  boost::asio::io_context io;
  std::vector<std::pair<std::string, bool>> told;  // on the strand
  {
    SessionJournal journal(boost::asio::make_strand(io.get_executor()), catalog);
    server.halt();
    for (auto id : {"ses_1", "ses_2"})
      journal.write(ended_session(id), [&told, id](bool saved) { told.emplace_back(id, saved); });
    std::this_thread::sleep_for(std::chrono::milliseconds(600));  // a few tries fail meanwhile
    EXPECT_EQ(journal.pending(), 2u) << "a write was given up while the catalog was away";
    server.start();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (told.size() < 2 && std::chrono::steady_clock::now() < deadline) {
      io.run_for(std::chrono::milliseconds(50));
      io.restart();
    }
  }
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0], std::make_pair(std::string("ses_1"), true));
  EXPECT_EQ(told[1], std::make_pair(std::string("ses_2"), true));
  for (auto id : {"ses_1", "ses_2"}) {
    auto saved = catalog.session_by_id(id);
    ASSERT_TRUE(saved) << id << ": " << saved.error().message;
    EXPECT_EQ(saved->state, SessionState::ended);
    EXPECT_FALSE(saved->results.empty());
  }
}

}  // namespace
}  // namespace webgames
