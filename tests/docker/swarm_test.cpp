// The hosting scenarios with `--runtime swarm`, on a single-node swarm of the
// private dockerd (the fixture docker.setup runs `docker swarm init`;
// docker.cleanup leaves it): a full Shifumi match in a one-replica service,
// a crash, a missing image, kill -9 and restart of webgames with adoption.
// Every test ends with no service and no container of its installation left,
// and with as many services and containers on the engine as before.

#include "docker/docker_test.h"
#include "swarm/swarm_runtime.h"

#include "support/json_lines_client.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>

#include <fstream>
#include <sstream>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool requeued(const Event& e) {
  auto* r = e.data.if_contains("requeued");
  return r != nullptr && r->is_bool() && r->get_bool();
}

void end_game(std::uint16_t port) {
  JsonLinesClient c("127.0.0.1", port);
  c.send_line("end");
  c.wait_eof();
}

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

  std::pair<std::string, std::uint16_t> match(Player& a, Player& b) {
    auto ra = expect_event(a, "session.ready", 30s);
    auto rb = expect_event(b, "session.ready", 30s);
    EXPECT_EQ(ra.str("session_id"), rb.str("session_id"));
    auto* port = ra.data.if_contains("port");
    return {ra.str("session_id"), port && port->is_int64() ? static_cast<std::uint16_t>(port->as_int64()) : 0};
  }

  std::string expect_failed(Player& a, Player& b, const std::string& reason_part, bool requeue,
                            std::chrono::milliseconds timeout = 30s) {
    std::string session;
    for (auto* p : {&a, &b}) {
      auto failed = expect_event(*p, "session.failed", timeout);
      EXPECT_THAT(failed.str("reason"), HasSubstr(reason_part)) << failed.raw;
      EXPECT_EQ(requeued(failed), requeue) << failed.raw;
      session = failed.str("session_id");
    }
    for (auto* p : {&a, &b}) call(verb::delete_, "/v1/tickets/" + p->ticket, {}, p->account.token);
    return session;
  }

 private:
  std::size_t services_before_ = 0;
  bool ready_ = false;
};

TEST(SwarmPure, ServiceSpecCarriesTheSpec) {
  LaunchRequest r;
  r.session_id = "ses_1";
  r.game = "g";
  r.owner_id = "acc_1";
  r.spec.image = "webgames/x";
  r.spec.args = {"--fast"};
  r.spec.env = {{"A", "1"}};
  r.spec.ports = {PortSpec{"game", Protocol::tcp}, PortSpec{"voice", Protocol::udp}};
  r.spec.memory_mb = 48;
  r.spec.pids_limit = 16;
  r.spec.capabilities = {"NET_BIND_SERVICE"};
  r.spec.read_only_root = true;
  r.env = {{"WEBGAMES_SDK_URL", "http://127.0.0.1:8080"}, {"WEBGAMES_PORT", "7000"}};
  r.ports = {{"game", 7000}, {"voice", 7001}};
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
  EXPECT_FALSE(h.at("EndpointSpec").as_object().contains("Ports"));
}

