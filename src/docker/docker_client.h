#pragma once
// DockerClient: the few calls of the Docker Engine API (v1.41) that the
// Docker and Swarm runtimes need, over dockerd's unix socket, on Beast.
//
// Every call is a coroutine that runs on the caller's executor (a strand
// stays a strand) and never blocks a thread. One connection per call: a
// unix socket connects in microseconds, and a long call (wait, logs) then
// never holds up a short one.
//
// Errors are values (docs/errors.md):
//   unavailable    dockerd does not answer (socket missing, refused, reset,
//                  the deadline passed) or answers 5xx; the message says which
//   not_found      404: no such container, service or image
//   conflict       409: the name is taken, or the container is in the wrong state
//   invalid_field  400, and create_container's "no such image" (field server.image)
// Every short call has a deadline (Options::timeout); a long call (wait,
// logs) has none but can be ended through a Cancel.
//
// Thread safety: a DockerClient is immutable after construction; calls may
// run concurrently from any executor.

#include "core/error.h"
#include "docker/bridge_address.h"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::docker {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

struct ClientOptions {
  std::string socket = "/var/run/docker.sock";  // dockerd's unix socket
  std::string api_version = "v1.41";            // the oldest we speak: Debian bookworm's dockerd 20.10
  std::chrono::milliseconds timeout{
      30'000};  // per short call, connect included. Default: 30 s (a busy engine starts slowly)
  std::size_t body_limit = 8 * 1024 * 1024;  // largest answer read whole. Default: 8 MiB
  // When set, each call takes its connection from here (a connected stream
  // socket's descriptor, which the call then owns) instead of connecting to
  // `socket`: the fuzz harness (fuzz/docker_response.cpp) hands over one end
  // of a socketpair whose other end holds the answer. A negative value is
  // a refused connection.
  std::function<int()> connected_fd;
};

struct Reply {
  unsigned status = 0;
  std::string body;
};

// Ends a long call (wait, logs) in progress: the call returns unavailable
// with "cancelled". REQUIRES: cancel() runs on the executor of the call.
class Cancel {
 public:
  void cancel();
  bool cancelled() const { return cancelled_; }
  // For DockerClient: closes the running call's socket; empty between calls.
  std::function<void()>& close_hook() { return close_; }

 private:
  std::function<void()> close_;
  bool cancelled_ = false;
};

// A container as GET /containers/json lists it.
struct ContainerSummary {
  std::string id;
  std::string name;   // without the leading '/'
  std::string state;  // created, running, exited, ...
  std::map<std::string, std::string> labels;
};

// What inspect says about a container that has stopped.
struct ContainerState {
  std::string status;  // "running", "exited", "created", ...
  bool running = false;
  bool oom_killed = false;
  int exit_code = 0;
  std::string error;  // dockerd's reason when it could not start the container
};

class DockerClient {
 public:
  explicit DockerClient(ClientOptions options);
  const ClientOptions& options() const { return options_; }

  // One raw call. `target` starts with '/' and omits the version prefix.
  // `timeout` of zero means none (a long call); `cancel` may end it.
  Task<Reply> call(boost::beast::http::verb method, std::string target, std::string body = {},
                   std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                   std::shared_ptr<Cancel> cancel = nullptr) const;

  Task<void> ping() const;

  // POST /containers/create?name=…: returns the container id. `config` is
  // the API's ContainerConfig with its HostConfig.
  Task<std::string> create_container(const std::string& name, const boost::json::object& config) const;
  Task<void> start_container(const std::string& id) const;  // 304 (already started) is success
  // Stops with SIGTERM, then SIGKILL after `grace` (whole seconds, rounded up).
  Task<void> stop_container(const std::string& id, std::chrono::milliseconds grace) const;
  Task<void> kill_container(const std::string& id, std::string_view signal = "KILL") const;
  // Forced (a running container is killed) and with its anonymous volumes.
  // A container already gone is success.
  Task<void> remove_container(const std::string& id) const;
  Task<boost::json::object> inspect_container(const std::string& id) const;
  Task<ContainerState> container_state(const std::string& id) const;
  // All containers (running or not) that carry label `key` = `value`.
  Task<std::vector<ContainerSummary>> list_containers(const std::string& key, const std::string& value) const;
  // Waits, with no deadline, until the container is not running; returns
  // its exit code.
  Task<int> wait_container(const std::string& id, std::shared_ptr<Cancel> cancel = nullptr) const;
  // Follows stdout and stderr (demultiplexed, in order) into `sink`, each
  // piece as soon as it arrives, until the container stops; `tail_all` false skips what was logged before the call.
  // REQUIRES: the container has no TTY (its stream is multiplexed).
  Task<void> follow_logs(const std::string& id, std::function<void(std::string_view)> sink, bool tail_all,
                         std::shared_ptr<Cancel> cancel = nullptr) const;
  // The same for a service's tasks (GET /services/{id}/logs): the stream
  // does not end with the task; end it through `cancel`.
  Task<void> follow_service_logs(const std::string& service, std::function<void(std::string_view)> sink, bool tail_all,
                                 std::shared_ptr<Cancel> cancel = nullptr) const;
  Task<boost::json::object> inspect_image(const std::string& name) const;
  // GET /networks/{network}: its gateway, subnets and bridge interface
  // (host_address() turns that into where containers reach the host).
  Task<NetworkInfo> inspect_network(const std::string& network) const;

  // Swarm mode. POST /services/create: returns the service id.
  Task<std::string> create_service(const boost::json::object& spec) const;
  Task<void> remove_service(const std::string& id) const;  // gone already is success
  Task<boost::json::array> list_services(const std::string& key, const std::string& value) const;
  // The tasks of one service, newest first.
  Task<boost::json::array> service_tasks(const std::string& service_id) const;
  // The local node's swarm state: "inactive", "active", …
  Task<std::string> swarm_state() const;
  // The local node's id in the swarm (empty when it is in none).
  Task<std::string> swarm_node_id() const;
  // GET /nodes: every node of the swarm.
  Task<boost::json::array> list_nodes() const;
  // GET /tasks of every service whose desired state is running.
  Task<boost::json::array> list_running_tasks() const;
  // GET /services: every service, whoever made it.
  Task<boost::json::array> list_all_services() const;

 private:
  Task<void> follow_stream(std::string target, std::string what, std::function<void(std::string_view)> sink,
                           std::shared_ptr<Cancel> cancel) const;
  // GET /info's Swarm.<key>, or `fallback` when it says none.
  Task<std::string> swarm_info(std::string key, std::string fallback) const;
  Task<boost::json::array> call_array(std::string target, std::string what) const;
  Task<boost::json::value> call_json(boost::beast::http::verb method, std::string target, std::string body = {}) const;
  ClientOptions options_;
};

// The payload of a non-TTY container stream (logs, attach): frames of an
// 8-byte header (stream, 0, 0, 0, big-endian size) and that many bytes.
// Feed it bytes as they come; it hands complete payload pieces to `sink`.
class StreamDemuxer {
 public:
  explicit StreamDemuxer(std::function<void(std::string_view)> sink) : sink_(std::move(sink)) {}
  void feed(std::string_view bytes);

 private:
  std::function<void(std::string_view)> sink_;
  std::string header_;
  std::size_t remaining_ = 0;
};

// URL query escaping for the API's filters and names.
std::string url_escape(std::string_view text);

}  // namespace webgames::docker
