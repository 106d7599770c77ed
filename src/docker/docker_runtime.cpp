#include "docker/docker_runtime.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>

#include <csignal>
#include <cstring>
#include <fstream>

namespace webgames::docker {

namespace asio = boost::asio;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr auto kLogDrain = 2s;       // after the exit, how long the last log lines may take
constexpr auto kRetryPause = 500ms;  // between calls to a dockerd that does not answer

}  // namespace

struct DockerRuntime::Container : Server {
  std::chrono::milliseconds grace{0};
  int memory_mb = 0;
  std::shared_ptr<Cancel> wait_cancel = std::make_shared<Cancel>();
};

json::object container_config(const LaunchRequest& r, const DockerOptions& o, const std::string& sdk_url) {
  const auto& spec = r.spec;
  json::object host{
      {"NetworkMode", spec.host_network ? "host" : "bridge"},
      {"Memory", static_cast<std::int64_t>(spec.memory_mb) * 1024 * 1024},
      {"MemorySwap", static_cast<std::int64_t>(spec.memory_mb) * 1024 * 1024},  // no swap on top
      {"NanoCpus", static_cast<std::int64_t>(spec.cpu * 1e9)},
      {"PidsLimit", spec.pids_limit},
      {"SecurityOpt", json::array{"no-new-privileges"}},
      {"CapDrop", json::array{"ALL"}},
      {"ReadonlyRootfs", spec.read_only_root},
      {"RestartPolicy", json::object{{"Name", "no"}}},
      {"AutoRemove", false},  // we remove it, after reading its exit and its last logs
      // The session log is ours; dockerd keeps only a little for `docker logs`.
      {"LogConfig",
       json::object{{"Type", "json-file"}, {"Config", json::object{{"max-size", "1m"}, {"max-file", "1"}}}}},
  };
  json::array caps;
  for (const auto& c : spec.capabilities) caps.emplace_back(c);
  host["CapAdd"] = std::move(caps);
  if (spec.read_only_root) host["Tmpfs"] = json::object{{"/tmp", "rw,nosuid,nodev,size=16m"}};
  json::object config{
      {"Image", spec.image}, {"Env", server_env(r, sdk_url)}, {"Labels", server_labels(r, o.installation)}};
  if (!spec.args.empty()) {
    json::array cmd;
    for (const auto& a : spec.args) cmd.emplace_back(a);
    config["Cmd"] = std::move(cmd);
  }
  if (!spec.host_network) {
    // The same number inside as outside: WEBGAMES_PORT holds for both.
    json::object exposed, bindings;
    for (const auto& p : spec.ports) {
      auto it = r.ports.find(p.name);
      if (it == r.ports.end()) continue;
      auto key = fmt::format("{}/{}", it->second, transport_of(p.protocol));
      exposed[key] = json::object{};
      bindings[key] = json::array{json::object{{"HostIp", ""}, {"HostPort", std::to_string(it->second)}}};
    }
    config["ExposedPorts"] = std::move(exposed);
    host["PortBindings"] = std::move(bindings);
  }
  config["HostConfig"] = std::move(host);
  return config;
}

std::string describe_exit(const ContainerState& state, int memory_mb) {
  if (state.oom_killed)
    return memory_mb > 0 ? fmt::format("was killed: out of memory (limit {} MiB)", memory_mb)
                         : std::string("was killed: out of memory");
  int code = state.exit_code;
  if (code > 128 && code < 128 + 65) {
    int sig = code - 128;
    return fmt::format("was killed by signal {} ({})", sig, strsignal(sig));
  }
  if (!state.error.empty()) return fmt::format("exited with status {} ({})", code, state.error);
  return fmt::format("exited with status {}", code);
}

DockerRuntime::DockerRuntime(asio::any_io_executor executor, std::shared_ptr<const DockerClient> client,
                             DockerOptions options)
    : ContainerRuntime(std::move(executor), std::move(client), options), options_(std::move(options)) {}

