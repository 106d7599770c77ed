#include "swarm/swarm_runtime.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>

#include <cstring>
#include <fstream>

namespace webgames::swarm {

namespace asio = boost::asio;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using docker::Cancel;
using docker::kLabelLogFile;
using docker::sleep_for;

namespace {

constexpr auto kRetryPause = 500ms;  // between calls to a manager that does not answer
constexpr auto kLogQuiet = 500ms;    // after the exit, the log stream is drained once quiet this long…
constexpr auto kLogFirst = 1s;  // …open this long, and something came (the manager fetches the logs from the node)…
constexpr auto kLogDrain = 3s;  // …or after this long at most (a service's stream never ends by itself)
constexpr auto kGoneTimeout = 30s;  // after a removal, how long its task may take to go (its ports held)

std::string str_at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* at = &v;
  for (auto key : path) {
    if (!at->is_object()) return {};
    at = at->get_object().if_contains(key);
    if (at == nullptr) return {};
  }
  return at->is_string() ? std::string(at->get_string()) : std::string();
}

std::optional<std::int64_t> int_at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* at = &v;
  for (auto key : path) {
    if (!at->is_object()) return std::nullopt;
    at = at->get_object().if_contains(key);
    if (at == nullptr) return std::nullopt;
  }
  if (at->is_int64()) return at->get_int64();
  if (at->is_uint64()) return static_cast<std::int64_t>(at->get_uint64());
  return std::nullopt;
}

// Single-purpose readers: coroutines call these, never str_at with a braced
// list (GCC 12 miscompiles an initializer_list in a coroutine frame).
std::string task_state(const json::value& t) { return str_at(t, {"Status", "State"}); }
std::string task_err(const json::value& t) { return str_at(t, {"Status", "Err"}); }
std::string task_message(const json::value& t) { return str_at(t, {"Status", "Message"}); }
std::string task_node(const json::value& t) { return str_at(t, {"NodeID"}); }
bool task_has_exit_code(const json::value& t) {
  return int_at(t, {"Status", "ContainerStatus", "ExitCode"}).has_value();
}
std::string service_name_of(const json::value& s) { return str_at(s, {"Spec", "Name"}); }
std::string service_id_of(const json::value& s) { return str_at(s, {"ID"}); }

// What a task in a final state says of its end.
std::string describe_task(const json::value& task) {
  auto err = str_at(task, {"Status", "Err"});
  auto code = int_at(task, {"Status", "ContainerStatus", "ExitCode"});
  if (code && *code > 128 && *code < 128 + 65) {
    int sig = static_cast<int>(*code - 128);
    return fmt::format("was killed by signal {} ({})", sig, strsignal(sig));
  }
  if (code && *code != 0) return fmt::format("exited with status {}", *code);
  if (!err.empty()) return err;
  return code ? "exited with status 0" : "exited";
}

}  // namespace

struct SwarmRuntime::Service : Server {
  bool ran = false;  // its task was seen running
  std::chrono::steady_clock::time_point stopped_at{};
  bool logs_open = false;                                  // a log stream was started
  std::chrono::steady_clock::time_point logs_opened_at{};  // when the log stream was asked for
};

