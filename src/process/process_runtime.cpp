#include "process/process_runtime.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <fstream>
#include <sstream>

namespace webgames {
namespace {

namespace fs = std::filesystem;

int pidfd_open(int pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

// Field 22 of /proc/<pid>/stat; empty when the process does not exist.
std::string start_time_of(int pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string text;
  if (!std::getline(in, text)) return "";
  auto close_paren = text.rfind(')');  // the command name may hold spaces and parentheses
  if (close_paren == std::string::npos) return "";
  std::istringstream fields(text.substr(close_paren + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i)
    if (i == 22) return field;
  return "";
}

int pid_of(const std::string& runtime_id) {
  try {
    return std::stoi(runtime_id.substr(0, runtime_id.find(':')));
  } catch (...) {
    return 0;
  }
}

std::string describe(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return fmt::format("was killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  return "ended";
}

// An executable path for `command`: absolute, or relative to our working
// directory (the child starts in its own), or found on PATH.
Result<std::string> resolve(const std::string& command) {
  auto check = [&](const fs::path& p) -> Result<std::string> {
    if (::access(p.c_str(), X_OK) != 0)
      return make_error(Errc::invalid_field, fmt::format("server.command {} is not an executable file", command),
                        "server.command");
    return p.string();
  };
  if (command.empty())
    return make_error(Errc::invalid_field, "the process runtime needs server.command (this game names an image)",
                      "server.command");
  if (command.find('/') != std::string::npos) return check(fs::absolute(command));
  for (auto dir : {"/usr/local/bin", "/usr/bin", "/bin"}) {
    auto p = fs::path(dir) / command;
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return make_error(Errc::invalid_field,
                    fmt::format("server.command {} is not in /usr/local/bin, /usr/bin or /bin", command),
                    "server.command");
}

}  // namespace

std::string process_runtime_id(int pid) { return fmt::format("{}:{}", pid, start_time_of(pid)); }

ProcessRuntime::ProcessRuntime(boost::asio::any_io_executor executor, std::string host)
    : executor_(std::move(executor)), host_(std::move(host)) {}

ProcessRuntime::~ProcessRuntime() {
  // Running servers outlive us on purpose: the next start adopts them. Those
  // already told to stop would be adopted by nobody (their sessions are
  // over), so they are killed now rather than after their grace period.
  for (auto& [id, server] : servers_) {
    if (server.kill_timer) {
      server.kill_timer->cancel();
      ::kill(-server.pid, SIGKILL);
      std::error_code ec;
      fs::remove_all(server.work_dir, ec);
    }
    if (server.pidfd) server.pidfd->cancel();
  }
}

Result<LaunchedServer> ProcessRuntime::start(const LaunchRequest& request) {
  auto executable = resolve(request.spec.command);
  if (!executable) return executable.error();

  std::error_code ec;
  fs::create_directories(request.work_dir, ec);
  if (!ec) fs::create_directories(request.log_file.parent_path(), ec);
  if (ec)
    return make_error(Errc::unavailable, fmt::format("cannot create {}: {}", request.work_dir.string(), ec.message()));
  int log = ::open(request.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (log < 0) return make_error(Errc::unavailable, fmt::format("cannot open {}", request.log_file.string()));

  std::vector<std::string> args{*executable};
  args.insert(args.end(), request.spec.args.begin(), request.spec.args.end());
  std::vector<std::string> env{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                               "HOME=" + request.work_dir.string()};
  for (const auto& [k, v] : request.spec.env) env.push_back(k + "=" + v);
  for (const auto& [k, v] : request.env) env.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, request.work_dir.c_str());
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, log, STDERR_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // none of our sockets or files

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGTERM, SIGINT, SIGPIPE, SIGCHLD, SIGHUP}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group: stop() signals the server and its children
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, executable->c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(log);
  if (rc != 0) return make_error(Errc::unavailable, fmt::format("cannot start {}: {}", *executable, strerror(rc)));

  auto runtime_id = process_runtime_id(pid);
  Server server;
  server.pid = pid;
  server.work_dir = request.work_dir;
  if (!watch(runtime_id, std::move(server))) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return make_error(Errc::unavailable, "cannot watch the server process (pidfd_open failed)");
  }
  spdlog::info("process runtime: session {} started pid {} ({})", request.session_id, pid, *executable);
  return LaunchedServer{runtime_id, host_};
}

bool ProcessRuntime::watch(const std::string& runtime_id, Server server) {
  int fd = pidfd_open(server.pid);
  if (fd < 0) return false;
  server.pidfd = std::make_unique<boost::asio::posix::stream_descriptor>(executor_, fd);
  auto& slot = servers_[runtime_id] = std::move(server);
  slot.pidfd->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                         [this, runtime_id](boost::system::error_code ec) {
                           if (ec != boost::asio::error::operation_aborted) exited(runtime_id);
                         });
  return true;
}

void ProcessRuntime::exited(const std::string& runtime_id) {
  auto it = servers_.find(runtime_id);
  if (it == servers_.end()) return;
  auto server = std::move(it->second);
  servers_.erase(it);
  if (server.kill_timer) server.kill_timer->cancel();

  ServerExit exit{runtime_id, "exited", false};
  if (server.child) {
    int status = 0;
    if (::waitpid(server.pid, &status, 0) == server.pid) {
      exit.description = describe(status);
      exit.clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
  } else {
    exit.description = "exited (adopted after a restart: no exit status)";
  }
  ::kill(-server.pid, SIGKILL);  // whatever the server left behind in its group
  std::error_code ec;
  fs::remove_all(server.work_dir, ec);
  if (on_exit_) on_exit_(exit);
}

void ProcessRuntime::stop(const std::string& runtime_id, std::chrono::milliseconds grace) {
  auto it = servers_.find(runtime_id);
  if (it == servers_.end()) return;
  auto& server = it->second;
  if (server.kill_timer) return;  // already stopping
  ::kill(-server.pid, SIGTERM);
  server.kill_timer = std::make_unique<boost::asio::steady_timer>(executor_, grace);
  server.kill_timer->async_wait([pid = server.pid](boost::system::error_code ec) {
    if (!ec) ::kill(-pid, SIGKILL);
  });
}

void ProcessRuntime::clean_up_lost(const std::string& runtime_id, const std::filesystem::path& work_dir) {
  int pid = pid_of(runtime_id);
  // The server led its own process group, whose id is its pid. Linux does
  // not reuse a pid while a group still bears it, so when no process has
  // that pid any more, the group's members are the server's children.
  if (pid > 0 && start_time_of(pid).empty()) ::kill(-pid, SIGKILL);
  std::error_code ec;
  fs::remove_all(work_dir, ec);
}

bool ProcessRuntime::adopt(const std::string& runtime_id, const std::filesystem::path& work_dir) {
  int pid = pid_of(runtime_id);
  if (pid <= 0 || process_runtime_id(pid) != runtime_id) return false;  // gone, or the pid was reused
  Server server;
  server.pid = pid;
  server.child = false;
  server.work_dir = work_dir;
  return watch(runtime_id, std::move(server));
}

}  // namespace webgames