DockerRuntime::~DockerRuntime() {
  for (auto& [id, server] : servers_) std::static_pointer_cast<Container>(server)->wait_cancel->cancel();
}

std::shared_ptr<DockerRuntime::Server> DockerRuntime::make_server(const LaunchRequest& request) {
  auto server = std::make_shared<Container>();
  server->memory_mb = request.spec.memory_mb;
  return server;
}

asio::awaitable<void> DockerRuntime::launch(std::string id, std::shared_ptr<Server> base, LaunchRequest request,
                                            std::string sdk_url) {
  auto alive = alive_;
  auto server = std::static_pointer_cast<Container>(base);
  auto config = container_config(request, options_, sdk_url);
  bool created = co_await create_replacing(
      id, [&] { return client_->create_container(id, config); }, [&] { return client_->remove_container(id); }, 0ms);
  if (!created) co_return;
  server->created = true;
  if (server->stopping) {  // the session ended while the container was being created
    co_await client_->remove_container(id);
    if (*alive) report(id, ServerExit{id, "was stopped before it started", false, false});
    co_return;
  }
  auto started = co_await client_->start_container(id);
  if (!*alive) co_return;
  if (!started) {
    auto removed = co_await client_->remove_container(id);
    if (!*alive) co_return;
    if (!removed) spdlog::error("docker runtime: cannot remove {}: {}", id, removed.error().message);
    report(id, ServerExit{id, started.error().message, false, true});
    co_return;
  }
  spdlog::info("docker runtime: session {} started container {} ({})", request.session_id, id, request.spec.image);
  server->logs_following = true;
  spawn(copy_logs(id, server, true));
  if (server->stopping) spawn(stop_container(id, server));
  co_await watch(id, server);
}

asio::awaitable<void> DockerRuntime::watch(std::string id, std::shared_ptr<Container> server) {
  auto alive = alive_;
  std::optional<std::string> lost;  // why the exit status is unknown
  for (;;) {
    auto code = co_await client_->wait_container(id, server->wait_cancel);
    if (!*alive || server->wait_cancel->cancelled()) co_return;
    if (code) break;
    if (code.error().code == Errc::not_found) {
      lost = "disappeared (its container was removed)";
      break;
    }
    // dockerd went away (a restart, a crash): ask again until it answers.
    spdlog::warn("docker runtime: lost the wait on {}: {}", id, code.error().message);
    auto deadline = std::chrono::steady_clock::now() + options_.reconnect_timeout;
    bool running = false;
    lost = fmt::format("was lost: dockerd did not answer for {} s", options_.reconnect_timeout.count() / 1000);
    while (std::chrono::steady_clock::now() < deadline) {
      co_await sleep_for(kRetryPause);
      if (!*alive) co_return;
      auto state = co_await client_->container_state(id);
      if (!*alive) co_return;
      if (state) {
        running = state->running;
        lost.reset();
        break;
      }
      if (state.error().code == Errc::not_found) {
        lost = "disappeared while dockerd restarted";
        break;
      }
    }
    if (!running) break;
    if (!server->logs_following) {  // live-restore kept it running: follow the logs again
      server->logs_cancel = std::make_shared<Cancel>();
      server->logs_following = true;
      spawn(copy_logs(id, server, false));
    }
  }

  ServerExit exit{id, lost.value_or("exited"), false, false};
  if (!lost) {
    auto state = co_await client_->container_state(id);
    if (!*alive) co_return;
    if (state) {
      exit.description = describe_exit(*state, server->memory_mb);
      exit.clean = !state->oom_killed && state->exit_code == 0;
    } else {
      exit.description = "exited (dockerd did not say how: " + state.error().message + ")";
    }
  }
  // The last lines may still be on their way; the stream ends with the container.
  for (auto waited = 0ms; server->logs_following && waited < kLogDrain; waited += 20ms) {
    co_await sleep_for(20ms);
    if (!*alive) co_return;
  }
  server->logs_cancel->cancel();
  if (!lost || lost->starts_with("was lost")) {
    auto removed = co_await client_->remove_container(id);
    if (!*alive) co_return;
    if (!removed && removed.error().code == Errc::unavailable)
      spawn(remove_later(id));  // dockerd on its way down or up: the exit is not held up for it
    else if (!removed)          // adoption_done() of the next start removes it
      spdlog::error("docker runtime: cannot remove {}: {}", id, removed.error().message);
  }
  report(id, std::move(exit));
}

