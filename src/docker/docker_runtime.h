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

#include "director/runtime.h"
#include "docker/docker_client.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace webgames::docker {

struct DockerOptions {
  std::string host = "127.0.0.1";  // the address players are sent to
  std::string installation;        // the webgames.installation label: whose containers these are. REQUIRED
  // Where containers on the bridge network reach webgames' SDK: replaces a
  // loopback host in WEBGAMES_SDK_URL. Empty: the bridge network's gateway.
  std::string sdk_host;
  std::chrono::milliseconds reconnect_timeout{30'000};  // dockerd unreachable this long: its servers are lost
  std::size_t log_limit = 64 * 1024 * 1024;             // bytes of one session's log kept. Default: 64 MiB
};

// "webgames-<session id>": a container's name, and its runtime id.
std::string container_name(const std::string& session_id);

// The body of POST /containers/create for `request` (pure: tested without
// dockerd). `sdk_url` is what the server calls back.
boost::json::object container_config(const LaunchRequest& request, const DockerOptions& options,
                                     const std::string& sdk_url);

// "exited with status 3", "was killed: out of memory (limit 64 MiB)", ...
std::string describe_exit(const ContainerState& state, int memory_mb);

class DockerRuntime final : public Runtime {
 public:
  DockerRuntime(boost::asio::any_io_executor executor, std::shared_ptr<const DockerClient> client,
                DockerOptions options);
  // Running containers are left for the next start to adopt; calls in
  // flight are cancelled and never report.
  ~DockerRuntime() override;

  std::string_view name() const override { return "docker"; }
  void on_exit(ExitHandler handler) override { on_exit_ = std::move(handler); }
  Result<LaunchedServer> start(const LaunchRequest& request) override;
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  bool adopt(const std::string& runtime_id, const std::filesystem::path& work_dir) override;
  void clean_up_lost(const std::string& runtime_id, const std::filesystem::path& work_dir) override;
  void adoption_done() override;

  // Servers created or being created, not yet reported gone.
  std::size_t running() const { return servers_.size(); }

 private:
  struct Server;
  boost::asio::awaitable<void> launch(std::string id, std::shared_ptr<Server> server, LaunchRequest request);
  boost::asio::awaitable<void> watch(std::string id, std::shared_ptr<Server> server);
  boost::asio::awaitable<void> follow_logs(std::string id, std::shared_ptr<Server> server, bool tail_all);
  boost::asio::awaitable<void> stop_container(std::string id, std::shared_ptr<Server> server);
  boost::asio::awaitable<void> sweep();
  boost::asio::awaitable<void> remove_later(std::string id);  // retries while dockerd is unavailable
  boost::asio::awaitable<Result<std::string>> sdk_url_for(const LaunchRequest& request);
  void report(const std::string& id, ServerExit exit);
  // The containers of this installation, listed once (blocking) for adopt().
  const std::map<std::string, ContainerSummary>& existing();

  boost::asio::any_io_executor executor_;
  std::shared_ptr<const DockerClient> client_;
  DockerOptions options_;
  ExitHandler on_exit_;
  std::map<std::string, std::shared_ptr<Server>> servers_;
  std::optional<std::map<std::string, ContainerSummary>> existing_;
  std::optional<std::string> gateway_;  // the bridge's, once looked up
  std::shared_ptr<bool> alive_;         // false once destroyed: coroutines in flight stop
};

}  // namespace webgames::docker