json::object service_spec(const LaunchRequest& r, const SwarmOptions& o, const std::string& sdk_url) {
  const auto& spec = r.spec;
  auto labels = docker::server_labels(r, o.installation);
  json::array caps;
  for (const auto& c : spec.capabilities) caps.emplace_back(c);
  json::object container{
      {"Image", spec.image},
      {"Env", docker::server_env(r, sdk_url)},
      {"Labels", labels},
      {"ReadOnly", spec.read_only_root},
      {"CapabilityDrop", json::array{"ALL"}},  // API 1.41 (dockerd 20.10)
      {"CapabilityAdd", std::move(caps)},
      {"StopGracePeriod", static_cast<std::int64_t>(o.stop_grace.count()) * 1'000'000},
      {"StopSignal", "SIGTERM"},
  };
  if (!spec.args.empty()) {
    json::array args;
    for (const auto& a : spec.args) args.emplace_back(a);
    container["Args"] = std::move(args);
  }
  if (spec.read_only_root)
    container["Mounts"] = json::array{json::object{
        {"Type", "tmpfs"}, {"Target", "/tmp"}, {"TmpfsOptions", json::object{{"SizeBytes", 16 * 1024 * 1024}}}}};
  json::object limits;
  if (spec.memory_mb > 0) limits["MemoryBytes"] = static_cast<std::int64_t>(spec.memory_mb) * 1024 * 1024;
  if (spec.cpu > 0) limits["NanoCPUs"] = static_cast<std::int64_t>(spec.cpu * 1e9);
  if (spec.pids_limit > 0) limits["Pids"] = static_cast<std::int64_t>(spec.pids_limit);  // API 1.41
  json::array constraints;
  if (!r.placement.node.empty()) constraints.emplace_back("node.id==" + r.placement.node);
  json::object task{
      {"ContainerSpec", std::move(container)},
      // On the node its ports were taken on, and its players sent to.
      {"Placement", json::object{{"Constraints", std::move(constraints)}}},
      {"Resources", json::object{{"Limits", std::move(limits)}}},
      {"RestartPolicy", json::object{{"Condition", "none"}, {"MaxAttempts", 0}}},
      // The session log is ours; the node keeps only a little for `docker service logs`.
      {"LogDriver",
       json::object{{"Name", "json-file"}, {"Options", json::object{{"max-size", "1m"}, {"max-file", "1"}}}}},
  };
  json::object endpoint;
  if (spec.host_network) {
    task["Networks"] = json::array{json::object{{"Target", "host"}}};
  } else {
    // Host mode: the port is opened on the node that runs the task, the
    // same number inside (WEBGAMES_PORT holds for both), no routing mesh.
    json::array ports;
    for (const auto& p : spec.ports) {
      auto it = r.ports.find(p.name);
      if (it == r.ports.end()) continue;
      ports.emplace_back(json::object{{"Protocol", transport_of(p.protocol)},
                                      {"TargetPort", it->second},
                                      {"PublishedPort", it->second},
                                      {"PublishMode", "host"}});
    }
    endpoint["Ports"] = std::move(ports);
  }
  return json::object{{"Name", service_name(r.session_id)},
                      {"Labels", std::move(labels)},
                      {"TaskTemplate", std::move(task)},
                      {"Mode", json::object{{"Replicated", json::object{{"Replicas", 1}}}}},
                      {"EndpointSpec", std::move(endpoint)}};
}

SwarmRuntime::SwarmRuntime(asio::any_io_executor executor, std::shared_ptr<const docker::DockerClient> client,
                           SwarmOptions options)
    : ContainerRuntime(std::move(executor), std::move(client), options), options_(std::move(options)) {
  refreshing_ = true;
  spawn(refresh_nodes());  // known by the first placement, once the strand runs
}

Result<Placement> SwarmRuntime::place(const LaunchRequest&) {
  if (!refreshing_ && std::chrono::steady_clock::now() - nodes_at_ > options_.nodes_refresh) {
    refreshing_ = true;
    spawn(refresh_nodes());
  }
  if (!nodes_) return make_error(Errc::unavailable, "the swarm's nodes are not known yet");
  auto node = nodes_->least_loaded();
  if (!node) return make_error(Errc::unavailable, "no swarm node is ready and active");
  // Counted at once (until the next list), so that sessions placed before
  // it spread; one held for want of a port counts until then too.
  nodes_->count_placed(node->id);
  return Placement{node->id, node->host};
}

