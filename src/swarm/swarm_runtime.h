#pragma once
// The Swarm runtime: each server is a one-replica Docker Swarm service of the
// game's image, so that the nodes joined into one swarm serve one Webgames
// installation. It speaks the Engine API of a manager node (DockerClient),
// never the docker CLI. docs/deploy-swarm.md is the user's page.
//
// A service is named after its session ("webgames-<session id>"): start()
// returns that name at once and the work goes on in a coroutine on the
// director's strand. Each service has restart condition none (a server that
// exits stays gone), its ports published in host mode (the director's port,
// the same number inside, on the node that runs the task), the environment
// and labels of the Docker runtime (on the service and on its container),
// the spec's memory, CPU and pids limits, every capability dropped but the
// spec's, and a read-only root when the spec asks. Swarm on API v1.41 has no
// no-new-privileges nor memory-swap setting: those two are not applied.
//
// Exits are noticed by polling the service's task (Options::poll):
//   complete          a clean exit
//   failed            a failure, with the task's error ("exited with status 3")
//   rejected, or a start that failed before the task ran, or a task not
//   running after Options::schedule_timeout
//                     launch_failed (a missing image, a port the node refuses)
// Logs follow the service's logs into the session log. stop() removes the
// service: Swarm stops its task with SIGTERM, then SIGKILL after the stop
// grace the service was created with (Options::stop_grace).
//
// Restarts: services outlive `webgames serve`; adopt() takes back those whose
// task runs, and adoption_done() removes every other service of this
// installation.
//
// Threading: like every Runtime, called on the director's strand, which is
// `executor`; reports exits there. adopt() runs before the event loops do
// (Director::start) and blocks for a few calls.

#include "director/runtime.h"
#include "docker/docker_client.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace webgames::swarm {

struct SwarmOptions {
  std::string host = "127.0.0.1";  // the address players are sent to
  std::string installation;        // the webgames.installation label: whose services these are. REQUIRED
  // Where tasks reach webgames' SDK: replaces a loopback host in
  // WEBGAMES_SDK_URL. Empty: the bridge network's gateway, which only the
  // node webgames runs on reaches (a single-node swarm).
  std::string sdk_host;
  std::chrono::milliseconds poll{250};                  // between two looks at a service's task
  std::chrono::milliseconds schedule_timeout{60'000};   // a task not running by then: launch_failed
  std::chrono::milliseconds stop_grace{10'000};         // the services' StopGracePeriod
  std::chrono::milliseconds reconnect_timeout{30'000};  // the manager unreachable this long: its servers are lost
  std::size_t log_limit = 64 * 1024 * 1024;             // bytes of one session's log kept. Default: 64 MiB
};

// "webgames-<session id>": a service's name, and its runtime id.
std::string service_name(const std::string& session_id);

// The body of POST /services/create for `request` (pure: tested without
// dockerd). `sdk_url` is what the server calls back.
boost::json::object service_spec(const LaunchRequest& request, const SwarmOptions& options, const std::string& sdk_url);

class SwarmRuntime final : public Runtime {
 public:
  SwarmRuntime(boost::asio::any_io_executor executor, std::shared_ptr<const docker::DockerClient> client,
               SwarmOptions options);
  // Running services are left for the next start to adopt; coroutines in
  // flight stop and never report.
  ~SwarmRuntime() override;

  std::string_view name() const override { return "swarm"; }
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
  boost::asio::awaitable<void> remove_service(std::string id);  // retries while the manager is unavailable
  boost::asio::awaitable<void> sweep();
  boost::asio::awaitable<Result<std::string>> sdk_url_for(const LaunchRequest& request);
  void report(const std::string& id, ServerExit exit);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<const docker::DockerClient> client_;
  SwarmOptions options_;
  ExitHandler on_exit_;
  std::map<std::string, std::shared_ptr<Server>> servers_;
  std::optional<std::map<std::string, boost::json::object>> existing_;  // services by name, for adopt()
  std::optional<std::string> gateway_;                                  // the bridge's, once looked up
  std::shared_ptr<bool> alive_;  // false once destroyed: coroutines in flight stop
};

}  // namespace webgames::swarm