TEST_F(SwarmHostingTest, AFullShifumiMatchInAService) {
  start_webgames(swarm_flags({"--ready-timeout-ms", "20000", "--stop-grace-ms", "2000"}));
  auto server = image_server("webgames/shifumi", json::object{{"SHIFUMI_ROUNDS", "1"}});
  server["pids_limit"] = 32;
  server["cpu"] = 0.5;
  create_game("shifumi", server, duel_queue());
  auto a = join_queue("device-a", "shifumi");
  auto b = join_queue("device-b", "shifumi");
  auto ra = expect_event(a, "session.ready", 30s);
  auto rb = expect_event(b, "session.ready", 30s);
  auto session = ra.str("session_id");
  ASSERT_EQ(session, rb.str("session_id"));
  auto port = static_cast<std::uint16_t>(ra.data.at("port").as_int64());
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

  JsonLinesClient ca("127.0.0.1", port), cb("127.0.0.1", port);
  ca.send({{"type", "join"}, {"token", ra.str("join_token")}});
  cb.send({{"type", "join"}, {"token", rb.str("join_token")}});
  auto read_type = [](JsonLinesClient& c, std::string_view type) {
    for (int i = 0; i < 20; ++i) {
      auto m = c.read();
      if (!m) return false;
      if (str_of(*m, "type") == type) return true;
    }
    return false;
  };
  ASSERT_TRUE(read_type(ca, "round"));
  ASSERT_TRUE(read_type(cb, "round"));
  ca.send({{"type", "move"}, {"move", "rock"}});
  cb.send({{"type", "move"}, {"move", "scissors"}});
  EXPECT_TRUE(read_type(ca, "game_over"));
  EXPECT_TRUE(read_type(cb, "game_over"));

  for (auto* p : {&a, &b}) {
    auto ended = expect_event(*p, "session.ended", 20s);
    EXPECT_EQ(ended.str("session_id"), session);
    EXPECT_EQ(ended.data.at("results").as_array().size(), 2u) << ended.raw;
  }
  auto record = wait_session_state("shifumi", session, "ended");
  EXPECT_EQ(record.at("results").as_array().size(), 2u);
  expect_no_containers_left(30s);
  EXPECT_TRUE(eventually([&] { return services().empty(); }, 15s));
  EXPECT_TRUE(eventually([&] { return tcp_port_bindable(port); }, 10s)) << "port " << port << " is still held";
  // The service's logs are the session's log.
  auto log_api = call(verb::get, "/v1/sessions/" + session + "/log", {}, developer().token);
  EXPECT_EQ(log_api.status, 200u);
  EXPECT_THAT(log_api.raw, HasSubstr("shifumi-server: session " + session));
}

TEST_F(SwarmHostingTest, ACrashIsNoticedAndFailsTheSession) {
  start_webgames(swarm_flags({"--heartbeat-interval-ms", "60000", "--stop-grace-ms", "500"}));
  create_game("crash", image_server("webgames/test-server", json::object{{"TEST_MODE", "crash"}}), duel_queue());
  auto a = join_queue("device-a", "crash");
  auto b = join_queue("device-b", "crash");
  auto started = std::chrono::steady_clock::now();
  // Heartbeats are due only every minute: only the task's end can tell this fast.
  auto session = expect_failed(a, b, "exited with status 3", true, 20s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
  expect_no_containers_left(30s);
  auto record = wait_session_state("crash", session, "failed");
  EXPECT_THAT(str_of(record, "reason"), HasSubstr("exited with status 3"));
  EXPECT_THAT(read_text(sessions_dir() / session / "server.log"), HasSubstr("crashing"));
}

TEST_F(SwarmHostingTest, AMissingImageFailsTheSessionWithoutRequeueing) {
  start_webgames(swarm_flags(fast_flags()));
  create_game("ghost", image_server("webgames/no-such-image"), duel_queue());
  auto a = join_queue("device-a", "ghost");
  auto b = join_queue("device-b", "ghost");
  auto session = expect_failed(a, b, "No such image", false);
  auto record = wait_session_state("ghost", session, "failed");
  EXPECT_THAT(str_of(record, "reason"), HasSubstr("could not start"));
  EXPECT_EQ(sessions_of("ghost").size(), 1u) << "not requeued: no second session was tried";
}

TEST_F(SwarmHostingTest, Kill9AndRestartOfWebgamesAdoptsTheService) {
  start_webgames(swarm_flags(fast_flags()));
  create_game("adopt", image_server("webgames/test-server"), duel_queue());
  auto a = join_queue("device-a", "adopt");
  auto b = join_queue("device-b", "adopt");
  auto [session, port] = match(a, b);
  wait_service_running(session);
  auto api_port = HostingTest::port();  // the servers call back there
  webgames().kill9();
  // The service outlives webgames…
  auto tasks = sync(docker().service_tasks("webgames-" + session));
  ASSERT_TRUE(tasks && !tasks->empty());
  EXPECT_EQ(tasks->front().at("Status").at("State").as_string(), "running");
  // …and the next start adopts it.
  start_webgames(swarm_flags(fast_flags()), api_port);
  auto adopted = wait_session_state("adopt", session, "ready", 5s);
  EXPECT_EQ(str_of(adopted, "state"), "ready");
  EXPECT_EQ(services().size(), 1u);
  // Still watched: its end is reported and its service removed.
  end_game(port);
  wait_session_state("adopt", session, "ended");
  EXPECT_TRUE(eventually([&] { return services().empty(); }, 15s));
  expect_no_containers_left(30s);
}

}  // namespace
}  // namespace webgames::testing
