#include "docker/container_runtime.h"

#include "docker/bridge_address.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fstream>

namespace webgames::docker {

namespace asio = boost::asio;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr auto kSweepPause = 500ms;  // between lists the sweep asks of an engine that does not answer
constexpr int kSweepAttempts = 120;

bool is_loopback(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host.starts_with("127.");
}

// Appends to a session's log up to a limit, then says once that the rest is dropped.
class CappedLog {
 public:
  CappedLog(const fs::path& file, std::size_t limit) : out_(file, std::ios::app | std::ios::binary), limit_(limit) {
    std::error_code ec;
    auto size = fs::file_size(file, ec);
    written_ = ec ? 0 : static_cast<std::size_t>(size);
  }
  void write(std::string_view bytes) {
    if (!out_) return;
    if (written_ + bytes.size() > limit_) {
      if (!truncated_) out_ << "\n[webgames: the log reached its limit; the rest is dropped]\n";
      truncated_ = true;
      return;
    }
    out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out_.flush();  // the developer API reads the file while the server runs
    written_ += bytes.size();
  }

 private:
  std::ofstream out_;
  std::size_t limit_;
  std::size_t written_ = 0;
  bool truncated_ = false;
};

}  // namespace

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::use_awaitable);
}

std::string server_name(const std::string& session_id) { return "webgames-" + session_id; }

json::object server_labels(const LaunchRequest& r, const std::string& installation) {
  return json::object{{kLabelSession, r.session_id},
                      {kLabelGame, r.game},
                      {kLabelOwner, r.owner_id},
                      {kLabelInstallation, installation},
                      {kLabelLogFile, r.log_file.string()}};
}

json::array server_env(const LaunchRequest& r, const std::string& sdk_url) {
  json::array env;
  for (const auto& [k, v] : r.spec.env) env.emplace_back(k + "=" + v);
  for (const auto& [k, v] : r.env) env.emplace_back(k + "=" + (k == "WEBGAMES_SDK_URL" ? sdk_url : v));
  return env;
}

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

ContainerRuntime::ContainerRuntime(asio::any_io_executor executor, std::shared_ptr<const DockerClient> client,
                                   ContainerOptions options)
    : executor_(std::move(executor)),
      client_(std::move(client)),
      base_options_(std::move(options)),
      alive_(std::make_shared<bool>(true)) {}

ContainerRuntime::~ContainerRuntime() {
  *alive_ = false;
  for (auto& [id, server] : servers_) server->logs_cancel->cancel();
}

Result<LaunchedServer> ContainerRuntime::start(const LaunchRequest& request) {
  if (request.spec.image.empty())
    return make_error(Errc::invalid_field,
                      fmt::format("the {} runtime needs server.image (this game names a command)", name()),
                      "server.image");
  auto id = server_name(request.session_id);
  if (servers_.contains(id)) return make_error(Errc::conflict, fmt::format("{} is running already", id));
  std::error_code ec;
  fs::create_directories(request.log_file.parent_path(), ec);
  if (ec)
    return make_error(Errc::unavailable,
                      fmt::format("cannot create {}: {}", request.log_file.parent_path().string(), ec.message()));
  auto server = make_server(request);
  server->log_file = request.log_file;
  servers_.emplace(id, server);
  spawn(run_launch(id, server, request));
  return LaunchedServer{id, request.placement.host.empty() ? base_options_.host : request.placement.host};
}

asio::awaitable<void> ContainerRuntime::run_launch(std::string id, std::shared_ptr<Server> server,
                                                   LaunchRequest request) {
  auto alive = alive_;
  auto sdk_url = co_await sdk_url_for(request);
  if (!*alive) co_return;
  if (!sdk_url) {
    report(id, ServerExit{id, sdk_url.error().message, false, true});
    co_return;
  }
  co_await launch(std::move(id), std::move(server), std::move(request), std::move(*sdk_url));
}

asio::awaitable<Result<std::string>> ContainerRuntime::sdk_url_for(const LaunchRequest& request) {
  auto it = request.env.find("WEBGAMES_SDK_URL");
  std::string url = it == request.env.end() ? std::string() : it->second;
  if (request.spec.host_network || url.empty()) co_return url;
  if (!base_options_.sdk_host.empty()) co_return with_host(url, base_options_.sdk_host);
  if (!gateway_) {
    auto alive = alive_;
    auto network = co_await client_->inspect_network("bridge");
    if (!*alive) co_return make_error(Errc::unavailable, "cancelled");
    if (!network) co_return network.error();
    auto address = host_address(*network);  // docker/bridge_address.h says why not the engine's Gateway alone
    if (!address) co_return address.error();
    gateway_ = *address;
  }
  co_return with_host(url, *gateway_);
}

