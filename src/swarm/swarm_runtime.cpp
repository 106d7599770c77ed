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

namespace {

constexpr std::string_view kLabelSession = "webgames.session";
constexpr std::string_view kLabelGame = "webgames.game";
constexpr std::string_view kLabelOwner = "webgames.owner";
constexpr std::string_view kLabelInstallation = "webgames.installation";
constexpr std::string_view kLabelLogFile = "webgames.log_file";  // where an adopted server's logs go on
constexpr auto kRetryPause = 500ms;                              // between calls to a manager that does not answer
constexpr auto kLogQuiet = 500ms;   // after the exit, the log stream is drained once quiet this long…
constexpr auto kLogFirst = 1s;      // …and open this long (the manager fetches the logs from the node)…
constexpr auto kLogDrain = 3s;      // …or after this long at most (a service's stream never ends by itself)
constexpr auto kGoneTimeout = 30s;  // after a removal, how long its task may take to go (its ports held)
constexpr int kSweepAttempts = 120;

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

template <class T>
Result<T> run_blocking(std::function<docker::Task<T>()> call) {
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
      spdlog::error("swarm runtime: a task failed: {}", x.what());
    }
  });
}

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

struct SwarmRuntime::Server {
  bool created = false;   // the service exists
  bool stopping = false;  // stop() was called
  bool ran = false;       // its task was seen running
  std::chrono::steady_clock::time_point stopped_at{};
  fs::path log_file;
  std::shared_ptr<Cancel> logs_cancel = std::make_shared<Cancel>();
  bool logs_open = false;                                  // a log stream was started
  std::chrono::steady_clock::time_point last_log{};        // the last bytes logged
  std::chrono::steady_clock::time_point logs_opened_at{};  // when the log stream was asked for
};

std::string service_name(const std::string& session_id) { return "webgames-" + session_id; }