bool SwarmRuntime::port_free(const Placement& placement, int port, Protocol protocol) {
  if (nodes_)
    if (const auto* node = nodes_->find(placement.node);
        node && node->ports.contains({protocol == Protocol::udp ? Protocol::udp : Protocol::tcp, port}))
      return false;
  if (placement.node.empty() || placement.node == self_node_)
    return PortAllocator::bindable(static_cast<std::uint16_t>(port), protocol);
  return true;  // another node: only what the manager reports of it is known
}

asio::awaitable<void> SwarmRuntime::refresh_nodes() {
  auto alive = alive_;
  if (self_node_.empty()) {
    auto self = co_await client_->swarm_node_id();
    if (!*alive) co_return;
    if (self) self_node_ = *self;
  }
  auto nodes = co_await client_->list_nodes();
  if (!*alive) co_return;
  auto tasks = co_await client_->list_running_tasks();
  if (!*alive) co_return;
  auto services = co_await client_->list_all_services();
  if (!*alive) co_return;
  refreshing_ = false;
  if (!nodes || !tasks || !services) {
    auto why = !nodes ? nodes.error().message : !tasks ? tasks.error().message : services.error().message;
    spdlog::warn("swarm runtime: cannot list the swarm's nodes and ports: {}", why);
    co_return;
  }
  nodes_ = SwarmNodes::from_engine(*nodes, *tasks, *services, options_.host, options_.installation);
  nodes_at_ = std::chrono::steady_clock::now();
}

std::shared_ptr<SwarmRuntime::Server> SwarmRuntime::make_server(const LaunchRequest&) {
  return std::make_shared<Service>();
}

asio::awaitable<void> SwarmRuntime::launch(std::string id, std::shared_ptr<Server> base, LaunchRequest request,
                                           std::string sdk_url) {
  auto server = std::static_pointer_cast<Service>(base);
  auto spec = service_spec(request, options_, sdk_url);
  bool created = co_await create_replacing(
      id, [&] { return client_->create_service(spec); }, [&] { return client_->remove_service(id); }, kRetryPause);
  if (!created) co_return;
  server->created = true;
  spdlog::info("swarm runtime: session {} created service {} ({})", request.session_id, id, request.spec.image);
  co_await watch(id, server);
}

