// The hosting scenarios with `--runtime docker`: a full Shifumi match in a
// container, the limits and security options checked by inspecting the
// container and its process, each way a server can fail (a crash, a hang,
// an exit at once, an out-of-memory kill, a missing image, a port the engine
// cannot publish), kill -9 and restart of webgames with adoption, and a
// dockerd restart in the middle of a session; warm pools (an Idle server
// killed, kill -9 of webgames with a pool). Every test ends with no
// container of its installation left (DockerTest::TearDown).

#include "docker/docker_test.h"

#include "support/json_lines_client.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

using DockerHostingTest = DockerTest;

TEST_F(DockerHostingTest, AFullShifumiMatchInAContainer) {
  auto m = start_shifumi_match(docker_flags({"--ready-timeout-ms", "15000", "--stop-grace-ms", "2000"}),
                               image_server("webgames/shifumi", json::object{{"SHIFUMI_ROUNDS", "1"}}), 20s);
  EXPECT_GE(m.port, port_first());
  EXPECT_LE(m.port, port_last());
  wait_running(m.session);
  EXPECT_EQ(containers().size(), 1u);
  play_shifumi_to_the_end(m.a, m.b, m.ra, m.rb, 15s);
}

TEST_F(DockerHostingTest, TheContainerRunsWithTheLimitsAndSecurityAsked) {
  start_webgames(docker_flags(fast_flags()));
  auto server = image_server("webgames/test-server", json::object{{"TEST_MODE", "good"}});
  server["memory_mb"] = 48;
  server["cpu"] = 0.5;
  server["pids_limit"] = 32;
  server["capabilities"] = json::array{"NET_BIND_SERVICE"};
  server["read_only_root"] = true;
  create_game("limits", server, duel_queue());
  auto a = join_queue("device-a", "limits");
  auto b = join_queue("device-b", "limits");
  auto [session, port] = match(a, b);
  auto c = wait_running(session);
  const auto& host = c.at("HostConfig").as_object();
  EXPECT_EQ(host.at("Memory").as_int64(), 48LL << 20);
  EXPECT_EQ(host.at("MemorySwap").as_int64(), 48LL << 20);
  EXPECT_EQ(host.at("NanoCpus").as_int64(), 500'000'000LL);
  EXPECT_EQ(host.at("PidsLimit").as_int64(), 32);
  EXPECT_EQ(json::serialize(host.at("SecurityOpt")), R"(["no-new-privileges"])");
  EXPECT_EQ(json::serialize(host.at("CapDrop")), R"(["ALL"])");
  EXPECT_THAT(json::serialize(host.at("CapAdd")), HasSubstr("NET_BIND_SERVICE"));
  EXPECT_TRUE(host.at("ReadonlyRootfs").as_bool());
  EXPECT_EQ(host.at("NetworkMode").as_string(), "bridge");
  EXPECT_EQ(json::serialize(host.at("PortBindings")),
            fmt::format(R"({{"{0}/tcp":[{{"HostIp":"","HostPort":"{0}"}}]}})", port));
  const auto& config = c.at("Config").as_object();
  EXPECT_EQ(config.at("User").as_string(), "65534:65534") << "the image's own user";
  const auto& labels = config.at("Labels").as_object();
  EXPECT_EQ(labels.at("webgames.session").as_string(), session);
  EXPECT_EQ(labels.at("webgames.game").as_string(), "limits");
  EXPECT_EQ(labels.at("webgames.owner").as_string(), developer().id);
  EXPECT_EQ(labels.at("webgames.installation").as_string(), installation());

  // What the kernel says of the server process itself.
  auto pid = c.at("State").at("Pid").as_int64();
  ASSERT_GT(pid, 0);
  EXPECT_EQ(proc_status(pid, "NoNewPrivs"), "1");
  // All dropped but CAP_NET_BIND_SERVICE (bit 10); the effective set of the
  // non-root user is empty.
  EXPECT_EQ(proc_status(pid, "CapBnd"), "0000000000000400");
  EXPECT_EQ(proc_status(pid, "CapEff"), "0000000000000000");
  EXPECT_THAT(proc_status(pid, "Uid"), ::testing::StartsWith("65534"));

  end_game(port);
  wait_session_state("limits", session, "ended");
  expect_no_containers_left();
  auto log = read_text(sessions_dir() / session / "server.log");
  EXPECT_THAT(log, HasSubstr("docker-test-server: session " + session + " mode good"));
  EXPECT_THAT(log, HasSubstr("uid 65534"));
}

TEST_F(DockerHostingTest, ACrashIsNoticedAtOnceAndFailsTheSession) { expect_crash_noticed(docker_flags(), 15s); }

TEST_F(DockerHostingTest, AServerThatNeverSaysReadyIsStoppedAndRemoved) {
  expect_game_fails("hang", image_server("webgames/test-server", json::object{{"TEST_MODE", "never_ready"}}),
                    "did not say ready", true);
}

