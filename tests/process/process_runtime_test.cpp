// The process runtime against real processes.

#include "process/process_runtime.h"

#include "process/marked_processes.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include <csignal>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

namespace webgames {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ProcessRuntimeTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
  boost::asio::io_context io;
  ProcessRuntime runtime{io.get_executor()};
  std::vector<ServerExit> exits;

  void SetUp() override {
    runtime.on_exit([this](const ServerExit& e) { exits.push_back(e); });
  }

  LaunchRequest shell(std::string script, std::string id = "ses_1") {
    LaunchRequest r;
    r.session_id = id;
    r.spec.command = "/bin/sh";
    r.spec.args = {"-c", std::move(script)};
    r.spec.env = {{"GREETING", "hello"}};
    r.env = {{"WEBGAMES_SESSION_ID", id}};
    r.work_dir = dir.path() / id / "work";
    r.log_file = dir.path() / id / "server.log";
    return r;
  }

  // Runs the loop until an exit is reported or `limit` passes.
  std::optional<ServerExit> wait_exit(milliseconds limit = seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (exits.empty() && std::chrono::steady_clock::now() < deadline) io.run_for(milliseconds(10));
    if (exits.empty()) return std::nullopt;
    auto e = exits.front();
    exits.erase(exits.begin());
    return e;
  }

  static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

TEST_F(ProcessRuntimeTest, RunsInItsWorkDirWithOurEnvironmentOnly) {
  ::setenv("WEBGAMES_TEST_SECRET", "must-not-leak", 1);
  // /proc/$$/environ: the block as execve passed it, each variable once.
  auto r = shell(
      "pwd; echo \"$GREETING $WEBGAMES_SESSION_ID ${WEBGAMES_TEST_SECRET:-clean}\"; "
      "echo \"session ids: $(tr '\\0' '\\n' </proc/$$/environ | grep -c ^WEBGAMES_SESSION_ID=)\"; echo oops >&2; exit "
      "3");
  auto launched = runtime.start(r);
  ::unsetenv("WEBGAMES_TEST_SECRET");
  ASSERT_TRUE(launched) << launched.error().message;
  auto exit = wait_exit();
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->runtime_id, launched->runtime_id);
  EXPECT_EQ(exit->description, "exited with status 3");
  EXPECT_FALSE(exit->clean);
  auto log = read(r.log_file);
  EXPECT_NE(log.find(r.work_dir.string()), std::string::npos) << log;
  EXPECT_NE(log.find("hello ses_1 clean"), std::string::npos) << log;
  EXPECT_NE(log.find("session ids: 1\n"), std::string::npos) << log;
  EXPECT_NE(log.find("oops"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(r.work_dir)) << "the work dir is removed";
  EXPECT_EQ(runtime.running(), 0u);
}

TEST_F(ProcessRuntimeTest, StopSendsTermThenKill) {
  auto polite = runtime.start(shell("exec sleep 30", "ses_polite"));
  auto stubborn = runtime.start(shell("trap '' TERM; while :; do sleep 0.05; done", "ses_stubborn"));
  ASSERT_TRUE(polite && stubborn);
  io.run_for(milliseconds(100));  // let the shell install its trap
  runtime.stop(polite->runtime_id, milliseconds(2000));
  runtime.stop(stubborn->runtime_id, milliseconds(200));
  auto first = wait_exit();
  auto second = wait_exit();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->runtime_id, polite->runtime_id);
  EXPECT_NE(first->description.find("signal 15"), std::string::npos) << first->description;
  EXPECT_EQ(second->runtime_id, stubborn->runtime_id);
  EXPECT_NE(second->description.find("signal 9"), std::string::npos) << second->description;
}

TEST_F(ProcessRuntimeTest, GrandchildrenDieWithTheServer) {
  auto r = shell("sleep 300 & echo $! > child.pid; cp child.pid ../child.pid; exit 0");
  ASSERT_TRUE(runtime.start(r));
  ASSERT_TRUE(wait_exit());
  auto pid = std::stoi(read(dir.path() / "ses_1" / "child.pid"));
  // The group was killed: the grandchild is gone (or a zombie awaiting init).
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    gone = !std::getline(stat, text) || text.find(") Z") != std::string::npos;
    if (!gone) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(gone) << "grandchild " << pid << " survived";
}

TEST_F(ProcessRuntimeTest, MissingCommandIsAClearError) {
  auto r = shell("true");
  r.spec.command = "/nonexistent/game-server";
  auto launched = runtime.start(r);
  ASSERT_FALSE(launched);
  EXPECT_EQ(launched.error().field, "server.command");
  r.spec.command = "no-such-command-anywhere";
  EXPECT_FALSE(runtime.start(r));
}