asio::awaitable<void> SwarmRuntime::watch(std::string id, std::shared_ptr<Service> server) {
  auto alive = alive_;
  auto since = std::chrono::steady_clock::now();
  auto unreachable_since = std::optional<std::chrono::steady_clock::time_point>();
  ServerExit exit{id, "exited", false, false};
  bool remove = true;
  for (;;) {
    co_await sleep_for(options_.poll);
    if (!*alive) co_return;
    auto tasks = co_await client_->service_tasks(id);
    if (!*alive) co_return;
    if (server->stopping && std::chrono::steady_clock::now() - server->stopped_at > kGoneTimeout) {
      exit.description = "was stopped (its service was removed; its task did not go away in time)";
      remove = false;
      break;
    }
    if (!tasks) {
      if (server->stopping && tasks.error().code == Errc::not_found) {
        exit.description = "was stopped (its service was removed)";
        remove = false;
        break;
      }
      if (tasks.error().code != Errc::unavailable) {
        exit.description = "disappeared: " + tasks.error().message;
        remove = false;
        break;
      }
      auto now = std::chrono::steady_clock::now();
      if (!unreachable_since) {
        unreachable_since = now;
        spdlog::warn("swarm runtime: cannot see the tasks of {}: {}", id, tasks.error().message);
      }
      if (now - *unreachable_since > options_.reconnect_timeout) {
        exit.description = fmt::format("was lost: the swarm manager did not answer for {} s",
                                       options_.reconnect_timeout.count() / 1000);
        break;
      }
      continue;
    }
    unreachable_since.reset();
    if (tasks->empty()) {
      if (server->stopping) {
        // Removed by stop(): its task is gone with its ports.
        exit.description = "was stopped (its service was removed)";
        remove = false;
        break;
      }
      if (std::chrono::steady_clock::now() - since > options_.schedule_timeout) {
        exit = ServerExit{id, "was never scheduled: the swarm made no task for it", false, true};
        break;
      }
      continue;
    }
    if (server->stopping) continue;  // stop() removed it: wait until its task is gone
    const auto& task = tasks->front();
    auto state = task_state(task);
    auto err = task_err(task);
    if (state == "running") {
      if (!server->ran) spdlog::info("swarm runtime: {} runs on node {}", id, task_node(task));
      server->ran = true;
      open_logs(id, server);
      continue;
    }
    if (state == "complete") {
      exit = ServerExit{id, describe_task(task), true, false};
      break;
    }
    if (state == "failed" || state == "shutdown" || state == "orphaned" || state == "remove") {
      bool start_failed = !server->ran && (err.starts_with("starting container failed") ||
                                           err.find("No such image") != std::string::npos || !task_has_exit_code(task));
      if (state == "failed" && start_failed) {
        exit = ServerExit{id, err.empty() ? "the task failed to start" : err, false, true};
      } else if (state == "failed") {
        exit = ServerExit{id, describe_task(task), false, false};
      } else {
        exit = ServerExit{id, fmt::format("was shut down by the swarm ({})", err.empty() ? state : err), false, false};
      }
      break;
    }
    if (state == "rejected") {
      exit = ServerExit{id, fmt::format("was rejected by the swarm: {}", err.empty() ? "no reason given" : err), false,
                        true};
      break;
    }
    // new, pending, assigned, accepted, preparing, starting
    if (!server->ran && std::chrono::steady_clock::now() - since > options_.schedule_timeout) {
      auto message = task_message(task);
      exit = ServerExit{id,
                        fmt::format("was not running after {} s (task {}: {})",
                                    options_.schedule_timeout.count() / 1000, state, err.empty() ? message : err),
                        false, true};
      break;
    }
  }
  if (!exit.launch_failed && !server->stopping) open_logs(id, server);  // a task that ended before a poll saw it run
  if (!co_await drain_logs(server)) co_return;
  server->logs_cancel->cancel();
  if (remove) spawn(remove_service(id));
  report(id, std::move(exit));
}

void SwarmRuntime::open_logs(const std::string& id, const std::shared_ptr<Service>& server) {
  if (server->logs_open || server->log_file.empty()) return;
  server->logs_open = true;
  server->last_log = server->logs_opened_at = std::chrono::steady_clock::now();
  spawn(copy_logs(id, server, true));
}

asio::awaitable<bool> SwarmRuntime::drain_logs(std::shared_ptr<Service> server) {
  auto alive = alive_;
  if (!server->logs_open) co_return true;
  auto start = std::chrono::steady_clock::now();
  auto quiet = [&] {
    auto now = std::chrono::steady_clock::now();
    // A loaded manager may take over a second for the first lines: a
    // stream that has given nothing yet is waited for up to kLogDrain.
    bool heard = server->last_log > server->logs_opened_at;
    return heard && now - server->last_log >= kLogQuiet && now - server->logs_opened_at >= kLogFirst;
  };
  while (std::chrono::steady_clock::now() - start < kLogDrain && !quiet()) {
    co_await sleep_for(50ms);
    if (!*alive) co_return false;
  }
  co_return true;
}

asio::awaitable<void> SwarmRuntime::remove_service(std::string id) {
  auto alive = alive_;
  auto deadline = std::chrono::steady_clock::now() + options_.reconnect_timeout;
  for (;;) {
    auto removed = co_await client_->remove_service(id);
    if (!*alive || removed) co_return;
    if (removed.error().code != Errc::unavailable || std::chrono::steady_clock::now() > deadline) {
      spdlog::error("swarm runtime: cannot remove service {} ({}); the next start removes it", id,
                    removed.error().message);
      co_return;
    }
    co_await sleep_for(kRetryPause);
    if (!*alive) co_return;
  }
}

