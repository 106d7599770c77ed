#pragma once
// The Docker runtime: each server is a container of the game's image, created
// and watched through the Docker Engine API (DockerClient), never through the
// docker CLI. docs/docker.md is the user's page.
//
// A container is named after its session ("webgames-<session id>"), so that
// start() returns that name at once and the work goes on in a coroutine on
// the director's strand: a Docker call never blocks the strand. A launch that
// fails later (a missing image, a port the engine cannot publish, dockerd
// down) is reported as an exit with launch_failed set.
//
// Each container carries the labels webgames.session, webgames.game,
// webgames.owner and webgames.installation; it runs with the spec's memory,
// CPU and pids limits, no new privileges, every capability dropped but the
// spec's, a read-only root when the spec asks, and the image's own user.
// Its exit is noticed at once (the wait endpoint), its stdout and stderr are
// appended to the session's log file as they come, and it is removed once
// it has stopped. A server that stops is asked with SIGTERM, then killed
// after the grace period (dockerd's stop).
//
// Restarts: running containers outlive `webgames serve`; adopt() takes back
// those of unfinished sessions, and adoption_done() removes every other
// container of this installation. A dockerd that restarts kills its
// containers (unless live-restore is on); their exits are reported when it
// answers again, or as lost after `reconnect_timeout`.
//
// Threading: like every Runtime, called on the director's strand, which is
// `executor`; reports exits there. adopt() and clean_up_lost() run before
// the event loops do (Director::start) and block for one list call.

#include "docker/container_runtime.h"

#include <string>

namespace webgames::docker {

struct DockerOptions : ContainerOptions {};

// "webgames-<session id>": a container's name, and its runtime id.
inline std::string container_name(const std::string& session_id) { return server_name(session_id); }

// The body of POST /containers/create for `request` (pure: tested without
// dockerd). `sdk_url` is what the server calls back.
boost::json::object container_config(const LaunchRequest& request, const DockerOptions& options,
                                     const std::string& sdk_url);

// "exited with status 3", "was killed: out of memory (limit 64 MiB)", ...
std::string describe_exit(const ContainerState& state, int memory_mb);

class DockerRuntime final : public ContainerRuntime {
 public:
  DockerRuntime(boost::asio::any_io_executor executor, std::shared_ptr<const DockerClient> client,
                DockerOptions options);
  // Running containers are left for the next start to adopt; calls in
  // flight are cancelled and never report.
  ~DockerRuntime() override;

  std::string_view name() const override { return "docker"; }
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  bool adopt(const std::string& runtime_id, const std::filesystem::path& work_dir) override;

 private:
  struct Container;
  std::shared_ptr<Server> make_server(const LaunchRequest& request) override;
  boost::asio::awaitable<void> launch(std::string id, std::shared_ptr<Server> server, LaunchRequest request,
                                      std::string sdk_url) override;
  Task<void> follow(const std::string& id, Sink sink, bool tail_all, std::shared_ptr<Cancel> cancel) override;
  Task<std::vector<Listed>> list_installation() override;
  boost::asio::awaitable<void> remove_listed(const Listed& server) override;

  boost::asio::awaitable<void> watch(std::string id, std::shared_ptr<Container> server);
  boost::asio::awaitable<void> stop_container(std::string id, std::shared_ptr<Container> server);
  boost::asio::awaitable<void> remove_later(std::string id);  // retries while dockerd is unavailable
  // The containers of this installation, listed once (blocking) for adopt().
  const std::map<std::string, ContainerSummary>& existing();

  DockerOptions options_;
  std::optional<std::map<std::string, ContainerSummary>> existing_;
};

}  // namespace webgames::docker