asio::awaitable<void> DockerRuntime::remove_later(std::string id) {
  auto alive = alive_;
  auto deadline = std::chrono::steady_clock::now() + options_.reconnect_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    co_await sleep_for(kRetryPause);
    if (!*alive) co_return;
    auto removed = co_await client_->remove_container(id);
    if (!*alive) co_return;
    if (removed) co_return;
    if (removed.error().code != Errc::unavailable) break;
  }
  spdlog::error("docker runtime: cannot remove {}; the next start removes it", id);
}

asio::awaitable<void> DockerRuntime::stop_container(std::string id, std::shared_ptr<Container> server) {
  auto alive = alive_;
  auto r = co_await client_->stop_container(id, server->grace);
  if (!*alive || r) co_return;
  spdlog::warn("docker runtime: stop of {} failed ({}); killing it", id, r.error().message);
  auto killed = co_await client_->kill_container(id);
  if (*alive && !killed && killed.error().code != Errc::not_found && killed.error().code != Errc::conflict)
    spdlog::error("docker runtime: cannot kill {}: {}", id, killed.error().message);
}

void DockerRuntime::stop(const std::string& runtime_id, std::chrono::milliseconds grace) {
  auto it = servers_.find(runtime_id);
  if (it == servers_.end() || it->second->stopping) return;
  auto server = std::static_pointer_cast<Container>(it->second);
  server->stopping = true;
  server->grace = grace;
  if (server->created) spawn(stop_container(runtime_id, server));
  // else launch() stops it once it exists
}

const std::map<std::string, ContainerSummary>& DockerRuntime::existing() {
  if (existing_) return *existing_;
  auto client = client_;
  auto key = std::string(kLabelInstallation), value = options_.installation;
  auto listed =
      run_blocking<std::vector<ContainerSummary>>([client, key, value] { return client->list_containers(key, value); });
  existing_.emplace();
  if (!listed) {
    spdlog::error("docker runtime: cannot list containers to adopt: {}", listed.error().message);
    return *existing_;
  }
  for (auto& c : *listed) existing_->emplace(c.name, std::move(c));
  return *existing_;
}

bool DockerRuntime::adopt(const std::string& runtime_id, const std::filesystem::path&) {
  const auto& all = existing();
  auto it = all.find(runtime_id);
  if (it == all.end() || it->second.state != "running") return false;
  auto server = std::make_shared<Container>();
  auto log = it->second.labels.find(std::string(kLabelLogFile));
  adopted(runtime_id, server, log == it->second.labels.end() ? std::string() : log->second);
  spawn(watch(runtime_id, server));
  return true;
}

Task<void> DockerRuntime::follow(const std::string& id, Sink sink, bool tail_all, std::shared_ptr<Cancel> cancel) {
  return client_->follow_logs(id, std::move(sink), tail_all, std::move(cancel));
}

Task<std::vector<ContainerRuntime::Listed>> DockerRuntime::list_installation() {
  auto listed = co_await client_->list_containers(std::string(kLabelInstallation), options_.installation);
  if (!listed) co_return listed.error();
  std::vector<Listed> out;
  for (const auto& c : *listed) out.push_back(Listed{c.name, c.id});
  co_return out;
}

asio::awaitable<void> DockerRuntime::remove_listed(const Listed& server) {
  auto removed = co_await client_->remove_container(server.id);
  if (!removed) spdlog::error("docker runtime: cannot remove {}: {}", server.name, removed.error().message);
}

}  // namespace webgames::docker