TEST_F(ProcessRuntimeTest, AnotherRuntimeAdoptsARunningServer) {
  auto r = shell("exec sleep 30");
  auto launched = runtime.start(r);
  ASSERT_TRUE(launched);

  ProcessRuntime next(io.get_executor());  // as after a restart
  std::vector<ServerExit> next_exits;
  next.on_exit([&](const ServerExit& e) { next_exits.push_back(e); });
  EXPECT_FALSE(next.adopt("999999:1", r.work_dir));  // no such process
  auto pid = std::stoi(launched->runtime_id);
  EXPECT_FALSE(next.adopt(std::to_string(pid) + ":0", r.work_dir)) << "a reused pid has another start time";
  ASSERT_TRUE(next.adopt(launched->runtime_id, r.work_dir));
  next.stop(launched->runtime_id, milliseconds(1000));
  auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (next_exits.empty() && std::chrono::steady_clock::now() < deadline) io.run_for(milliseconds(10));
  ASSERT_EQ(next_exits.size(), 1u);
  EXPECT_EQ(next_exits[0].runtime_id, launched->runtime_id);
  wait_exit(milliseconds(500));  // reap it in the first runtime too
}

// The pidfd wait may complete while the child still runs; the runtime must
// not block on it (it once sat 92 s in wait4 on the strand) and must go on
// watching the server.
TEST_F(ProcessRuntimeTest, AnEarlyWakeNeitherBlocksNorLosesTheServer) {
  auto launched = runtime.start(shell("exec sleep 30"));
  ASSERT_TRUE(launched);
  auto before = std::chrono::steady_clock::now();
  runtime.check_exit(launched->runtime_id);  // as a spurious wake would
  EXPECT_LT(std::chrono::steady_clock::now() - before, seconds(5)) << "check_exit waited for the child";
  EXPECT_EQ(runtime.running(), 1u);
  EXPECT_TRUE(exits.empty()) << exits.front().description;
  io.run_for(milliseconds(200));  // the runtime waits again
  runtime.stop(launched->runtime_id, milliseconds(100));
  auto exit = wait_exit();
  ASSERT_TRUE(exit) << "the exit after an early wake was not reported";
  EXPECT_EQ(exit->runtime_id, launched->runtime_id);
  EXPECT_EQ(runtime.running(), 0u);
}

// A restart finds a server by the installation's marker (its record had no
// id yet), and its sweep kills every other server of the installation,
// children included, but not another installation's.
TEST_F(ProcessRuntimeTest, ARestartFindsItsServersByMarkerAndSweepsTheRest) {
  ProcessRuntime first(io.get_executor(), "127.0.0.1", "ins_marker_test");
  ProcessRuntime other(io.get_executor(), "127.0.0.1", "ins_someone_else");
  auto kept = first.start(shell("exec sleep 30", "ses_kept"));
  auto stray = first.start(shell("sleep 30 & sleep 30; wait", "ses_stray"));
  auto foreign = other.start(shell("exec sleep 30", "ses_foreign"));
  ASSERT_TRUE(kept && stray && foreign);
  // A server is marked once it has exec'd (the marker is in the environment
  // it starts with); on a loaded machine that can come after start()
  // returns, and a restart in between would not know it: wait for it here,
  // as a real restart comes long after.
  auto marked = [](std::string_view installation) { return marked_processes(installation).size(); };
  auto marks_due = std::chrono::steady_clock::now() + seconds(10);
  while ((marked("ins_marker_test") < 2 || marked("ins_someone_else") < 1) &&
         std::chrono::steady_clock::now() < marks_due)
    std::this_thread::sleep_for(milliseconds(10));

  ProcessRuntime next(io.get_executor(), "127.0.0.1", "ins_marker_test");  // as after a restart
  auto found = next.find("ses_kept");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->runtime_id, kept->runtime_id);
  EXPECT_FALSE(next.find("ses_foreign")) << "another installation's server";
  EXPECT_FALSE(next.find("ses_none"));
  ASSERT_TRUE(next.adopt(found->runtime_id, dir.path() / "ses_kept" / "work"));
  next.adoption_done();
  auto alive = [](const std::string& runtime_id) {
    return process_runtime_id(std::stoi(runtime_id)) == runtime_id &&
           !std::ifstream("/proc/" + std::to_string(std::stoi(runtime_id)) + "/stat").fail();
  };
  // The stray one (a child of `first`) dies; `first` reaps it.
  auto deadline = std::chrono::steady_clock::now() + seconds(5);
  while (first.running() == 2 && std::chrono::steady_clock::now() < deadline) io.run_for(milliseconds(10));
  EXPECT_EQ(first.running(), 1u) << "the stray server survived the sweep";
  EXPECT_TRUE(alive(kept->runtime_id));
  EXPECT_TRUE(alive(foreign->runtime_id));
  std::vector<ServerExit> ignored;
  first.on_exit([&](const ServerExit& e) { ignored.push_back(e); });
  other.on_exit([&](const ServerExit& e) { ignored.push_back(e); });
  first.stop(kept->runtime_id, milliseconds(100));
  other.stop(foreign->runtime_id, milliseconds(100));
  deadline = std::chrono::steady_clock::now() + seconds(5);
  while ((first.running() > 0 || other.running() > 0) && std::chrono::steady_clock::now() < deadline)
    io.run_for(milliseconds(10));
  EXPECT_EQ(first.running() + other.running(), 0u);
}

}  // namespace
}  // namespace webgames
