// The director's write-ahead journal (director/session_journal.h): in the
// scaled mode its writes carry the lobby lease's fencing token, and a write
// fenced out by a newer owner stops there (on_fenced, nothing after it); a
// session's plain writes made while one waits are folded into it.

#include "director/session_journal.h"

#include "sqlite/sqlite_catalog.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <future>
#include <thread>

namespace webgames {
namespace {

using namespace std::chrono_literals;

Session running(std::string id) {
  Session s;
  s.id = std::move(id);
  s.game_id = "gam_1";
  s.game = "duel";
  s.owner_id = "acc_dev";
  s.state = SessionState::running;
  return s;
}

class SessionJournalTest : public ::testing::Test {
 protected:
  // Runs the strand until `done` or 5 s.
  template <class Done>
  void run_until(Done done) {
    for (int i = 0; i < 500 && !done(); ++i) {
      std::this_thread::sleep_for(10ms);  // the journal writes on a thread of its own
      io.restart();
      io.poll();
    }
  }

  testing::TempDir dir;
  SqliteCatalog catalog{dir.path() / "c.db"};
  boost::asio::io_context io;
  boost::asio::strand<boost::asio::any_io_executor> strand{boost::asio::make_strand(io.get_executor())};
};

TEST_F(SessionJournalTest, WritesCarryTheFenceAndAFencedOutWriteStopsThere) {
  SessionJournal journal(strand, catalog);
  std::atomic<int> fenced{0};
  journal.on_fenced([&](const Error& why) {
    EXPECT_EQ(why.field, "fence");
    ++fenced;
  });
  journal.set_fence(3);
  bool first = false;
  journal.write(running("ses_a"), [&](bool saved) { first = saved; });
  run_until([&] { return first; });
  ASSERT_TRUE(first);

  auto newer = running("ses_a");  // another owner, with a higher token, wrote it since
  newer.state = SessionState::ended;
  newer.fence = 4;
  ASSERT_TRUE(catalog.save_session(newer));

  bool then_ran = false, after_ran = false;
  auto stale = running("ses_a");
  stale.state = SessionState::failed;
  journal.write(
      stale, [&](bool) { then_ran = true; }, [&](const Session&) { after_ran = true; });
  run_until([&] { return fenced.load() == 1 && journal.pending() == 0; });
  EXPECT_EQ(fenced.load(), 1);
  std::this_thread::sleep_for(50ms);
  io.restart();
  io.poll();
  EXPECT_FALSE(then_ran);
  EXPECT_FALSE(after_ran);
  EXPECT_EQ(catalog.session_by_id("ses_a")->state, SessionState::ended);
}

// Found by an attacker's audit: a game server calling connected and
// disconnected in a loop queued one write of its whole session per call,
// and every tenant's session writes waited behind them.
TEST_F(SessionJournalTest, PlainWritesOfASessionMadeWhileOneWaitsAreFoldedIntoIt) {
  SessionJournal journal(strand, catalog);
  std::promise<void> release;
  boost::asio::post(journal.executor(), [wait = release.get_future().share()] { wait.wait(); });  // the thread is busy

  auto record = running("ses_a");
  record.players.push_back({"acc_1", "ada", 0});
  for (int i = 0; i < 1000; ++i) {
    record.players[0].connected = i % 2 == 0;
    journal.write(record);
  }
  EXPECT_EQ(journal.pending(), 1u) << "a thousand plain writes of one session, one queued";
  journal.write(running("ses_b"));
  EXPECT_EQ(journal.pending(), 2u) << "another session's write is its own";

  // A write with a `then` is not folded, and a plain one after it comes after it.
  bool ended = false;
  auto end = record;
  end.state = SessionState::ended;
  journal.write(end, [&](bool saved) { ended = saved; });
  auto after = end;
  after.results = R"({"after":true})";
  journal.write(after);
  EXPECT_EQ(journal.pending(), 4u);

  release.set_value();
  run_until([&] { return ended && journal.pending() == 0; });
  ASSERT_TRUE(ended);
  auto saved = catalog.session_by_id("ses_a");
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->state, SessionState::ended);
  EXPECT_EQ(saved->results, after.results) << "the last write landed last";
}

}  // namespace
}  // namespace webgames
