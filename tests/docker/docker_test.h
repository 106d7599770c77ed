#pragma once
// The Docker runtime end to end: the real `webgames serve --runtime docker`,
// the private dockerd of scripts/dockerd (started by the ctest fixture
// docker.setup, with the images of images/build), real containers.
//
// Each test has an installation id of its own, and checks at the end that
// no container of it is left, and that the engine holds as many containers
// as before the test. Skipped only when the private dockerd does not answer
// and CI is not set; under CI=true that fails.

#include "director/runtime.h"
#include "docker/docker_client.h"
#include "hosting/container_hosting_test.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <functional>
#include <optional>
#include <string>

namespace webgames::testing {

// scripts/dockerd's socket ($WEBGAMES_DOCKERD_DIR/docker.sock).
std::string docker_socket();
bool in_ci();

// The launch request the pure tests of both runtimes build their bodies of:
// session ses_1 of game g, image webgames/x with args and env, ports game
// (tcp 7000) and voice (udp 7001), a loopback WEBGAMES_SDK_URL.
LaunchRequest sample_launch();

// Runs one client call to completion on a private io_context.
template <class T>
Result<T> sync(boost::asio::awaitable<Result<T>> call) {
  boost::asio::io_context io;
  std::optional<Result<T>> out;
  boost::asio::co_spawn(io, std::move(call), [&](std::exception_ptr e, Result<T> r) {
    out.emplace(e ? Result<T>(make_error(Errc::internal, "exception")) : std::move(r));
  });
  io.run();
  return std::move(*out);
}

class DockerTest : public ContainerHostingTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  const docker::DockerClient& docker() const { return client_; }
  const std::string& installation() const { return installation_; }
  // Flags of `serve` for the Docker runtime, then `more`.
  std::vector<std::string> docker_flags(std::vector<std::string> more = {}) const;
  std::vector<std::string> runtime_flags(std::vector<std::string> more = {}) const override {
    return docker_flags(std::move(more));
  }
  // The containers of this test's installation.
  std::vector<docker::ContainerSummary> containers();
  std::size_t all_containers();
  // Waits for the container of `session` to run; its inspect.
  boost::json::object wait_running(const std::string& session, std::chrono::milliseconds timeout = 15s);
  void expect_no_containers_left(std::chrono::milliseconds timeout = 15s) override;
  // docker kill (SIGKILL) of the container of `session` (labelled
  // webgames.session: a container, or a Swarm service's task).
  void kill_server(const std::string& session);

 private:
  docker::DockerClient client_{docker::ClientOptions{}};
  std::string installation_;
  std::size_t before_ = 0;
  bool skipped_ = false;
};

}  // namespace webgames::testing
