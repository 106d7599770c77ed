// DockerClient against the real (private) dockerd: each call, and each way
// it fails, as the runtimes rely on them. The pure parts of the runtime
// (container_config, describe_exit, the stream demultiplexer) are here too.

#include "docker/docker_runtime.h"
#include "docker/docker_test.h"
#include "domain/game_json.h"

#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

namespace webgames::testing {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

class DockerClientTest : public DockerTest {
 protected:
  // A container of the test image in `mode`, labelled with this test's installation.
  std::string create(const std::string& name, const std::string& mode) {
    json::object config{{"Image", "webgames/test-server"},
                        {"Env", json::array{"TEST_MODE=" + mode}},
                        {"Labels", json::object{{"webgames.installation", installation()}}}};
    auto id = sync(docker().create_container(name, config));
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : std::string();
  }
};

TEST_F(DockerClientTest, CreatesStartsWaitsFollowsLogsAndRemoves) {
  auto name = "wg-client-" + installation();
  auto id = create(name, "exit_at_once");
  ASSERT_FALSE(id.empty());
  auto listed = containers();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].name, name);
  EXPECT_EQ(listed[0].state, "created");
  EXPECT_EQ(listed[0].labels.at("webgames.installation"), installation());

  ASSERT_TRUE(sync(docker().start_container(id)));
  auto code = sync(docker().wait_container(id));
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 2);
  auto state = sync(docker().container_state(id));
  ASSERT_TRUE(state);
  EXPECT_FALSE(state->running);
  EXPECT_EQ(state->exit_code, 2);
  EXPECT_FALSE(state->oom_killed);

  std::string logs;
  auto followed = sync(docker().follow_logs(
      id, [&](std::string_view s) { logs.append(s); }, true));
  ASSERT_TRUE(followed) << followed.error().message;
  EXPECT_EQ(logs, "docker-test-server: exiting at once\n");

  ASSERT_TRUE(sync(docker().remove_container(id)));
  EXPECT_TRUE(sync(docker().remove_container(id))) << "removing a removed container is success";
  EXPECT_EQ(sync(docker().inspect_container(id)).error().code, Errc::not_found);
}

TEST_F(DockerClientTest, AMissingImageIsAnInvalidServerImage) {
  json::object config{{"Image", "webgames/no-such-image"}};
  auto id = sync(docker().create_container("wg-missing-" + installation(), config));
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, Errc::invalid_field);
  EXPECT_EQ(id.error().field, "server.image");
  EXPECT_THAT(id.error().message, HasSubstr("webgames/no-such-image is not on the Docker host"));
  auto image = sync(docker().inspect_image("webgames/no-such-image"));
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().field, "server.image");
  auto present = sync(docker().inspect_image("webgames/test-server"));
  ASSERT_TRUE(present) << present.error().message;
  EXPECT_EQ(present->at("Config").at("User").as_string(), "65534:65534");
}

TEST_F(DockerClientTest, ANameTakenIsAConflict) {
  auto name = "wg-twice-" + installation();
  auto id = create(name, "exit_at_once");
  json::object config{{"Image", "webgames/test-server"}};
  auto again = sync(docker().create_container(name, config));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
  sync(docker().remove_container(id));
}

TEST_F(DockerClientTest, StopSendsTermThenTheContainerExits) {
  auto id = create("wg-stop-" + installation(), "idle");
  ASSERT_TRUE(sync(docker().start_container(id)));
  ASSERT_TRUE(sync(docker().container_state(id))->running);
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(sync(docker().stop_container(id, std::chrono::seconds(5))));
  // The server exits 0 on SIGTERM, well before the grace period.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
  auto state = sync(docker().container_state(id));
  ASSERT_TRUE(state);
  EXPECT_FALSE(state->running);
  sync(docker().remove_container(id));
}

TEST_F(DockerClientTest, ACancelledWaitReturnsAtOnce) {
  auto id = create("wg-cancel-" + installation(), "idle");
  ASSERT_TRUE(sync(docker().start_container(id)));
  boost::asio::io_context io;
  auto cancel = std::make_shared<docker::Cancel>();
  std::optional<Result<int>> waited;
  boost::asio::co_spawn(io, docker().wait_container(id, cancel),
                        [&](std::exception_ptr, Result<int> r) { waited.emplace(std::move(r)); });
  boost::asio::steady_timer timer(io, std::chrono::milliseconds(300));
  timer.async_wait([&](boost::system::error_code) { cancel->cancel(); });
  io.run_for(std::chrono::seconds(10));
  EXPECT_TRUE(sync(docker().container_state(id))->running) << "the container must still run: the wait was cancelled";
  sync(docker().remove_container(id));
  ASSERT_TRUE(waited) << "the wait did not end";
  ASSERT_FALSE(*waited);
  EXPECT_EQ(waited->error().message, "cancelled");
}

TEST_F(DockerClientTest, NoDockerdIsUnavailableWithTheSocketNamed) {
  docker::DockerClient nowhere(docker::ClientOptions{"/tmp/wg-no-such-dockerd.sock"});
  auto ping = sync(nowhere.ping());
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, Errc::unavailable);
  EXPECT_THAT(ping.error().message, HasSubstr("dockerd at /tmp/wg-no-such-dockerd.sock is unavailable"));
  auto created = sync(nowhere.create_container("x", json::object{{"Image", "webgames/test-server"}}));
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, Errc::unavailable);
}

