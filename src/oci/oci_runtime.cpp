#include "oci/oci_runtime.h"

#include "core/encoding.h"
#include "oci/bundle_config.h"
#include "oci/child_process.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fstream>

namespace webgames::oci {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using boost::asio::awaitable;

constexpr std::string_view kIdPrefix = "webgames-";
constexpr std::string_view kWhiteout = ".wh.";
constexpr std::string_view kOpaqueWhiteout = ".wh..wh..opq";

awaitable<void> sleep_for(std::chrono::milliseconds d) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, d);
  boost::system::error_code ec;
  co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
}

// "oom_kill N" from the memory cgroup of `cgroups_path` (v1 or v2), 0 when unreadable.
long oom_kills(const std::string& cgroups_path) {
  for (auto file : {fs::path("/sys/fs/cgroup/memory") / cgroups_path.substr(1) / "memory.oom_control",
                    fs::path("/sys/fs/cgroup") / cgroups_path.substr(1) / "memory.events"}) {
    std::ifstream in(file);
    for (std::string key; in >> key;) {
      long value = 0;
      if (!(in >> value)) break;
      if (key == "oom_kill") return value;
    }
  }
  return 0;
}

// Applies the whiteouts of the layer just unpacked into `root`: ".wh.NAME"
// removes NAME (from a lower layer). Opaque directories are refused: a
// whole-directory reset needs the layers apart, which this runtime does not keep.
Result<void> apply_whiteouts(const fs::path& root) {
  std::vector<fs::path> markers;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name == kOpaqueWhiteout)
      return make_error(Errc::invalid_field, "opaque whiteouts (.wh..wh..opq) are not supported", "server.image");
    if (name.starts_with(kWhiteout)) markers.push_back(it->path());
  }
  for (const auto& marker : markers) {
    fs::remove_all(marker.parent_path() / marker.filename().string().substr(kWhiteout.size()), ec);
    fs::remove(marker, ec);
  }
  return {};
}

// The memory limit a bundle's config.json gave its container, in MiB (0 when unreadable).
int memory_limit_mb(const fs::path& config) {
  std::ifstream in(config);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) return 0;
  auto* limit = v.find_pointer("/linux/resources/memory/limit", ec);
  return limit && limit->is_int64() ? static_cast<int>(limit->get_int64() >> 20) : 0;
}

// GCC 12 miscompiles braced initializers in coroutine frames: coroutines
// build their argument lists and exits through these.
std::vector<std::string> sha256sum_args(const Layer& layer) { return {"sha256sum", layer.blob.string()}; }
std::vector<std::string> tar_args(const Layer& layer, const fs::path& into) {
  return {"tar",         layer.gzip ? "-xzf" : "-xf", layer.blob.string(), "-C",
          into.string(), "--numeric-owner",           "--no-overwrite-dir"};
}
BundleParts bundle_parts(fs::path rootfs, std::string cgroups_path, std::uint64_t file_limit) {
  BundleParts parts;
  parts.rootfs = std::move(rootfs);
  parts.cgroups_path = std::move(cgroups_path);
  parts.file_limit = file_limit;
  return parts;
}
ServerExit server_exit(std::string id, std::string description, bool launch_failed) {
  ServerExit exit;
  exit.runtime_id = std::move(id);
  exit.description = std::move(description);
  exit.launch_failed = launch_failed;
  return exit;
}

std::string describe(int status, long oom, int memory_mb) {
  if (oom > 0) return fmt::format("was killed: out of memory (limit {} MiB)", memory_mb);
  // runc exits with the container's status, 128 + N when signal N killed it.
  if (WIFEXITED(status) && WEXITSTATUS(status) > 128) {
    int sig = WEXITSTATUS(status) - 128;
    return fmt::format("was killed by signal {} ({})", sig, ::strsignal(sig));
  }
  return describe_status(status);
}

}  // namespace

