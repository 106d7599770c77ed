// The OCI runtime end to end: the real `webgames serve --runtime oci`, runc
// (Debian's), the images of images/build-oci. The scenarios every container
// runtime passes (a full Shifumi match, the limits and security checked on
// the running process and its cgroup, a crash, an exit at once, an
// out-of-memory kill, a missing image, kill -9 of webgames and adoption,
// warm pools: an Idle server killed, kill -9 with a pool), and
// what only this runtime has: a container no session holds removed after a
// restart, the image unpacked once. Each test has its own runc root and
// installation, and ends with no container left in it.
//
// Needs root and runc: skipped without them unless CI is set (then failed).

#include "hosting/container_hosting_test.h"

#include "core/encoding.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string_view(ci) != "0" && std::string_view(ci) != "false";
}

// Runs a shell command line; its stdout, or nullopt when it failed.
std::optional<std::string> run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return std::nullopt;
  char buf[4096];
  while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = ::pclose(p);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

class OciTest : public ContainerHostingTest {
 protected:
  void SetUp() override {
    HostingTest::SetUp();
    const bool ready = ::geteuid() == 0 && run("runc --version >/dev/null 2>&1").has_value() &&
                       fs::is_regular_file(images_dir() / "webgames/test-server/index.json");
    if (!ready) {
      skipped_ = true;
      if (in_ci()) FAIL() << "the OCI tests need root, runc and images/build-oci's layouts (CI is set)";
      GTEST_SKIP() << "needs root, runc and " << images_dir() << " (images/build-oci)";
    }
    installation_ = "test-" + hex_encode(random_bytes(6));
  }

  void TearDown() override {
    if (!skipped_) expect_no_containers_left();
    HostingTest::TearDown();
    if (!skipped_)
      for (const auto& id : containers()) run(runc("delete --force " + id));  // never leak, even on failure
  }

  static fs::path images_dir() { return fs::path(WEBGAMES_BUILD_DIR) / "images" / "oci"; }
  fs::path state() const { return scratch() / "oci"; }
  std::string runc(const std::string& args) const {
    return "runc --root " + (state() / "runc").string() + " " + args + " 2>/dev/null";
  }

  std::vector<std::string> runtime_flags(std::vector<std::string> more = {}) const override {
    return oci_flags(std::move(more));
  }
  std::vector<std::string> oci_flags(std::vector<std::string> more = {}) const {
    std::vector<std::string> flags{
        "--runtime",      "oci",        "--oci-state-dir", state().string(), "--oci-images-dir", images_dir().string(),
        "--installation", installation_};
    flags.insert(flags.end(), more.begin(), more.end());
    return flags;
  }

  // The containers in this test's runc root.
  std::vector<std::string> containers() const {
    std::vector<std::string> ids;
    auto out = run(runc("list --quiet"));
    if (!out) return ids;
    std::istringstream lines(*out);
    for (std::string id; std::getline(lines, id);)
      if (!id.empty()) ids.push_back(id);
    return ids;
  }

  // runc's state of the container of `session`, once it runs.
  json::object wait_running(const std::string& session, std::chrono::milliseconds timeout = 15s) {
    json::object state;
    bool running = eventually(
        [&] {
          auto out = run(runc("state webgames-" + session));
          if (!out) return false;
          state = json::parse(*out).as_object();
          return state.at("status").as_string() == "running";
        },
        timeout);
    EXPECT_TRUE(running) << "the container of " << session << " is not running: " << json::serialize(state);
    return state;
  }

  // runc kill (SIGKILL) of the container of `session`.
  void kill_server(const std::string& session) {
    EXPECT_TRUE(run(runc("kill webgames-" + session + " KILL"))) << "runc kill of " << session;
  }

  void expect_no_containers_left(std::chrono::milliseconds timeout = 15s) override {
    std::vector<std::string> left;
    bool gone = eventually(
        [&] {
          left = containers();
          return left.empty();
        },
        timeout);
    EXPECT_TRUE(gone) << "containers left: " << ::testing::PrintToString(left);
  }

  bool skipped_ = false;
  std::string installation_;
};

