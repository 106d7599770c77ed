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

constexpr std::string_view kLabelSession = "webgames.session";
constexpr std::string_view kLabelGame = "webgames.game";
constexpr std::string_view kLabelOwner = "webgames.owner";
constexpr std::string_view kLabelInstallation = "webgames.installation";
constexpr std::string_view kLabelLogFile = "webgames.log_file";  // where an adopted server's logs go on
constexpr auto kLogDrain = 2s;                                   // after the exit, how long the last log lines may take
constexpr auto kRetryPause = 500ms;                              // between calls to a dockerd that does not answer
constexpr int kSweepAttempts = 120;  // adoption_done's removals retry this often, kRetryPause apart

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::use_awaitable);
}

bool is_loopback(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host.starts_with("127.");
}

// http://HOST:PORT… with HOST replaced when it is a loopback address.
std::string with_host(const std::string& url, const std::string& host) {
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme)) return url;
  auto rest = url.substr(scheme.size());
  auto end = rest.find('/');
  auto authority = rest.substr(0, end);
  auto colon = authority.rfind(':');
  if (colon == std::string::npos || authority.back() == ']') return url;
  if (!is_loopback(authority.substr(0, colon))) return url;
  return fmt::format("{}{}{}{}", scheme, host, authority.substr(colon),
                     end == std::string::npos ? std::string() : rest.substr(end));
}

// Runs one Docker call to completion on a private io_context: for adopt(),
// which the director calls before the event loops run.
template <class T>
Result<T> run_blocking(std::function<Task<T>()> call) {
  asio::io_context io;
  std::optional<Result<T>> out;
  asio::co_spawn(io, call(), [&](std::exception_ptr e, Result<T> r) {
    if (e)
      out.emplace(make_error(Errc::internal, "Docker call failed with an exception"));
    else
      out.emplace(std::move(r));
  });
  io.run();
  return out ? std::move(*out) : Result<T>(make_error(Errc::internal, "Docker call did not complete"));
}

void spawn(const asio::any_io_executor& ex, asio::awaitable<void> task) {
  asio::co_spawn(ex, std::move(task), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      spdlog::error("docker runtime: a task failed: {}", x.what());
    }
  });
}

}  // namespace

struct DockerRuntime::Server {
  bool created = false;   // the container exists
  bool stopping = false;  // stop() was called
  std::chrono::milliseconds grace{0};
  int memory_mb = 0;
  fs::path log_file;
  std::shared_ptr<Cancel> wait_cancel = std::make_shared<Cancel>();
  std::shared_ptr<Cancel> logs_cancel = std::make_shared<Cancel>();
  bool logs_done = true;  // no log stream open
};

std::string container_name(const std::string& session_id) { return "webgames-" + session_id; }