void SwarmRuntime::stop(const std::string& runtime_id, std::chrono::milliseconds grace) {
  auto it = servers_.find(runtime_id);
  if (it == servers_.end() || it->second->stopping) return;
  auto server = std::static_pointer_cast<Service>(it->second);
  server->stopping = true;
  server->stopped_at = std::chrono::steady_clock::now();
  if (grace != options_.stop_grace)
    spdlog::debug("swarm runtime: {} stops with the service's grace of {} ms, not {} ms", runtime_id,
                  options_.stop_grace.count(), grace.count());
  if (server->created && !server->logs_open && !server->log_file.empty()) {
    // A server that ended before a poll saw it run has had no log stream:
    // its lines are fetched before its service goes (they go with it).
    open_logs(runtime_id, server);
    spawn([](SwarmRuntime* self, std::string id, std::shared_ptr<Service> s,
             std::shared_ptr<bool> alive) -> asio::awaitable<void> {
      if (*alive && co_await self->drain_logs(s)) co_await self->remove_service(id);
    }(this, runtime_id, server, alive_));
    return;
  }
  // Before the service exists, launch() creates it and watch() sees it
  // stopping; removing a service not yet created is harmless.
  spawn(remove_service(runtime_id));
  if (!server->created) {
    // launch() is creating it: remove it once more after the creation.
    auto alive = alive_;
    spawn([](SwarmRuntime* self, std::string id, std::shared_ptr<Service> s,
             std::shared_ptr<bool> alive) -> asio::awaitable<void> {
      for (int i = 0; i < 120 && !s->created; ++i) {
        co_await sleep_for(250ms);
        if (!*alive) co_return;
      }
      if (s->created) co_await self->remove_service(id);
    }(this, runtime_id, server, alive));
  }
}

bool SwarmRuntime::adopt(const std::string& runtime_id, const std::filesystem::path&) {
  auto client = client_;
  if (!existing_) {
    auto key = std::string(docker::kLabelInstallation), value = options_.installation;
    auto listed = run_blocking<json::array>([client, key, value] { return client->list_services(key, value); });
    existing_.emplace();
    if (!listed) {
      spdlog::error("swarm runtime: cannot list services to adopt: {}", listed.error().message);
    } else {
      for (auto& s : *listed) {
        auto name = str_at(s, {"Spec", "Name"});
        if (!name.empty() && s.is_object()) existing_->emplace(name, std::move(s.get_object()));
      }
    }
  }
  auto it = existing_->find(runtime_id);
  if (it == existing_->end()) return false;
  auto tasks = run_blocking<json::array>([client, runtime_id] { return client->service_tasks(runtime_id); });
  if (!tasks || tasks->empty() || str_at(tasks->front(), {"Status", "State"}) != "running") return false;
  auto server = std::make_shared<Service>();
  server->ran = true;
  adopted(runtime_id, server, str_at(it->second, {"Spec", "Labels", kLabelLogFile}));
  if (server->logs_following) {
    server->logs_open = true;
    server->logs_opened_at = server->last_log;
  }
  spawn(watch(runtime_id, server));
  return true;
}

docker::Task<void> SwarmRuntime::follow(const std::string& id, Sink sink, bool tail_all,
                                        std::shared_ptr<Cancel> cancel) {
  return client_->follow_service_logs(id, std::move(sink), tail_all, std::move(cancel));
}

docker::Task<std::vector<SwarmRuntime::Listed>> SwarmRuntime::list_installation() {
  auto listed = co_await client_->list_services(std::string(docker::kLabelInstallation), options_.installation);
  if (!listed) co_return listed.error();
  std::vector<Listed> out;
  for (const auto& s : *listed) out.push_back(Listed{service_name_of(s), service_id_of(s)});
  co_return out;
}

asio::awaitable<void> SwarmRuntime::remove_listed(const Listed& server) { co_await remove_service(server.id); }

}  // namespace webgames::swarm