TEST_F(OciTest, AFullShifumiMatchInAContainer) {
  auto m = start_shifumi_match(oci_flags({"--ready-timeout-ms", "15000", "--stop-grace-ms", "2000"}),
                               image_server("webgames/shifumi", json::object{{"SHIFUMI_ROUNDS", "1"}}), 20s);
  EXPECT_GE(m.port, port_first());
  EXPECT_LE(m.port, port_last());
  wait_running(m.session);
  EXPECT_EQ(containers().size(), 1u);
  play_shifumi_to_the_end(m.a, m.b, m.ra, m.rb, 15s);
  // The bundle went with the container; the unpacked image stays for the next.
  EXPECT_FALSE(fs::exists(sessions_dir() / m.session / "work" / "config.json"));
  EXPECT_EQ(std::distance(fs::directory_iterator(state() / "rootfs"), fs::directory_iterator()), 1);
}

// A browser's way in: both players reach the container's `ws` port through
// the API's relay (docs/hosting.md#the-relay-players-in-a-browser).
TEST_F(OciTest, AShifumiMatchInAContainerIsPlayedThroughTheRelay) {
  auto server = image_server("webgames/shifumi", json::object{{"SHIFUMI_ROUNDS", "1"}});
  server["ports"] = json::array{json::object{{"name", "game"}, {"protocol", "tcp"}},
                                json::object{{"name", "ws"}, {"protocol", "ws"}}};
  auto m = start_shifumi_match(oci_flags({"--ready-timeout-ms", "15000", "--stop-grace-ms", "2000"}), server, 20s);
  ASSERT_FALSE(m.session.empty());
  play_shifumi_to_the_end(m.a, m.b, m.ra, m.rb, 15s, Path::relay);
}

TEST_F(OciTest, TheContainerRunsWithTheLimitsAndSecurityAsked) {
  start_webgames(oci_flags(fast_flags()));
  auto server = image_server("webgames/test-server", json::object{{"TEST_MODE", "good"}});
  server["memory_mb"] = 48;
  server["cpu"] = 0.5;
  server["pids_limit"] = 32;
  server["capabilities"] = json::array{"NET_BIND_SERVICE"};
  create_game("limits", server, duel_queue());
  auto a = join_queue("device-a", "limits");
  auto b = join_queue("device-b", "limits");
  auto [session, port] = match(a, b);
  auto state = wait_running(session);
  auto pid = state.at("pid").as_int64();
  ASSERT_GT(pid, 0);

  // What the kernel says of the server process itself.
  EXPECT_EQ(proc_status(pid, "NoNewPrivs"), "1");
  EXPECT_EQ(proc_status(pid, "CapBnd"), "0000000000000400");  // all dropped but CAP_NET_BIND_SERVICE
  EXPECT_EQ(proc_status(pid, "CapEff"), "0000000000000000");
  EXPECT_THAT(proc_status(pid, "Uid"), ::testing::StartsWith("65534")) << "the image's own user";
  EXPECT_EQ(fs::read_symlink(fmt::format("/proc/{}/ns/net", pid)), fs::read_symlink("/proc/self/ns/net"))
      << "the host's network: the allocated port is the host's";
  EXPECT_NE(fs::read_symlink(fmt::format("/proc/{}/ns/pid", pid)), fs::read_symlink("/proc/self/ns/pid"));
  EXPECT_NE(fs::read_symlink(fmt::format("/proc/{}/ns/mnt", pid)), fs::read_symlink("/proc/self/ns/mnt"));
  // Its cgroup's limits (cgroup v1 here; v2 files otherwise).
  auto cgroup = fmt::format("webgames/{}-webgames-{}", installation_, session);
  auto v1 = fs::path("/sys/fs/cgroup/memory") / cgroup;
  if (fs::exists(v1)) {
    EXPECT_EQ(read_text(v1 / "memory.limit_in_bytes"), std::to_string(48LL << 20) + "\n");
    EXPECT_EQ(read_text(fs::path("/sys/fs/cgroup/pids") / cgroup / "pids.max"), "32\n");
    EXPECT_EQ(read_text(fs::path("/sys/fs/cgroup/cpu") / cgroup / "cpu.cfs_quota_us"), "50000\n");
  } else {
    auto v2 = fs::path("/sys/fs/cgroup") / cgroup;
    EXPECT_EQ(read_text(v2 / "memory.max"), std::to_string(48LL << 20) + "\n");
    EXPECT_EQ(read_text(v2 / "pids.max"), "32\n");
  }
  // A read-only root: the server cannot write beside its binary, only in /tmp.
  auto root = fmt::format("/proc/{}/root", pid);
  EXPECT_NE(::access((root + "/").c_str(), W_OK), 0) << "the root is writable";

  end_game(port);
  wait_session_state("limits", session, "ended");
  expect_no_containers_left();
  auto log = read_text(sessions_dir() / session / "server.log");
  EXPECT_THAT(log, HasSubstr("docker-test-server: session " + session + " mode good"));
  EXPECT_THAT(log, HasSubstr("uid 65534"));
}