OciRuntime::OciRuntime(boost::asio::any_io_executor executor, OciOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {
  fs::create_directories(options_.state_dir / "runc");
  fs::create_directories(options_.state_dir / "rootfs");
}

OciRuntime::~OciRuntime() {
  // Running servers outlive us on purpose (their `runc run` too): the next
  // start adopts them. Coroutines in flight stop at their next step.
  *alive_ = false;
  for (auto& [id, server] : servers_) {
    if (server->exit_watch) server->exit_watch->cancel();
    if (server->kill_timer) server->kill_timer->cancel();
  }
}

std::string OciRuntime::cgroups_path_of(const std::string& id) const {
  // Flat under one /webgames: runc removes a container's own cgroup, and
  // no per-installation parent is left behind.
  return fmt::format("/webgames/{}-{}", options_.installation, id);
}

Result<LaunchedServer> OciRuntime::start(const LaunchRequest& request) {
  if (request.spec.image.empty())
    return make_error(Errc::invalid_field, "the oci runtime needs server.image (this game names a command)",
                      "server.image");
  auto id = std::string(kIdPrefix) + request.session_id;
  auto server = std::make_shared<Server>();
  server->bundle = request.work_dir;
  server->cgroups_path = cgroups_path_of(id);
  server->memory_mb = request.spec.memory_mb;
  servers_[id] = server;
  boost::asio::co_spawn(executor_, launch(id, request), boost::asio::detached);
  return LaunchedServer{id, options_.host};
}

awaitable<void> OciRuntime::launch(std::string id, LaunchRequest request) {
  auto alive = alive_;
  // Never report from inside start(): the director learns the server's id from its return.
  co_await boost::asio::post(executor_, boost::asio::use_awaitable);
  if (!*alive) co_return;
  auto failed = [&](const Error& e) {
    spdlog::warn("oci: {} could not start: {}", id, e.message);
    std::error_code ec;
    fs::remove_all(request.work_dir, ec);
    report(id, server_exit(id, e.message, true));
  };
  auto image = read_oci_image(options_.images_dir, request.spec.image);
  if (!image) co_return failed(image.error());
  auto rootfs = co_await rootfs_of(*image);
  if (!*alive) co_return;
  if (!rootfs) co_return failed(rootfs.error());
  auto found = servers_.find(id);
  if (found == servers_.end()) co_return;
  auto server = found->second;
  if (server->stopping) {
    std::error_code ec;
    fs::remove_all(request.work_dir, ec);
    co_return report(id, server_exit(id, "was stopped before it started", false));
  }
  auto config = bundle_config(request, image->config, bundle_parts(*rootfs, server->cgroups_path, options_.log_limit));
  if (!config) co_return failed(config.error());
  std::error_code ec;
  fs::create_directories(request.work_dir, ec);
  fs::create_directories(request.log_file.parent_path(), ec);
  {
    std::ofstream out(request.work_dir / "config.json", std::ios::trunc);
    out << json::serialize(*config);
    if (!out.flush()) co_return failed(make_error(Errc::unavailable, "cannot write the bundle's config.json"));
  }
  int log = ::open(request.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (log < 0) co_return failed(make_error(Errc::unavailable, "cannot open the session log"));
  auto pid = spawn_logged(runc("run", "--keep", "--bundle", request.work_dir.string(), id), log);
  ::close(log);
  if (!pid) co_return failed(pid.error());
  server->runc_pid = *pid;
  int pidfd = open_pidfd(*pid);
  if (pidfd < 0) {
    ::kill(*pid, SIGKILL);
    co_return failed(make_error(Errc::unavailable, "cannot watch runc (pidfd_open failed)"));
  }
  server->exit_watch = std::make_unique<boost::asio::posix::stream_descriptor>(executor_, pidfd);
  co_await watch(id);
}

awaitable<void> OciRuntime::watch(std::string id) {
  auto alive = alive_;
  for (;;) {
    auto found = servers_.find(id);
    if (found == servers_.end()) co_return;
    auto server = found->second;
    boost::system::error_code ec;
    co_await server->exit_watch->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                                            boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (!*alive || ec == boost::asio::error::operation_aborted) co_return;
    if (server->runc_pid > 0) {
      int status = 0;
      pid_t r = ::waitpid(server->runc_pid, &status, WNOHANG);
      if (r == 0) continue;  // woke early
      co_return co_await finish(id, status, r == server->runc_pid);
    }
    co_return co_await finish(id, 0, false);  // adopted: not our child, no status
  }
}

awaitable<void> OciRuntime::finish(std::string id, int status, bool status_known) {
  auto alive = alive_;
  auto found = servers_.find(id);
  if (found == servers_.end()) co_return;
  auto server = found->second;
  if (server->kill_timer) server->kill_timer->cancel();
  const long oom = oom_kills(server->cgroups_path);
  // `run --keep` leaves a container that ran; one runc could not create is gone already.
  auto state = co_await run_program(executor_, runc("state", id));
  const bool existed = state && state->ok();
  auto removed = co_await run_program(executor_, runc("delete", "--force", id));
  if (!*alive) co_return;
  if (existed && (!removed || !removed->ok()))
    spdlog::warn("oci: cannot delete {}: {}", id, removed ? removed->why() : removed.error().message);
  std::error_code ec;
  fs::remove_all(server->bundle, ec);
  auto exit = server_exit(id, describe(status, oom, server->memory_mb), false);
  if (!status_known) {
    exit.description = oom > 0 ? describe(0, oom, server->memory_mb) : "ended (adopted after a restart: no status)";
  } else if (!existed) {
    exit.description = fmt::format("could not be started by runc ({}): see the session log", describe_status(status));
    exit.launch_failed = true;
  } else {
    exit.clean = oom == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  report(id, std::move(exit));
}

void OciRuntime::stop(const std::string& runtime_id, std::chrono::milliseconds grace) {
  auto found = servers_.find(runtime_id);
  if (found == servers_.end()) return;
  auto server = found->second;
  if (server->stopping) return;
  server->stopping = true;
  if (server->runc_pid == 0 && server->process_pid == 0) return;  // still launching: launch() sees stopping
  boost::asio::co_spawn(executor_, signal(runtime_id, "TERM"), boost::asio::detached);
  server->kill_timer = std::make_unique<boost::asio::steady_timer>(executor_, grace);
  server->kill_timer->async_wait([this, alive = alive_, runtime_id](boost::system::error_code ec) {
    if (ec || !*alive || !servers_.contains(runtime_id)) return;
    boost::asio::co_spawn(executor_, signal(runtime_id, "KILL"), boost::asio::detached);
  });
}

awaitable<void> OciRuntime::signal(std::string id, std::string name) {
  auto done = co_await run_program(executor_, runc("kill", id, name));
  if (done && !done->ok()) spdlog::debug("oci: runc kill {} {}: {}", id, name, done->why());
}

void OciRuntime::report(const std::string& id, ServerExit exit) {
  if (servers_.erase(id) == 0) return;
  if (on_exit_) on_exit_(exit);
}

awaitable<Result<fs::path>> OciRuntime::rootfs_of(const OciImage& image) {
  auto alive = alive_;
  const auto hex = image.digest.substr(image.digest.find(':') + 1);
  const auto path = options_.state_dir / "rootfs" / hex;
  while (unpacking_.contains(hex)) {  // another start unpacks it: wait for that one
    co_await sleep_for(std::chrono::milliseconds{20});
    if (!*alive) co_return make_error(Errc::unavailable, "the runtime stopped");
  }
  if (fs::is_directory(path)) co_return path;
  unpacking_.insert(hex);
  auto tmp = path;
  tmp += ".tmp-" + new_id("");
  auto unpacked = co_await unpack(image, tmp);
  if (!*alive) co_return make_error(Errc::unavailable, "the runtime stopped");
  unpacking_.erase(hex);
  std::error_code ec;
  if (unpacked) fs::rename(tmp, path, ec);
  if (!unpacked || ec) {
    fs::remove_all(tmp, ec);
    if (!unpacked) co_return unpacked.error();
    co_return make_error(Errc::unavailable, fmt::format("cannot keep the unpacked image at {}", path.string()));
  }
  spdlog::info("oci: unpacked {} into {}", image.digest, path.string());
  co_return path;
}

awaitable<Result<void>> OciRuntime::unpack(const OciImage& image, fs::path into) {
  std::error_code ec;
  fs::create_directories(into, ec);
  if (ec) co_return make_error(Errc::unavailable, fmt::format("cannot create {}", into.string()));
  for (const auto& layer : image.layers) {
    auto sum = co_await run_program(executor_, sha256sum_args(layer));
    if (!sum || !sum->ok()) co_return make_error(Errc::unavailable, "cannot hash a layer (sha256sum)");
    if ("sha256:" + sum->out.substr(0, sum->out.find(' ')) != layer.digest)
      co_return make_error(Errc::invalid_field, fmt::format("layer {} does not match its digest", layer.digest),
                           "server.image");
    auto tar = co_await run_program(executor_, tar_args(layer, into));
    if (!tar) co_return tar.error();
    if (!tar->ok())
      co_return make_error(Errc::invalid_field, fmt::format("layer {}: tar {}", layer.digest, tar->why()),
                           "server.image");
    if (auto r = apply_whiteouts(into); !r) co_return r.error();
  }
  // Where runc mounts /proc, /dev, /sys and /tmp: made now, since the root
  // file system is read-only once shared.
  for (auto dir : {"proc", "dev", "sys", "tmp"}) fs::create_directories(into / dir, ec);
  co_return Result<void>{};
}

bool OciRuntime::adopt(const std::string& runtime_id, const fs::path& work_dir) {
  auto state = run_program_blocking(runc("state", runtime_id));
  if (!state || !state->ok()) return false;
  boost::system::error_code ec;
  auto v = json::parse(state->out, ec);
  if (ec || !v.is_object()) return false;
  const auto& o = v.as_object();
  auto* status = o.if_contains("status");
  auto* pid = o.if_contains("pid");
  if (!status || !status->is_string() || status->get_string() != "running" || !pid || !pid->is_int64() ||
      pid->get_int64() <= 0)
    return false;
  int pidfd = open_pidfd(static_cast<pid_t>(pid->get_int64()));
  if (pidfd < 0) return false;
  auto server = std::make_shared<Server>();
  server->bundle = work_dir;
  server->cgroups_path = cgroups_path_of(runtime_id);
  server->process_pid = static_cast<pid_t>(pid->get_int64());
  server->memory_mb = memory_limit_mb(work_dir / "config.json");
  server->exit_watch = std::make_unique<boost::asio::posix::stream_descriptor>(executor_, pidfd);
  servers_[runtime_id] = server;
  boost::asio::co_spawn(executor_, watch(runtime_id), boost::asio::detached);
  return true;
}

std::optional<LaunchedServer> OciRuntime::find(const std::string& session_id) {
  auto id = std::string(kIdPrefix) + session_id;
  auto state = run_program_blocking(runc("state", id));
  if (!state || !state->ok()) return std::nullopt;
  return LaunchedServer{id, options_.host};
}

void OciRuntime::clean_up_lost(const std::string& runtime_id, const fs::path& work_dir) {
  auto removed = run_program_blocking(runc("delete", "--force", runtime_id));
  if (removed && !removed->ok() && removed->err.find("does not exist") == std::string::npos)
    spdlog::warn("oci: cannot delete {}: {}", runtime_id, removed->why());
  std::error_code ec;
  fs::remove_all(work_dir, ec);
}

void OciRuntime::adoption_done() { boost::asio::co_spawn(executor_, sweep(), boost::asio::detached); }

awaitable<void> OciRuntime::sweep() {
  auto alive = alive_;
  auto listed = co_await run_program(executor_, runc("list", "--format", "json"));
  if (!*alive) co_return;
  if (!listed || !listed->ok()) {
    spdlog::warn("oci: cannot list containers: {}", listed ? listed->why() : listed.error().message);
    co_return;
  }
  boost::system::error_code ec;
  auto v = json::parse(listed->out, ec);
  if (ec || !v.is_array()) co_return;  // "null" when there is none
  for (const auto& c : v.as_array()) {
    if (!c.is_object()) continue;
    auto* id = c.as_object().if_contains("id");
    auto* bundle = c.as_object().if_contains("bundle");
    if (!id || !id->is_string() || servers_.contains(std::string(id->get_string()))) continue;
    std::string name(id->get_string());
    spdlog::info("oci: removing {}, which no session holds", name);
    co_await run_program(executor_, runc("delete", "--force", name));
    if (!*alive) co_return;
    std::error_code removed;
    if (bundle && bundle->is_string()) fs::remove_all(fs::path(std::string(bundle->get_string())), removed);
  }
}

}  // namespace webgames::oci
