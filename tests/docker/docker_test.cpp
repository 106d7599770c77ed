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

json::object DockerTest::image_server(const std::string& image, const json::object& env) {
  return json::object{{"image", image},
                      {"env", env},
                      {"ports", json::array{json::object{{"name", "game"}}}},
                      {"memory_mb", 64},
                      {"max_duration_s", 120}};
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

void end_game(std::uint16_t port) {
  JsonLinesClient c("127.0.0.1", port);
  c.send_line("end");
  c.wait_eof();
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

DockerTest::ShifumiMatch DockerTest::start_shifumi_match(const std::vector<std::string>& flags,
                                                         const json::object& server,
                                                         std::chrono::milliseconds timeout) {
  start_webgames(flags);
  create_game("shifumi", server, duel_queue());
  ShifumiMatch m{join_queue("device-a", "shifumi"), join_queue("device-b", "shifumi"), {}, {}, {}, 0};
  m.ra = expect_event(m.a, "session.ready", timeout);
  m.rb = expect_event(m.b, "session.ready", timeout);
  m.session = m.ra.str("session_id");
  EXPECT_EQ(m.session, m.rb.str("session_id"));
  if (auto* port = m.ra.data.if_contains("port"); port && port->is_int64())
    m.port = static_cast<std::uint16_t>(port->as_int64());
  return m;
}

std::pair<std::string, std::uint16_t> DockerTest::match(Player& a, Player& b, std::chrono::milliseconds timeout) {
  auto ra = expect_event(a, "session.ready", timeout);
  auto rb = expect_event(b, "session.ready", timeout);
  EXPECT_EQ(ra.str("session_id"), rb.str("session_id"));
  EXPECT_EQ(ra.str("host"), "127.0.0.1");
  auto* port = ra.data.if_contains("port");
  return {ra.str("session_id"), port && port->is_int64() ? static_cast<std::uint16_t>(port->as_int64()) : 0};
}

std::string DockerTest::expect_failed(Player& a, Player& b, const std::string& reason_part, bool requeue,
                                      std::chrono::milliseconds timeout) {
  std::string session;
  for (auto* p : {&a, &b}) {
    auto failed = expect_event(*p, "session.failed", timeout);
    EXPECT_THAT(failed.str("reason"), ::testing::HasSubstr(reason_part)) << failed.raw;
    auto* r = failed.data.if_contains("requeued");
    EXPECT_EQ(r != nullptr && r->is_bool() && r->get_bool(), requeue) << failed.raw;
    session = failed.str("session_id");
  }
  for (auto* p : {&a, &b}) call(verb::delete_, "/v1/tickets/" + p->ticket, {}, p->account.token);
  return session;
}

void DockerTest::play_shifumi_to_the_end(Player& a, Player& b, const Event& ra, const Event& rb,
                                         std::chrono::milliseconds cleanup_timeout) {
  auto session = ra.str("session_id");
  auto port = static_cast<std::uint16_t>(ra.data.at("port").as_int64());
  // One round: a plays rock, b scissors.
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
  expect_no_containers_left(cleanup_timeout);
  EXPECT_TRUE(eventually([&] { return tcp_port_bindable(port); }, cleanup_timeout))
      << "port " << port << " is still held";
  // The server's stdout and stderr are the session's log.
  auto log_api = call(verb::get, "/v1/sessions/" + session + "/log", {}, developer().token);
  EXPECT_EQ(log_api.status, 200u);
  EXPECT_THAT(log_api.raw, ::testing::HasSubstr("shifumi-server: session " + session));
}

void DockerTest::expect_crash_noticed(std::vector<std::string> flags, std::chrono::milliseconds timeout) {
  flags.insert(flags.end(), {"--heartbeat-interval-ms", "60000", "--stop-grace-ms", "500"});
  start_webgames(flags);
  create_game("crash", image_server("webgames/test-server", json::object{{"TEST_MODE", "crash"}}), duel_queue());
  auto a = join_queue("device-a", "crash");
  auto b = join_queue("device-b", "crash");
  auto started = std::chrono::steady_clock::now();
  // Heartbeats are due only every minute: only the exit itself can tell this fast.
  auto session = expect_failed(a, b, "exited with status 3", true, timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, timeout);
  expect_no_containers_left(30s);
  auto record = wait_session_state("crash", session, "failed");
  EXPECT_THAT(str_of(record, "reason"), ::testing::HasSubstr("exited with status 3"));
  EXPECT_THAT(read_text(sessions_dir() / session / "server.log"), ::testing::HasSubstr("crashing"));
}

void DockerTest::expect_kill9_adoption(std::vector<std::string> flags,
                                       const std::function<void(const std::string&)>& running,
                                       const std::function<std::size_t()>& count) {
  start_webgames(flags);
  create_game("adopt", image_server("webgames/test-server"), duel_queue());
  auto a = join_queue("device-a", "adopt");
  auto b = join_queue("device-b", "adopt");
  auto [session, port] = match(a, b, 30s);
  running(session);
  auto api_port = HostingTest::port();  // the servers call back there
  webgames().kill9();
  // The server outlives webgames…
  running(session);
  // …and the next start adopts it (and removes nothing else of ours).
  start_webgames(flags, api_port);
  auto adopted = wait_session_state("adopt", session, "ready", 5s);
  EXPECT_EQ(str_of(adopted, "state"), "ready");
  EXPECT_EQ(count(), 1u);
  // Still watched: its end is reported and its server removed.
  end_game(port);
  wait_session_state("adopt", session, "ended");
  EXPECT_TRUE(eventually([&] { return count() == 0; }, 15s));
  expect_no_containers_left(30s);
}

}  // namespace webgames::testing