TEST_F(OciTest, ACrashIsNoticedAtOnceAndFailsTheSession) { expect_crash_noticed(oci_flags(), 15s); }

TEST_F(OciTest, AServerThatExitsAtOnceFailsTheSession) { expect_exit_at_once_fails(); }

TEST_F(OciTest, AnOutOfMemoryKillFailsTheSessionWithThatReason) { expect_out_of_memory_fails(); }

TEST_F(OciTest, AMissingImageFailsTheSessionWithoutRequeueing) {
  auto record = expect_game_fails("ghost", image_server("webgames/no-such-image"), "no OCI image layout", false);
  EXPECT_THAT(str_of(record, "reason"), HasSubstr("could not start"));
  EXPECT_EQ(sessions_of("ghost").size(), 1u);  // not requeued: no second session was tried
}

TEST_F(OciTest, Kill9AndRestartOfWebgamesAdoptsTheContainer) {
  expect_kill9_adoption(
      oci_flags(fast_flags()), [&](const std::string& session) { wait_running(session); },
      [&] { return containers().size(); });
}

TEST_F(OciTest, APoolServerKilledIsReplacedAndTheMatchGetsALiveOne) {
  expect_pool_replaces_and_hands_out(
      oci_flags(fast_flags()), [&](const std::string& session) { wait_running(session); },
      [&](const std::string& session) { kill_server(session); });
}

TEST_F(OciTest, Kill9WithAPoolAdoptsItsServersAndThePoolOffLeavesNothing) {
  expect_pool_kill9_adoption(
      oci_flags(fast_flags()), [&](const std::string& session) { wait_running(session); },
      [&](const std::string& session) { kill_server(session); }, [&] { return containers().size(); });
}

TEST_F(OciTest, ARestartRemovesTheContainersNoSessionHolds) {
  start_webgames(oci_flags(fast_flags()));
  create_game("orphan", image_server("webgames/test-server"), duel_queue());
  auto a = join_queue("device-a", "orphan");
  auto b = join_queue("device-b", "orphan");
  auto [session, port] = match(a, b);
  auto state = wait_running(session);
  auto api_port = HostingTest::port();
  webgames().kill9();
  // A container of this runc root that no session knows: what a crash
  // between its start and the session's record would leave.
  auto stray = scratch() / "stray";
  fs::create_directories(stray);
  auto config = json::parse(read_text(fs::path(std::string(state.at("bundle").as_string())) / "config.json"));
  config.as_object()["process"].as_object()["env"] = json::array{"TEST_MODE=idle"};
  config.as_object()["linux"].as_object()["cgroupsPath"] = "/webgames/" + installation_ + "-stray";
  std::ofstream(stray / "config.json") << json::serialize(config);
  ASSERT_TRUE(run(runc("run --detach --bundle " + stray.string() + " webgames-stray </dev/null >/dev/null")));
  EXPECT_EQ(containers().size(), 2u);
  start_webgames(oci_flags(fast_flags()), api_port);
  EXPECT_TRUE(eventually([&] { return containers().size() == 1; }, 10s)) << "the stray container is still there";
  end_game(port);
  wait_session_state("orphan", session, "ended");
}

}  // namespace
}  // namespace webgames::testing
