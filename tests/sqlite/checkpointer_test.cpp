// Checkpointer: a file's WAL checkpoints run on its thread, not in the
// commits that fill the WAL, and nothing of it outlives the connections.

#include "sqlite/database.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace webgames::sqlite {
namespace {

using namespace std::chrono_literals;

bool eventually(const std::function<bool()>& done) {
  for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(10ms))
    if (done()) return true;
  return done();
}

TEST(CheckpointerTest, AFullWalIsCheckpointedByTheFilesThreadNotByTheCommit) {
  testing::TempDir dir;
  auto file = dir.path() / "t.db";
  Connection db(file);
  db.exec("CREATE TABLE t (v BLOB)");
  auto checkpointer = Checkpointer::of(file);
  ASSERT_EQ(checkpointer->checkpoints(), 0);
  // One commit per row of two pages: past kPages WAL frames.
  std::string row(8000, 'x');
  auto insert = db.prepare("INSERT INTO t (v) VALUES (?1)");
  for (int i = 0; i < Checkpointer::kPages / 2 + 50; ++i) {
    insert.bind_blob(1, row);
    ASSERT_TRUE(insert.step_done());
    insert.reset();
  }
  ASSERT_TRUE(eventually([&] { return checkpointer->checkpoints() >= 1; }))
      << "no checkpoint on the file's thread (did a commit run SQLite's own?)";
  // The checkpointed pages are in the database file itself now (two pages
  // of it before), not only in the WAL.
  EXPECT_GT(std::filesystem::file_size(file), std::uintmax_t{1'000'000});
}

TEST(CheckpointerTest, OnePerFileWhileAConnectionIsOpenAndTheWalGoesWithTheLast) {
  testing::TempDir dir;
  auto a = dir.path() / "a.db", b = dir.path() / "b.db";
  {
    Connection first(a), second(a), other(b);
    first.exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)");
    EXPECT_EQ(Checkpointer::of(a), Checkpointer::of(a));
    EXPECT_NE(Checkpointer::of(a), Checkpointer::of(b));
    EXPECT_TRUE(std::filesystem::exists(a.string() + "-wal"));
  }
  // SQLite removes the WAL when the file's last connection closes: the
  // checkpointer's own went with the others.
  EXPECT_FALSE(std::filesystem::exists(a.string() + "-wal"));
}

}  // namespace
}  // namespace webgames::sqlite