json::object container_config(const LaunchRequest& r, const DockerOptions& o, const std::string& sdk_url) {
  const auto& spec = r.spec;
  json::array env;
  for (const auto& [k, v] : spec.env) env.emplace_back(k + "=" + v);
  for (const auto& [k, v] : r.env) env.emplace_back(k + "=" + (k == "WEBGAMES_SDK_URL" ? sdk_url : v));
  json::object labels{{kLabelSession, r.session_id},
                      {kLabelGame, r.game},
                      {kLabelOwner, r.owner_id},
                      {kLabelInstallation, o.installation},
                      {kLabelLogFile, r.log_file.string()}};
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
  json::object config{{"Image", spec.image}, {"Env", std::move(env)}, {"Labels", std::move(labels)}};
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
      auto key = fmt::format("{}/{}", it->second, to_string(p.protocol));
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
    : executor_(std::move(executor)),
      client_(std::move(client)),
      options_(std::move(options)),
      alive_(std::make_shared<bool>(true)) {}

DockerRuntime::~DockerRuntime() {
  *alive_ = false;
  for (auto& [id, server] : servers_) {
    server->wait_cancel->cancel();
    server->logs_cancel->cancel();
  }
}

Result<LaunchedServer> DockerRuntime::start(const LaunchRequest& request) {
  if (request.spec.image.empty())
    return make_error(Errc::invalid_field, "the docker runtime needs server.image (this game names a command)",
                      "server.image");
  auto id = container_name(request.session_id);
  if (servers_.contains(id)) return make_error(Errc::conflict, fmt::format("{} is running already", id));
  std::error_code ec;
  fs::create_directories(request.log_file.parent_path(), ec);
  if (ec)
    return make_error(Errc::unavailable,
                      fmt::format("cannot create {}: {}", request.log_file.parent_path().string(), ec.message()));
  auto server = std::make_shared<Server>();
  server->memory_mb = request.spec.memory_mb;
  server->log_file = request.log_file;
  servers_.emplace(id, server);
  spawn(executor_, launch(id, server, request));
  return LaunchedServer{id, options_.host};
}

asio::awaitable<Result<std::string>> DockerRuntime::sdk_url_for(const LaunchRequest& request) {
  auto it = request.env.find("WEBGAMES_SDK_URL");
  std::string url = it == request.env.end() ? std::string() : it->second;
  if (request.spec.host_network || url.empty()) co_return url;
  if (!options_.sdk_host.empty()) co_return with_host(url, options_.sdk_host);
  if (!gateway_) {
    auto alive = alive_;
    auto network = co_await client_->inspect_network("bridge");
    if (!*alive) co_return make_error(Errc::unavailable, "cancelled");
    if (!network) co_return network.error();
    auto gw = docker::host_address(*network);  // docker/bridge_address.h says why not the engine's Gateway alone
    if (!gw) co_return gw.error();
    gateway_ = *gw;
  }
  co_return with_host(url, *gateway_);
}

asio::awaitable<void> DockerRuntime::launch(std::string id, std::shared_ptr<Server> server, LaunchRequest request) {
  auto alive = alive_;
  auto sdk_url = co_await sdk_url_for(request);
  if (!*alive) co_return;
  if (!sdk_url) {
    report(id, ServerExit{id, sdk_url.error().message, false, true});
    co_return;
  }
  auto config = container_config(request, options_, *sdk_url);
  auto created = co_await client_->create_container(id, config);
  if (!*alive) co_return;
  if (!created && created.error().code == Errc::conflict) {
    // A container of this name from an earlier attempt: ours, and not in use.
    spdlog::warn("docker runtime: replacing a leftover container {}", id);
    co_await client_->remove_container(id);
    if (!*alive) co_return;
    created = co_await client_->create_container(id, config);
    if (!*alive) co_return;
  }
  if (!created) {
    report(id, ServerExit{id, created.error().message, false, true});
    co_return;
  }
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
  server->logs_done = false;
  spawn(executor_, follow_logs(id, server, true));
  if (server->stopping) spawn(executor_, stop_container(id, server));
  co_await watch(id, server);
}

asio::awaitable<void> DockerRuntime::follow_logs(std::string id, std::shared_ptr<Server> server, bool tail_all) {
  auto alive = alive_;
  std::ofstream out(server->log_file, std::ios::app | std::ios::binary);
  std::size_t written = 0;
  bool truncated = false;
  if (out) {
    std::error_code ec;
    auto size = fs::file_size(server->log_file, ec);
    written = ec ? 0 : static_cast<std::size_t>(size);
  }
  auto limit = options_.log_limit;
  auto sink = [&](std::string_view bytes) {
    if (!out) return;
    if (written + bytes.size() > limit) {
      if (!truncated) out << "\n[webgames: the log reached its limit; the rest is dropped]\n";
      truncated = true;
      return;
    }
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();  // the developer API reads the file while the server runs
    written += bytes.size();
  };
  auto r = co_await client_->follow_logs(id, sink, tail_all, server->logs_cancel);
  if (!*alive) co_return;
  if (!r && !server->logs_cancel->cancelled())
    spdlog::warn("docker runtime: the logs of {} ended early: {}", id, r.error().message);
  server->logs_done = true;
}

asio::awaitable<void> DockerRuntime::watch(std::string id, std::shared_ptr<Server> server) {
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
    if (server->logs_done) {  // live-restore kept it running: follow the logs again
      server->logs_done = false;
      server->logs_cancel = std::make_shared<Cancel>();
      spawn(executor_, follow_logs(id, server, false));
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
  for (auto waited = 0ms; !server->logs_done && waited < kLogDrain; waited += 20ms) {
    co_await sleep_for(20ms);
    if (!*alive) co_return;
  }
  server->logs_cancel->cancel();
  if (!lost || lost->starts_with("was lost")) {
    auto removed = co_await client_->remove_container(id);
    if (!*alive) co_return;
    if (!removed && removed.error().code == Errc::unavailable)
      spawn(executor_, remove_later(id));  // dockerd on its way down or up: the exit is not held up for it
    else if (!removed)                     // adoption_done() of the next start removes it
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

asio::awaitable<void> DockerRuntime::stop_container(std::string id, std::shared_ptr<Server> server) {
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
  auto server = it->second;
  server->stopping = true;
  server->grace = grace;
  if (server->created) spawn(executor_, stop_container(runtime_id, server));
  // else launch() stops it once it exists
}

void DockerRuntime::report(const std::string& id, ServerExit exit) {
  auto it = servers_.find(id);
  if (it == servers_.end()) return;
  servers_.erase(it);
  if (exit.launch_failed) spdlog::warn("docker runtime: {} could not start: {}", id, exit.description);
  if (on_exit_) on_exit_(exit);
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
  auto server = std::make_shared<Server>();
  server->created = true;
  auto log = it->second.labels.find(std::string(kLabelLogFile));
  if (log != it->second.labels.end()) server->log_file = log->second;
  server->logs_done = server->log_file.empty();
  servers_.emplace(runtime_id, server);
  spdlog::info("docker runtime: adopted container {}", runtime_id);
  if (!server->logs_done) spawn(executor_, follow_logs(runtime_id, server, false));
  spawn(executor_, watch(runtime_id, server));
  return true;
}

void DockerRuntime::clean_up_lost(const std::string&, const std::filesystem::path& work_dir) {
  // Its container, if any, is not adopted: adoption_done() removes it.
  std::error_code ec;
  fs::remove_all(work_dir, ec);
}

void DockerRuntime::adoption_done() { spawn(executor_, sweep()); }

asio::awaitable<void> DockerRuntime::sweep() {
  auto alive = alive_;
  for (int attempt = 0; attempt < kSweepAttempts; ++attempt) {
    auto listed = co_await client_->list_containers(std::string(kLabelInstallation), options_.installation);
    if (!*alive) co_return;
    if (!listed) {
      if (attempt == 0) spdlog::warn("docker runtime: cannot list containers to clean up: {}", listed.error().message);
      co_await sleep_for(kRetryPause);
      if (!*alive) co_return;
      continue;
    }
    for (const auto& c : *listed) {
      if (servers_.contains(c.name)) continue;
      spdlog::info("docker runtime: removing container {} (its session is over)", c.name);
      auto removed = co_await client_->remove_container(c.id);
      if (!*alive) co_return;
      if (!removed) spdlog::error("docker runtime: cannot remove {}: {}", c.name, removed.error().message);
    }
    co_return;
  }
  spdlog::error("docker runtime: gave up cleaning up: dockerd did not answer");
}

}  // namespace webgames::docker