json::object service_spec(const LaunchRequest& r, const SwarmOptions& o, const std::string& sdk_url) {
  const auto& spec = r.spec;
  json::array env;
  for (const auto& [k, v] : spec.env) env.emplace_back(k + "=" + v);
  for (const auto& [k, v] : r.env) env.emplace_back(k + "=" + (k == "WEBGAMES_SDK_URL" ? sdk_url : v));
  json::object labels{{kLabelSession, r.session_id},
                      {kLabelGame, r.game},
                      {kLabelOwner, r.owner_id},
                      {kLabelInstallation, o.installation},
                      {kLabelLogFile, r.log_file.string()}};
  json::array caps;
  for (const auto& c : spec.capabilities) caps.emplace_back(c);
  json::object container{
      {"Image", spec.image},
      {"Env", std::move(env)},
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
  json::object task{
      {"ContainerSpec", std::move(container)},
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
      ports.emplace_back(json::object{{"Protocol", to_string(p.protocol)},
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
    : executor_(std::move(executor)),
      client_(std::move(client)),
      options_(std::move(options)),
      alive_(std::make_shared<bool>(true)) {}

SwarmRuntime::~SwarmRuntime() {
  *alive_ = false;
  for (auto& [id, server] : servers_) server->logs_cancel->cancel();
}

Result<LaunchedServer> SwarmRuntime::start(const LaunchRequest& request) {
  if (request.spec.image.empty())
    return make_error(Errc::invalid_field, "the swarm runtime needs server.image (this game names a command)",
                      "server.image");
  auto id = service_name(request.session_id);
  if (servers_.contains(id)) return make_error(Errc::conflict, fmt::format("{} is running already", id));
  std::error_code ec;
  fs::create_directories(request.log_file.parent_path(), ec);
  if (ec)
    return make_error(Errc::unavailable,
                      fmt::format("cannot create {}: {}", request.log_file.parent_path().string(), ec.message()));
  auto server = std::make_shared<Server>();
  server->log_file = request.log_file;
  servers_.emplace(id, server);
  spawn(executor_, launch(id, server, request));
  return LaunchedServer{id, options_.host};
}

asio::awaitable<Result<std::string>> SwarmRuntime::sdk_url_for(const LaunchRequest& request) {
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

asio::awaitable<void> SwarmRuntime::launch(std::string id, std::shared_ptr<Server> server, LaunchRequest request) {
  auto alive = alive_;
  auto sdk_url = co_await sdk_url_for(request);
  if (!*alive) co_return;
  if (!sdk_url) {
    report(id, ServerExit{id, sdk_url.error().message, false, true});
    co_return;
  }
  auto spec = service_spec(request, options_, *sdk_url);
  auto created = co_await client_->create_service(spec);
  if (!*alive) co_return;
  if (!created && created.error().code == Errc::conflict) {
    // A service of this name from an earlier attempt: ours, and not in use.
    spdlog::warn("swarm runtime: replacing a leftover service {}", id);
    co_await client_->remove_service(id);
    if (!*alive) co_return;
    co_await sleep_for(kRetryPause);
    if (!*alive) co_return;
    created = co_await client_->create_service(spec);
    if (!*alive) co_return;
  }
  if (!created) {
    report(id, ServerExit{id, created.error().message, false, true});
    co_return;
  }
  server->created = true;
  spdlog::info("swarm runtime: session {} created service {} ({})", request.session_id, id, request.spec.image);
  co_await watch(id, server);
}

asio::awaitable<void> SwarmRuntime::follow_logs(std::string id, std::shared_ptr<Server> server, bool tail_all) {
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
    server->last_log = std::chrono::steady_clock::now();
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
  auto cancel = server->logs_cancel;
  auto r = co_await client_->follow_service_logs(id, sink, tail_all, cancel);
  if (!*alive) co_return;
  if (!r && !cancel->cancelled()) spdlog::warn("swarm runtime: the logs of {} ended early: {}", id, r.error().message);
}

asio::awaitable<void> SwarmRuntime::watch(std::string id, std::shared_ptr<Server> server) {
  auto alive = alive_;
  auto since = std::chrono::steady_clock::now();
  auto unreachable_since = std::optional<std::chrono::steady_clock::time_point>();
  auto open_logs = [&](bool tail_all) {
    if (server->logs_open || server->log_file.empty()) return;
    server->logs_open = true;
    server->last_log = server->logs_opened_at = std::chrono::steady_clock::now();
    spawn(executor_, follow_logs(id, server, tail_all));
  };
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
      open_logs(true);
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
  if (!exit.launch_failed && !server->stopping) open_logs(true);  // a task that ended before a poll saw it run
  // The last lines may still be on their way; a service's stream never ends by itself.
  if (server->logs_open) {
    auto start = std::chrono::steady_clock::now();
    auto quiet = [&] {
      auto now = std::chrono::steady_clock::now();
      return now - server->last_log >= kLogQuiet && now - server->logs_opened_at >= kLogFirst;
    };
    while (std::chrono::steady_clock::now() - start < kLogDrain && !quiet()) {
      co_await sleep_for(50ms);
      if (!*alive) co_return;
    }
  }
  server->logs_cancel->cancel();
  if (remove) spawn(executor_, remove_service(id));
  report(id, std::move(exit));
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
  auto server = it->second;
  server->stopping = true;
  server->stopped_at = std::chrono::steady_clock::now();
  if (grace != options_.stop_grace)
    spdlog::debug("swarm runtime: {} stops with the service's grace of {} ms, not {} ms", runtime_id,
                  options_.stop_grace.count(), grace.count());
  // Before the service exists, launch() creates it and watch() sees it
  // stopping; removing a service not yet created is harmless.
  spawn(executor_, remove_service(runtime_id));
  if (!server->created) {
    // launch() is creating it: remove it once more after the creation.
    auto alive = alive_;
    spawn(executor_,
          [](SwarmRuntime* self, std::string id, std::shared_ptr<Server> s,
             std::shared_ptr<bool> alive) -> asio::awaitable<void> {
            for (int i = 0; i < 120 && !s->created; ++i) {
              co_await sleep_for(250ms);
              if (!*alive) co_return;
            }
            if (s->created) co_await self->remove_service(id);
          }(this, runtime_id, server, alive));
  }
}

void SwarmRuntime::report(const std::string& id, ServerExit exit) {
  auto it = servers_.find(id);
  if (it == servers_.end()) return;
  servers_.erase(it);
  if (exit.launch_failed) spdlog::warn("swarm runtime: {} could not start: {}", id, exit.description);
  if (on_exit_) on_exit_(exit);
}

bool SwarmRuntime::adopt(const std::string& runtime_id, const std::filesystem::path&) {
  auto client = client_;
  if (!existing_) {
    auto key = std::string(kLabelInstallation), value = options_.installation;
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
  auto server = std::make_shared<Server>();
  server->created = true;
  server->ran = true;
  server->log_file = str_at(it->second, {"Spec", "Labels", kLabelLogFile});
  servers_.emplace(runtime_id, server);
  spdlog::info("swarm runtime: adopted service {}", runtime_id);
  if (!server->log_file.empty()) {
    server->logs_open = true;
    server->last_log = server->logs_opened_at = std::chrono::steady_clock::now();
    spawn(executor_, follow_logs(runtime_id, server, false));
  }
  spawn(executor_, watch(runtime_id, server));
  return true;
}

void SwarmRuntime::clean_up_lost(const std::string&, const std::filesystem::path& work_dir) {
  // Its service, if any, is not adopted: adoption_done() removes it.
  std::error_code ec;
  fs::remove_all(work_dir, ec);
}

void SwarmRuntime::adoption_done() { spawn(executor_, sweep()); }

asio::awaitable<void> SwarmRuntime::sweep() {
  auto alive = alive_;
  for (int attempt = 0; attempt < kSweepAttempts; ++attempt) {
    auto listed = co_await client_->list_services(std::string(kLabelInstallation), options_.installation);
    if (!*alive) co_return;
    if (!listed) {
      if (attempt == 0) spdlog::warn("swarm runtime: cannot list services to clean up: {}", listed.error().message);
      co_await sleep_for(kRetryPause);
      if (!*alive) co_return;
      continue;
    }
    for (const auto& s : *listed) {
      auto name = service_name_of(s);
      if (servers_.contains(name)) continue;
      spdlog::info("swarm runtime: removing service {} (its session is over)", name);
      co_await remove_service(service_id_of(s));
      if (!*alive) co_return;
    }
    co_return;
  }
  spdlog::error("swarm runtime: gave up cleaning up: the swarm manager did not answer");
}

}  // namespace webgames::swarm
