// The hosting scenarios with `--runtime swarm`, on a single-node swarm of the
// private dockerd (the fixture docker.setup runs `docker swarm init`;
// docker.cleanup leaves it): a full Shifumi match in a one-replica service,
// a crash, a missing image, kill -9 and restart of webgames with adoption,
// warm pools (an Idle server's task killed is replaced, never handed out;
// kill -9 of webgames with a pool).
// Every test ends with no service and no container of its installation left,
// and with as many services and containers on the engine as before.

#include "docker/docker_test.h"
#include "swarm/swarm_nodes.h"
#include "swarm/swarm_runtime.h"

#include "support/json_lines_client.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

class SwarmHostingTest : public DockerTest {
 protected:
  void SetUp() override {
    DockerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto state = sync(docker().swarm_state());
    ASSERT_TRUE(state) << state.error().message;
    if (*state != "active") {
      // The fixture initialises it; a test binary run by hand does it here
      // (docker.cleanup, or `docker swarm leave --force`, leaves it).
      json::object init{{"ListenAddr", "127.0.0.1:2377"}, {"AdvertiseAddr", "127.0.0.1"}};
      auto r = sync(docker().call(boost::beast::http::verb::post, "/swarm/init", json::serialize(init)));
      ASSERT_TRUE(r && r->status == 200) << (r ? r->body : r.error().message);
    }
    services_before_ = all_services();
    ready_ = true;
  }

  void TearDown() override {
    if (ready_) {
      std::vector<std::string> left;
      bool gone = eventually(
          [&] {
            left = services();
            return left.empty();
          },
          15s);
      EXPECT_TRUE(gone) << "services left: " << ::testing::PrintToString(left);
      for (const auto& s : left) sync(docker().remove_service(s));  // never leak, even on failure
      EXPECT_EQ(all_services(), services_before_) << "the engine holds another number of services than before the test";
    }
    DockerTest::TearDown();
  }

  std::vector<std::string> swarm_flags(std::vector<std::string> more = {}) const {
    auto flags = docker_flags(std::move(more));
    flags.at(1) = "swarm";
    return flags;
  }

  // The names of this test's installation's services.
  std::vector<std::string> services() {
    std::vector<std::string> names;
    auto listed = sync(docker().list_services("webgames.installation", installation()));
    EXPECT_TRUE(listed) << listed.error().message;
    if (listed)
      for (const auto& s : *listed) names.emplace_back(s.at("Spec").at("Name").as_string());
    return names;
  }

  std::size_t all_services() {
    auto reply = sync(docker().call(boost::beast::http::verb::get, "/services"));
    EXPECT_TRUE(reply && reply->status == 200);
    if (!reply || reply->status != 200) return 0;
    return json::parse(reply->body).as_array().size();
  }

  // Waits until the service of `session` has a running task; its inspect.
  json::object wait_service_running(const std::string& session, std::chrono::milliseconds timeout = 20s) {
    std::string state;
    bool running = eventually(
        [&] {
          auto tasks = sync(docker().service_tasks("webgames-" + session));
          if (!tasks || tasks->empty()) return false;
          state = json::serialize(tasks->front().at("Status"));
          return tasks->front().at("Status").at("State").as_string() == "running";
        },
        timeout);
    EXPECT_TRUE(running) << "the task of " << session << " is not running: " << state;
    auto r = sync(docker().call(boost::beast::http::verb::get, "/services/webgames-" + session));
    EXPECT_TRUE(r && r->status == 200);
    return r && r->status == 200 ? json::parse(r->body).as_object() : json::object{};
  }

 private:
  std::size_t services_before_ = 0;
  bool ready_ = false;
};

