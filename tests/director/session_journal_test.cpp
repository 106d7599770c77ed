// The director's write-ahead journal (director/session_journal.h) in the
// scaled mode: its writes carry the lobby lease's fencing token, and a write
// fenced out by a newer owner stops there (on_fenced, nothing after it).

#include "director/session_journal.h"

#include "sqlite/sqlite_catalog.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
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

}  // namespace
}  // namespace webgames
