#include "docker/docker_test.h"

#include "core/encoding.h"
#include "support/json_lines_client.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <gmock/gmock.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace webgames::testing {

namespace json = boost::json;

std::string docker_socket() {
  const char* dir = std::getenv("WEBGAMES_DOCKERD_DIR");
  return std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp/wg-dockerd") + "/docker.sock";
}

bool in_ci() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  std::string v = ci;
  return !v.empty() && v != "0" && v != "false";
}

void DockerTest::SetUp() {
  HostingTest::SetUp();
  docker::ClientOptions o;
  o.socket = docker_socket();
  o.timeout = std::chrono::seconds(20);
  client_ = docker::DockerClient(o);
  if (auto ping = sync(client_.ping()); !ping) {
    skipped_ = true;
    if (in_ci()) FAIL() << "the private dockerd does not answer (CI is set): " << ping.error().message;
    GTEST_SKIP() << "no dockerd at " << o.socket
                 << " (ctest starts it with scripts/dockerd; needs root): " << ping.error().message;
  }
  installation_ = "test-" + hex_encode(random_bytes(6));
  before_ = all_containers();
}

void DockerTest::TearDown() {
  if (!skipped_) expect_no_containers_left();
  // webgames stops first: until then a requeued match may start one more
  // server (a crashing game's players go back to the queue).
  HostingTest::TearDown();
  if (!skipped_) {
    for (const auto& c : containers()) sync(client_.remove_container(c.id));  // never leak, even on failure
    EXPECT_EQ(all_containers(), before_) << "the engine holds another number of containers than before the test";
  }
}

std::vector<std::string> DockerTest::docker_flags(std::vector<std::string> more) const {
  std::vector<std::string> flags{"--runtime",      "docker",      "--docker-socket", client_.options().socket,
                                 "--installation", installation_, "--address",       "0.0.0.0"};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

std::vector<docker::ContainerSummary> DockerTest::containers() {
  auto listed = sync(client_.list_containers("webgames.installation", installation_));
  EXPECT_TRUE(listed) << listed.error().message;
  return listed ? *listed : std::vector<docker::ContainerSummary>{};
}

std::size_t DockerTest::all_containers() {
  auto reply = sync(client_.call(boost::beast::http::verb::get, "/containers/json?all=1"));
  EXPECT_TRUE(reply && reply->status == 200);
  if (!reply) return 0;
  return json::parse(reply->body).as_array().size();
}

json::object DockerTest::wait_running(const std::string& session, std::chrono::milliseconds timeout) {
  json::object inspected;
  bool running = eventually(
      [&] {
        auto r = sync(client_.inspect_container("webgames-" + session));
        if (!r) return false;
        inspected = *r;
        return inspected.at("State").at("Running").as_bool();
      },
      timeout);
  EXPECT_TRUE(running) << "the container of " << session << " is not running: " << json::serialize(inspected);
  return inspected;
}

void DockerTest::expect_no_containers_left(std::chrono::milliseconds timeout) {
  std::vector<docker::ContainerSummary> left;
  bool gone = eventually(
      [&] {
        left = containers();
        return left.empty();
      },
      timeout);
  std::ostringstream names;
  for (const auto& c : left) names << " " << c.name << " (" << c.state << ")";
  EXPECT_TRUE(gone) << "containers left:" << names.str();
}

void DockerTest::kill_server(const std::string& session) {
  auto listed = sync(client_.list_containers("webgames.session", session));
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u) << "containers of session " << session;
  auto killed = sync(client_.kill_container(listed->front().id));
  EXPECT_TRUE(killed) << killed.error().message;
}

LaunchRequest sample_launch() {
  LaunchRequest r;
  r.session_id = "ses_1";
  r.game = "g";
  r.owner_id = "acc_1";
  r.spec.image = "webgames/x";
  r.spec.args = {"--fast"};
  r.spec.env = {{"A", "1"}};
  r.spec.ports = {PortSpec{"game", Protocol::tcp}, PortSpec{"voice", Protocol::udp}};
  r.env = {{"WEBGAMES_SDK_URL", "http://127.0.0.1:8080"}, {"WEBGAMES_PORT", "7000"}};
  r.ports = {{"game", 7000}, {"voice", 7001}};
  return r;
}

}  // namespace webgames::testing