asio::awaitable<bool> ContainerRuntime::create_replacing(const std::string& id,
                                                         std::function<Task<std::string>()> create,
                                                         std::function<Task<void>()> remove,
                                                         std::chrono::milliseconds pause) {
  auto alive = alive_;
  auto created = co_await create();
  if (!*alive) co_return false;
  if (!created && created.error().code == Errc::conflict) {
    // A server of this name from an earlier attempt: ours, and not in use.
    spdlog::warn("{} runtime: replacing a leftover {}", name(), id);
    co_await remove();
    if (!*alive) co_return false;
    if (pause.count() > 0) co_await sleep_for(pause);
    if (!*alive) co_return false;
    created = co_await create();
    if (!*alive) co_return false;
  }
  if (!created) report(id, ServerExit{id, created.error().message, false, true});
  co_return created.has_value();
}

asio::awaitable<void> ContainerRuntime::copy_logs(std::string id, std::shared_ptr<Server> server, bool tail_all) {
  auto alive = alive_;
  CappedLog log(server->log_file, base_options_.log_limit);
  auto sink = [&](std::string_view bytes) {
    server->last_log = std::chrono::steady_clock::now();
    log.write(bytes);
  };
  auto cancel = server->logs_cancel;
  server->logs_following = true;
  auto r = co_await follow(id, sink, tail_all, cancel);
  if (!*alive) co_return;
  if (!r && !cancel->cancelled())
    spdlog::warn("{} runtime: the logs of {} ended early: {}", name(), id, r.error().message);
  if (server->logs_cancel == cancel) server->logs_following = false;
}

void ContainerRuntime::adopted(const std::string& id, std::shared_ptr<Server> server, const std::string& log_file) {
  server->created = true;
  server->log_file = log_file;
  servers_.emplace(id, server);
  spdlog::info("{} runtime: adopted {}", name(), id);
  if (!server->log_file.empty()) {
    server->logs_following = true;
    server->last_log = std::chrono::steady_clock::now();
    spawn(copy_logs(id, server, false));
  }
}

void ContainerRuntime::report(const std::string& id, ServerExit exit) {
  auto it = servers_.find(id);
  if (it == servers_.end()) return;
  servers_.erase(it);
  if (exit.launch_failed) spdlog::warn("{} runtime: {} could not start: {}", name(), id, exit.description);
  if (on_exit_) on_exit_(exit);
}

void ContainerRuntime::spawn(asio::awaitable<void> task) {
  asio::co_spawn(executor_, std::move(task), [kind = std::string(name())](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      spdlog::error("{} runtime: a task failed: {}", kind, x.what());
    }
  });
}

Result<void> ContainerRuntime::run_blocking_void(std::function<asio::awaitable<void>()> body) {
  asio::io_context io;
  std::optional<Result<void>> out;
  asio::co_spawn(io, body(), [&](std::exception_ptr e) {
    out.emplace(e ? Result<void>(make_error(Errc::internal, "Docker call failed with an exception")) : Result<void>{});
  });
  io.run();
  return out ? std::move(*out) : Result<void>(make_error(Errc::internal, "Docker call did not complete"));
}

void ContainerRuntime::clean_up_lost(const std::string&, const std::filesystem::path& work_dir) {
  // Its server, if any, is not adopted: adoption_done() removes it.
  std::error_code ec;
  fs::remove_all(work_dir, ec);
}

void ContainerRuntime::adoption_done() { spawn(sweep()); }

asio::awaitable<void> ContainerRuntime::sweep() {
  auto alive = alive_;
  for (int attempt = 0; attempt < kSweepAttempts; ++attempt) {
    auto listed = co_await list_installation();
    if (!*alive) co_return;
    if (!listed) {
      if (attempt == 0) spdlog::warn("{} runtime: cannot list servers to clean up: {}", name(), listed.error().message);
      co_await sleep_for(kSweepPause);
      if (!*alive) co_return;
      continue;
    }
    for (const auto& s : *listed) {
      if (servers_.contains(s.name)) continue;
      spdlog::info("{} runtime: removing {} (its session is over)", name(), s.name);
      co_await remove_listed(s);
      if (!*alive) co_return;
    }
    co_return;
  }
  spdlog::error("{} runtime: gave up cleaning up: the engine did not answer", name());
}

}  // namespace webgames::docker