TEST(DockerPure, StreamDemuxerJoinsFramesSplitAnywhere) {
  std::string out;
  docker::StreamDemuxer demux([&](std::string_view s) { out.append(s); });
  std::string frames = std::string(
                           "\x01\0\0\0\0\0\0\x03"
                           "abc",
                           11) +
                       std::string(
                           "\x02\0\0\0\0\0\0\x02"
                           "de",
                           10);
  for (char c : frames) demux.feed(std::string_view(&c, 1));
  EXPECT_EQ(out, "abcde");
}

TEST(DockerPure, DescribeExit) {
  docker::ContainerState s;
  s.exit_code = 3;
  EXPECT_EQ(docker::describe_exit(s, 64), "exited with status 3");
  s.exit_code = 137;
  EXPECT_THAT(docker::describe_exit(s, 64), HasSubstr("was killed by signal 9"));
  s.oom_killed = true;
  EXPECT_EQ(docker::describe_exit(s, 64), "was killed: out of memory (limit 64 MiB)");
}

TEST(DockerPure, ContainerConfigCarriesTheSpec) {
  auto r = sample_launch();
  r.spec.host_network = false;
  docker::DockerOptions o;
  o.installation = "ins_1";
  auto c = docker::container_config(r, o, "http://172.17.0.1:8080");
  EXPECT_EQ(json::serialize(c.at("Cmd")), R"(["--fast"])");
  EXPECT_THAT(json::serialize(c.at("Env")), HasSubstr(R"("WEBGAMES_SDK_URL=http://172.17.0.1:8080")"));
  EXPECT_THAT(json::serialize(c.at("Env")), HasSubstr(R"("A=1")"));
  EXPECT_EQ(json::serialize(c.at("ExposedPorts")), R"({"7000/tcp":{},"7001/udp":{}})");
  EXPECT_EQ(c.at("Labels").at("webgames.installation").as_string(), "ins_1");
  r.spec.host_network = true;
  auto h = docker::container_config(r, o, "http://127.0.0.1:8080");
  EXPECT_EQ(h.at("HostConfig").at("NetworkMode").as_string(), "host");
  EXPECT_FALSE(h.contains("ExposedPorts"));
  EXPECT_FALSE(h.at("HostConfig").as_object().contains("PortBindings"));
}

// The spec fields of the container runtimes: parsed, validated, written back.
Result<Game> game_with_server(json::object server) {
  server["ports"] = json::array{json::object{{"name", "game"}}};
  json::object game{{"name", "g"}, {"server", server}, {"queues", json::array{json::object{{"name", "duel"}}}}};
  auto parsed = game_from_json(game);
  if (!parsed) return parsed.error();
  if (auto valid = validate_game(*parsed); !valid) return valid.error();
  return parsed;
}

TEST(DockerSpec, ContainerFieldsRoundTrip) {
  auto g = game_with_server(json::object{{"image", "webgames/x"},
                                         {"network", "host"},
                                         {"pids_limit", 64},
                                         {"capabilities", json::array{"NET_BIND_SERVICE"}},
                                         {"read_only_root", true}});
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_TRUE(g->server.host_network);
  EXPECT_EQ(g->server.pids_limit, 64);
  EXPECT_EQ(g->server.capabilities, std::vector<std::string>{"NET_BIND_SERVICE"});
  EXPECT_TRUE(g->server.read_only_root);
  auto back = game_to_json(*g).at("server").as_object();
  EXPECT_EQ(back.at("network").as_string(), "host");
  EXPECT_EQ(back.at("pids_limit").as_int64(), 64);
  EXPECT_TRUE(back.at("read_only_root").as_bool());
  auto defaults = game_with_server(json::object{{"image", "webgames/x"}});
  ASSERT_TRUE(defaults);
  EXPECT_FALSE(defaults->server.host_network);
  EXPECT_EQ(defaults->server.pids_limit, 256);
  EXPECT_TRUE(defaults->server.capabilities.empty());
  EXPECT_FALSE(defaults->server.read_only_root);
}

TEST(DockerSpec, BadContainerFieldsNameTheField) {
  auto field_of = [](json::object server) {
    server["image"] = "webgames/x";
    auto g = game_with_server(std::move(server));
    return g ? std::string("(valid)") : g.error().field;
  };
  EXPECT_EQ(field_of({{"network", "overlay"}}), "server.network");
  EXPECT_EQ(field_of({{"pids_limit", 4}}), "server.pids_limit");
  EXPECT_EQ(field_of({{"pids_limit", 100000}}), "server.pids_limit");
  EXPECT_EQ(field_of({{"capabilities", json::array{"CAP_NET_ADMIN"}}}), "server.capabilities[0]");
  EXPECT_EQ(field_of({{"capabilities", json::array{"NET_ADMIN", "ALL"}}}), "server.capabilities[1]");
  EXPECT_EQ(field_of({{"capabilities", json::array{"net_admin"}}}), "server.capabilities[0]");
  EXPECT_EQ(field_of({{"read_only_root", "yes"}}), "server.read_only_root");
}

}  // namespace
}  // namespace webgames::testing