TEST(SwarmPure, ServiceSpecCarriesTheSpec) {
  auto r = sample_launch();
  r.spec.memory_mb = 48;
  r.spec.pids_limit = 16;
  r.spec.capabilities = {"NET_BIND_SERVICE"};
  r.spec.read_only_root = true;
  swarm::SwarmOptions o;
  o.installation = "ins_1";
  o.stop_grace = std::chrono::milliseconds(1500);
  auto s = swarm::service_spec(r, o, "http://10.0.0.10:8080");
  EXPECT_EQ(s.at("Name").as_string(), "webgames-ses_1");
  EXPECT_EQ(s.at("Labels").at("webgames.installation").as_string(), "ins_1");
  const auto& task = s.at("TaskTemplate").as_object();
  EXPECT_EQ(task.at("RestartPolicy").at("Condition").as_string(), "none");
  const auto& c = task.at("ContainerSpec").as_object();
  EXPECT_EQ(json::serialize(c.at("Args")), R"(["--fast"])");
  EXPECT_THAT(json::serialize(c.at("Env")), HasSubstr(R"("WEBGAMES_SDK_URL=http://10.0.0.10:8080")"));
  EXPECT_THAT(json::serialize(c.at("Env")), HasSubstr(R"("A=1")"));
  EXPECT_EQ(json::serialize(c.at("CapabilityDrop")), R"(["ALL"])");
  EXPECT_EQ(json::serialize(c.at("CapabilityAdd")), R"(["NET_BIND_SERVICE"])");
  EXPECT_TRUE(c.at("ReadOnly").as_bool());
  EXPECT_EQ(c.at("StopGracePeriod").as_int64(), 1'500'000'000);
  EXPECT_EQ(c.at("Labels").at("webgames.session").as_string(), "ses_1");
  EXPECT_EQ(task.at("Resources").at("Limits").at("MemoryBytes").as_int64(), 48LL << 20);
  EXPECT_EQ(task.at("Resources").at("Limits").at("Pids").as_int64(), 16);
  EXPECT_EQ(json::serialize(s.at("EndpointSpec").at("Ports")),
            R"([{"Protocol":"tcp","TargetPort":7000,"PublishedPort":7000,"PublishMode":"host"},)"
            R"({"Protocol":"udp","TargetPort":7001,"PublishedPort":7001,"PublishMode":"host"}])");
  r.spec.host_network = true;
  auto h = swarm::service_spec(r, o, "http://127.0.0.1:8080");
  EXPECT_EQ(json::serialize(h.at("TaskTemplate").at("Networks")), R"([{"Target":"host"}])");
  EXPECT_EQ(json::serialize(h.at("TaskTemplate").at("Placement")), R"({"Constraints":[]})");
  r.placement = Placement{"node-2", "10.0.0.2"};
  auto placed = swarm::service_spec(r, o, "http://127.0.0.1:8080");
  EXPECT_EQ(json::serialize(placed.at("TaskTemplate").at("Placement")), R"({"Constraints":["node.id==node-2"]})");
  EXPECT_FALSE(h.at("EndpointSpec").as_object().contains("Ports"));
}

TEST_F(SwarmHostingTest, AFullShifumiMatchInAService) {
  auto server = image_server("webgames/shifumi", json::object{{"SHIFUMI_ROUNDS", "1"}});
  server["pids_limit"] = 32;
  server["cpu"] = 0.5;
  auto m = start_shifumi_match(swarm_flags({"--ready-timeout-ms", "20000", "--stop-grace-ms", "2000"}), server, 30s);
  const auto& session = m.session;
  auto port = m.port;
  auto service = wait_service_running(session);
  EXPECT_EQ(services().size(), 1u);

  // The service as the spec asked: one replica, never restarted, the port
  // in host mode with the same number inside, the labels, the limits.
  ASSERT_TRUE(service.contains("Spec")) << json::serialize(service);
  const auto& spec = service.at("Spec").as_object();
  EXPECT_EQ(spec.at("Mode").at("Replicated").at("Replicas").as_int64(), 1);
  const auto& task = spec.at("TaskTemplate").as_object();
  EXPECT_EQ(task.at("RestartPolicy").at("Condition").as_string(), "none");
  EXPECT_EQ(json::serialize(spec.at("EndpointSpec").at("Ports")),
            fmt::format(R"([{{"Protocol":"tcp","TargetPort":{0},"PublishedPort":{0},"PublishMode":"host"}}])", port));
  const auto& limits = task.at("Resources").at("Limits").as_object();
  EXPECT_EQ(limits.at("MemoryBytes").as_int64(), 64LL << 20);
  EXPECT_EQ(limits.at("NanoCPUs").as_int64(), 500'000'000LL);
  EXPECT_EQ(limits.at("Pids").as_int64(), 32);
  const auto& container = task.at("ContainerSpec").as_object();
  EXPECT_EQ(json::serialize(container.at("CapabilityDrop")), R"(["ALL"])");
  const auto& labels = spec.at("Labels").as_object();
  EXPECT_EQ(labels.at("webgames.session").as_string(), session);
  EXPECT_EQ(labels.at("webgames.game").as_string(), "shifumi");
  EXPECT_EQ(labels.at("webgames.installation").as_string(), installation());
  EXPECT_EQ(containers().size(), 1u) << "the task's container carries the labels too";

  // Placed on the node its port was taken on: this engine's node.
  auto self = sync(docker().swarm_node_id());
  ASSERT_TRUE(self && !self->empty());
  EXPECT_EQ(json::serialize(task.at("Placement").at("Constraints")), fmt::format(R"(["node.id=={}"])", *self));
  // What the manager reports, as placement reads it: the one node, its
  // players sent to the public host (it joined with 127.0.0.1), the
  // session's port taken there, one server of ours.
  auto nodes = sync(docker().list_nodes());
  auto tasks = sync(docker().list_running_tasks());
  auto all = sync(docker().list_all_services());
  ASSERT_TRUE(nodes && tasks && all);
  auto read = swarm::SwarmNodes::from_engine(*nodes, *tasks, *all, "play.example.org", installation());
  ASSERT_EQ(read.nodes().size(), 1u) << json::serialize(*nodes);
  EXPECT_EQ(read.nodes()[0].id, *self);
  EXPECT_EQ(read.nodes()[0].host, "play.example.org");
  EXPECT_TRUE(read.nodes()[0].ports.contains({Protocol::tcp, port})) << json::serialize(*tasks);
  EXPECT_EQ(read.nodes()[0].servers, 1);

  play_shifumi_to_the_end(m.a, m.b, m.ra, m.rb, 30s);
  EXPECT_TRUE(eventually([&] { return services().empty(); }, 15s));
}

TEST_F(SwarmHostingTest, ACrashIsNoticedAndFailsTheSession) { expect_crash_noticed(swarm_flags(), 20s); }

TEST_F(SwarmHostingTest, AMissingImageFailsTheSessionWithoutRequeueing) {
  start_webgames(swarm_flags(fast_flags()));
  create_game("ghost", image_server("webgames/no-such-image"), duel_queue());
  auto a = join_queue("device-a", "ghost");
  auto b = join_queue("device-b", "ghost");
  auto session = expect_failed(a, b, "No such image", false, 30s);
  auto record = wait_session_state("ghost", session, "failed");
  EXPECT_THAT(str_of(record, "reason"), HasSubstr("could not start"));
  EXPECT_EQ(sessions_of("ghost").size(), 1u) << "not requeued: no second session was tried";
}

TEST_F(SwarmHostingTest, APoolServerKilledIsReplacedAndTheMatchGetsALiveOne) {
  // A task takes longer than a container to run: the pool's servers get 20 s to say ready.
  auto flags = fast_flags();
  *std::next(std::find(flags.begin(), flags.end(), "--ready-timeout-ms")) = "20000";
  expect_pool_replaces_and_hands_out(
      swarm_flags(flags), [&](const std::string& session) { wait_service_running(session); },
      [&](const std::string& session) { kill_server(session); });
}

TEST_F(SwarmHostingTest, Kill9WithAPoolAdoptsItsServicesAndThePoolOffLeavesNothing) {
  auto flags = fast_flags();
  *std::next(std::find(flags.begin(), flags.end(), "--ready-timeout-ms")) = "20000";
  expect_pool_kill9_adoption(
      swarm_flags(flags), [&](const std::string& session) { wait_service_running(session); },
      [&](const std::string& session) { kill_server(session); }, [&] { return services().size(); });
}

TEST_F(SwarmHostingTest, Kill9AndRestartOfWebgamesAdoptsTheService) {
  expect_kill9_adoption(
      swarm_flags(fast_flags()), [&](const std::string& session) { wait_service_running(session); },
      [&] { return services().size(); });
}

}  // namespace
}  // namespace webgames::testing
