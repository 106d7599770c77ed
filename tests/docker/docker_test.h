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
#include "hosting/hosting_test.h"

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
// Sends "end" to a good test server: it reports the end and exits.
void end_game(std::uint16_t port);

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

class DockerTest : public HostingTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  const docker::DockerClient& docker() const { return client_; }
  const std::string& installation() const { return installation_; }
  // Flags of `serve` for the Docker runtime, then `more`.
  std::vector<std::string> docker_flags(std::vector<std::string> more = {}) const;
  // A server spec of `image` with one port "game".
  static boost::json::object image_server(const std::string& image, const boost::json::object& env = {});
  // The containers of this test's installation.
  std::vector<docker::ContainerSummary> containers();
  std::size_t all_containers();
  // Waits for the container of `session` to run; its inspect.
  boost::json::object wait_running(const std::string& session, std::chrono::milliseconds timeout = 15s);
  void expect_no_containers_left(std::chrono::milliseconds timeout = 15s);

  // --- the scenarios both container runtimes share ---
  // Both players see session.ready of one session; returns it and its port.
  std::pair<std::string, std::uint16_t> match(Player& a, Player& b, std::chrono::milliseconds timeout = 20s);
  // Both players are told the session failed, with `reason_part`; their
  // tickets are then withdrawn so that no other session starts.
  std::string expect_failed(Player& a, Player& b, const std::string& reason_part, bool requeue,
                            std::chrono::milliseconds timeout = 20s);
  // webgames started with `flags`, game "shifumi" served by `server`, two
  // guests queued and told session.ready of one session.
  struct ShifumiMatch {
    Player a, b;
    Event ra, rb;
    std::string session;
    std::uint16_t port = 0;
  };
  ShifumiMatch start_shifumi_match(const std::vector<std::string>& flags, const boost::json::object& server,
                                   std::chrono::milliseconds timeout);
  // One round of Shifumi (game "shifumi") between the two players of `ra` and `rb` (their
  // session.ready) on `port`, then: both told the end with results, the
  // session ended with them, no container left, the port free again, the
  // server's output in the session log.
  void play_shifumi_to_the_end(Player& a, Player& b, const Event& ra, const Event& rb,
                               std::chrono::milliseconds cleanup_timeout);
  // A server that crashes (`flags` start webgames): noticed within `timeout`
  // though heartbeats are due only every minute, the session failed with
  // the exit status, its output in the session log.
  void expect_crash_noticed(std::vector<std::string> flags, std::chrono::milliseconds timeout);
  // Kill -9 of webgames while a server runs, a restart with `flags`:
  // the session is adopted; its end is still noticed. `running` waits for
  // the server of a session; `count` counts this installation's servers.
  void expect_kill9_adoption(std::vector<std::string> flags, const std::function<void(const std::string&)>& running,
                             const std::function<std::size_t()>& count);

 private:
  docker::DockerClient client_{docker::ClientOptions{}};
  std::string installation_;
  std::size_t before_ = 0;
  bool skipped_ = false;
};

}  // namespace webgames::testing
