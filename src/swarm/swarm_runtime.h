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
// Placement: before the director takes a session's ports, place() chooses
// its node (the ready, active node with the fewest of this installation's
// servers) from the nodes, tasks and services the manager lists, listed
// again when that list is older than Options::nodes_refresh. The director
// takes the ports on that node (port_free: no task there publishes them,
// and on the node webgames runs on they bind); the service is constrained
// to it (node.id==…), and its players are sent to its address
// (swarm_nodes.h).
//
// Restarts: services outlive `webgames serve`; adopt() takes back those whose
// task runs, and adoption_done() removes every other service of this
// installation.
//
// Threading: like every Runtime, called on the director's strand, which is
// `executor`; reports exits there. adopt() runs before the event loops do
// (Director::start) and blocks for a few calls.

#include "docker/container_runtime.h"
#include "swarm/swarm_nodes.h"

#include <string>

namespace webgames::swarm {

struct SwarmOptions : docker::ContainerOptions {
  // (sdk_host empty: the host side of the bridge network, which only the
  // node webgames runs on reaches: set it on a swarm of several nodes.)
  std::chrono::milliseconds poll{250};                 // between two looks at a service's task
  std::chrono::milliseconds schedule_timeout{60'000};  // a task not running by then: launch_failed
  std::chrono::milliseconds stop_grace{10'000};        // the services' StopGracePeriod
  std::chrono::milliseconds nodes_refresh{2'000};      // the nodes and their ports are listed again when older
};

// "webgames-<session id>": a service's name, and its runtime id.
inline std::string service_name(const std::string& session_id) { return docker::server_name(session_id); }

// The body of POST /services/create for `request` (pure: tested without
// dockerd). `sdk_url` is what the server calls back.
boost::json::object service_spec(const LaunchRequest& request, const SwarmOptions& options, const std::string& sdk_url);

class SwarmRuntime final : public docker::ContainerRuntime {
 public:
  SwarmRuntime(boost::asio::any_io_executor executor, std::shared_ptr<const docker::DockerClient> client,
               SwarmOptions options);

  std::string_view name() const override { return "swarm"; }
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  bool adopt(const std::string& runtime_id, const std::filesystem::path& work_dir) override;
  // The ready, active node with the fewest of our servers, and its players'
  // address. unavailable until the nodes are known (a moment after the start).
  Result<Placement> place(const LaunchRequest& request) override;
  // Free on that node: no task there (nor any routing-mesh port) publishes
  // it, and, on the node webgames runs on, it binds.
  bool port_free(const Placement& placement, int port, Protocol protocol) override;

 private:
  struct Service;
  std::shared_ptr<Server> make_server(const LaunchRequest& request) override;
  boost::asio::awaitable<void> launch(std::string id, std::shared_ptr<Server> server, LaunchRequest request,
                                      std::string sdk_url) override;
  docker::Task<void> follow(const std::string& id, Sink sink, bool tail_all,
                            std::shared_ptr<docker::Cancel> cancel) override;
  docker::Task<std::vector<Listed>> list_installation() override;
  boost::asio::awaitable<void> remove_listed(const Listed& server) override;

  boost::asio::awaitable<void> watch(std::string id, std::shared_ptr<Service> server);
  boost::asio::awaitable<void> remove_service(std::string id);  // retries while the manager is unavailable
  // Starts copying the service's log to the session log (once).
  void open_logs(const std::string& id, const std::shared_ptr<Service>& server);
  // Waits until an open log stream has given its last lines (it never ends
  // by itself); false when the runtime went away meanwhile.
  boost::asio::awaitable<bool> drain_logs(std::shared_ptr<Service> server);
  boost::asio::awaitable<void> refresh_nodes();

  SwarmOptions options_;
  std::optional<std::map<std::string, boost::json::object>> existing_;  // services by name, for adopt()
  std::optional<SwarmNodes> nodes_;                                     // as last listed
  std::chrono::steady_clock::time_point nodes_at_{};                    // when
  bool refreshing_ = false;                                             // a list is on its way
  std::string self_node_;  // the node of the engine webgames talks to (its unix socket: this host)
};

}  // namespace webgames::swarm
