#include "process/process_runtime.h"

#include "core/encoding.h"
#include "process/marked_processes.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <map>
#include <set>

namespace webgames {
namespace {

namespace fs = std::filesystem;

int pidfd_open(int pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

std::string start_time_of(int pid) { return process_stat(pid).start_time; }

// The process `runtime_id` names runs (a zombie has exited).
bool alive(int pid, const std::string& runtime_id) {
  auto stat = process_stat(pid);
  return stat.state != 0 && stat.state != 'Z' && fmt::format("{}:{}", pid, stat.start_time) == runtime_id;
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

ProcessRuntime::ProcessRuntime(boost::asio::any_io_executor executor, std::string host, std::string installation,
                               std::uint64_t file_limit)
    : executor_(std::move(executor)),
      host_(std::move(host)),
      installation_(installation.empty() ? new_id("ins_") : std::move(installation)),
      file_limit_(file_limit) {}

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
    if (server.rewait_timer) server.rewait_timer->cancel();
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
  // Each variable once, the later sources replacing the earlier: the spec's
  // over our defaults, ours over the spec's.
  std::map<std::string, std::string> vars{
      {"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"LANG", "C.UTF-8"}, {"HOME", request.work_dir.string()}};
  for (const auto& [k, v] : request.spec.env) vars[k] = v;
  for (const auto& [k, v] : request.env) vars[k] = v;
  // The marker a restart finds the server by, and its session id.
  vars[std::string(kInstallationVariable)] = installation_;
  vars["WEBGAMES_SESSION_ID"] = request.session_id;
  std::vector<std::string> env;
  for (const auto& [k, v] : vars) env.push_back(k + "=" + v);
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
  // posix_spawn sets no limit in the child: set as it starts, microseconds
  // after its first instruction (a few writes may come before).
  if (file_limit_ != 0) {
    rlimit limit{file_limit_, file_limit_};
    if (::prlimit(pid, RLIMIT_FSIZE, &limit, nullptr) != 0)
      spdlog::warn("process runtime: cannot limit the files of pid {}: {}", pid, strerror(errno));
  }

  auto runtime_id = process_runtime_id(pid);
  Server server;
  server.pid = pid;
  server.session_id = request.session_id;
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
  wait_exit(runtime_id, slot);
  return true;
}

void ProcessRuntime::wait_exit(const std::string& runtime_id, Server& server) {
  server.pidfd->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this, runtime_id](boost::system::error_code ec) {
                             if (ec != boost::asio::error::operation_aborted) check_exit(runtime_id);
                           });
}

void ProcessRuntime::check_exit(const std::string& runtime_id) {
  auto it = servers_.find(runtime_id);
  if (it == servers_.end()) return;
  auto& server = it->second;
  ServerExit exit{runtime_id, "exited", false};
  bool gone = false;
  if (server.child) {
    int status = 0;
    auto reaped = ::waitpid(server.pid, &status, WNOHANG);  // never blocks: 0 while the child runs
    if (reaped == server.pid) {
      gone = true;
      exit.description = describe(status);
      exit.clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    } else if (reaped < 0 && errno == ECHILD) {
      gone = true;  // reaped elsewhere: no status
    }
  } else {
    gone = !alive(server.pid, runtime_id);
    exit.description = "exited (adopted after a restart: no exit status)";
  }
  if (!gone) {
    // Woken while it runs: wait again, after a pause, so that a descriptor
    // that stays readable cannot spin the strand.
    spdlog::debug("process runtime: pid {} still runs; waiting again", server.pid);
    server.rewait_timer = std::make_unique<boost::asio::steady_timer>(executor_, std::chrono::milliseconds(50));
    server.rewait_timer->async_wait([this, runtime_id](boost::system::error_code ec) {
      if (ec) return;
      if (auto again = servers_.find(runtime_id); again != servers_.end()) wait_exit(runtime_id, again->second);
    });
    return;
  }
  auto done = std::move(server);
  servers_.erase(it);
  if (done.kill_timer) done.kill_timer->cancel();
  if (done.rewait_timer) done.rewait_timer->cancel();
  ::kill(-done.pid, SIGKILL);                                  // whatever the server left behind in its group
  if (!done.session_id.empty()) sweep_later(done.session_id);  // and out of it
  std::error_code ec;
  fs::remove_all(done.work_dir, ec);
  if (on_exit_) on_exit_(exit);
}

void ProcessRuntime::sweep_later(std::string session_id) {
  to_sweep_.insert(std::move(session_id));
  if (sweep_timer_) return;  // one sweep for the exits of the same second
  sweep_timer_ = std::make_unique<boost::asio::steady_timer>(executor_, std::chrono::seconds(1));
  sweep_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    sweep_timer_.reset();
    auto sessions = std::exchange(to_sweep_, {});
    // Only sessions whose server exited here: a replica's sweep never
    // touches the servers of a session it does not run.
    for (const auto& p : marked_processes(installation_)) {
      if (!sessions.contains(p.session_id)) continue;
      spdlog::warn("process runtime: killing pid {}, left by the server of session {} outside its process group", p.pid,
                   p.session_id);
      ::kill(p.pid, SIGKILL);
    }
  });
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

std::optional<LaunchedServer> ProcessRuntime::find(const std::string& session_id) {
  for (const auto& p : marked_processes(installation_))
    if (p.session_id == session_id && p.pid == p.pgid) return LaunchedServer{process_runtime_id(p.pid), host_};
  return std::nullopt;
}

void ProcessRuntime::adoption_done() {
  std::map<pid_t, Server*> ours;
  for (auto& [id, server] : servers_) ours.emplace(server.pid, &server);
  for (const auto& p : marked_processes(installation_)) {
    // An adopted server's session, read from its marker in the same scan.
    if (auto server = ours.find(p.pid); server != ours.end() && server->second->session_id.empty())
      server->second->session_id = p.session_id;
    if (ours.contains(p.pgid) || ours.contains(p.pid)) continue;
    spdlog::warn("process runtime: killing pid {} of session {}: no live session owns it", p.pid, p.session_id);
    if (p.pid == p.pgid) ::kill(-p.pgid, SIGKILL);
    ::kill(p.pid, SIGKILL);
  }
}

bool ProcessRuntime::adopt(const std::string& runtime_id, const std::filesystem::path& work_dir) {
  int pid = pid_of(runtime_id);
  if (pid <= 0 || process_runtime_id(pid) != runtime_id) return false;  // gone, or the pid was reused
  Server server;
  server.pid = pid;
  server.child = false;
  server.work_dir = work_dir;  // session_id: from its marker, in adoption_done()
  return watch(runtime_id, std::move(server));
}

}  // namespace webgames