TEST_F(DockerHostingTest, AServerThatExitsAtOnceFailsTheSession) { expect_exit_at_once_fails(); }

TEST_F(DockerHostingTest, AnOutOfMemoryKillFailsTheSessionWithThatReason) { expect_out_of_memory_fails(); }

TEST_F(DockerHostingTest, AMissingImageFailsTheSessionWithoutRequeueing) {
  auto record = expect_game_fails("ghost", image_server("webgames/no-such-image"),
                                  "server.image webgames/no-such-image is not on the Docker host", false);
  EXPECT_THAT(str_of(record, "reason"), HasSubstr("could not start"));
  // Not requeued: no second session was tried.
  EXPECT_EQ(sessions_of("ghost").size(), 1u);
}

TEST_F(DockerHostingTest, APortTheEngineCannotPublishFailsTheSession) {
  // Something else holds the one port of the range on IPv6 only: the
  // director's IPv4 probe finds it free, dockerd's proxy cannot bind it.
  int holder = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(holder, 0);
  int one = 1;
  ::setsockopt(holder, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_port = htons(port_first());
  addr.sin6_addr = in6addr_any;
  if (::bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(holder, 1) != 0) {
    ::close(holder);
    GTEST_SKIP() << "cannot hold [::]:" << port_first() << " (no IPv6 here)";
  }
  set_port_range(port_first(), port_first());
  expect_game_fails("clash", image_server("webgames/test-server"), "address already in use", false);
  ::close(holder);
}

TEST_F(DockerHostingTest, Kill9AndRestartOfWebgamesAdoptsTheContainer) {
  expect_kill9_adoption(
      docker_flags(fast_flags()), [&](const std::string& session) { wait_running(session); },
      [&] { return containers().size(); });
}

TEST_F(DockerHostingTest, APoolServerKilledIsReplacedAndTheMatchGetsALiveOne) {
  expect_pool_replaces_and_hands_out(
      docker_flags(fast_flags()), [&](const std::string& session) { wait_running(session); },
      [&](const std::string& session) { kill_server(session); });
}

TEST_F(DockerHostingTest, Kill9WithAPoolAdoptsItsServersAndThePoolOffLeavesNothing) {
  expect_pool_kill9_adoption(
      docker_flags(fast_flags()), [&](const std::string& session) { wait_running(session); },
      [&](const std::string& session) { kill_server(session); }, [&] { return containers().size(); });
}

TEST_F(DockerHostingTest, ARestartRemovesTheContainersOfSessionsThatEndedMeanwhile) {
  start_webgames(docker_flags(fast_flags()));
  create_game("orphan", image_server("webgames/test-server"), duel_queue());
  auto a = join_queue("device-a", "orphan");
  auto b = join_queue("device-b", "orphan");
  auto [session, port] = match(a, b);
  wait_running(session);
  auto api_port = HostingTest::port();
  webgames().kill9();
  // A container of this installation that no session knows: what a crash
  // between create and the session's record would leave.
  json::object config{{"Image", "webgames/test-server"},
                      {"Env", json::array{"TEST_MODE=idle"}},
                      {"Labels", json::object{{"webgames.installation", installation()}}}};
  ASSERT_TRUE(sync(docker().create_container("webgames-stray-" + installation(), config)));
  start_webgames(docker_flags(fast_flags()), api_port);
  EXPECT_TRUE(eventually([&] { return containers().size() == 1; }, 10s)) << "the stray container is still there";
  end_game(port);
  wait_session_state("orphan", session, "ended");
}

TEST_F(DockerHostingTest, ADockerdRestartMidSessionFailsItAndLeavesNothing) {
  start_webgames(docker_flags({"--heartbeat-interval-ms", "60000", "--ready-timeout-ms", "20000"}));
  create_game("engine", image_server("webgames/test-server"), duel_queue());
  auto a = join_queue("device-a", "engine");
  auto b = join_queue("device-b", "engine");
  auto [session, port] = match(a, b);
  wait_running(session);
  auto restart = std::string(WEBGAMES_SOURCE_DIR) + "/scripts/dockerd restart >/dev/null";
  ASSERT_EQ(std::system(restart.c_str()), 0) << "scripts/dockerd restart failed";
  // dockerd stopped the container on its way down; webgames hears of it when
  // the engine answers again (heartbeats are due only every minute).
  expect_failed(a, b, "before ending the session", true, 40s);
  expect_no_containers_left(30s);
  auto record = wait_session_state("engine", session, "failed");
  EXPECT_THAT(str_of(record, "reason"), ::testing::AnyOf(HasSubstr("exited"), HasSubstr("killed")));
}

}  // namespace
}  // namespace webgames::testing
