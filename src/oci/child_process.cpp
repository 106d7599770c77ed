#include "oci/child_process.h"

#include <fmt/format.h>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace webgames::oci {
namespace {

constexpr std::size_t kMaxOutput = 1 << 20;

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

// Spawns with stdin /dev/null and stdout, stderr onto `out`, `err`.
Result<pid_t> spawn(const std::vector<std::string>& argv, int out, int err, bool own_group) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out, 1);
  posix_spawn_file_actions_adddup2(&actions, err, 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // none of our sockets or files
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (own_group) {
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
  }
  pid_t pid = 0;
  auto args = c_argv(argv);
  int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return make_error(Errc::unavailable, fmt::format("cannot run {}: {}", argv[0], std::strerror(rc)));
  return pid;
}

std::string read_memfd(int fd) {
  std::string out;
  char buf[16384];
  for (off_t at = 0; out.size() < kMaxOutput;) {
    auto n = ::pread(fd, buf, sizeof buf, at);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    at += n;
  }
  if (out.size() > kMaxOutput) out.resize(kMaxOutput);
  return out;
}

struct Outputs {
  Fd out{::memfd_create("out", MFD_CLOEXEC)};
  Fd err{::memfd_create("err", MFD_CLOEXEC)};
  bool ok() const { return out.fd >= 0 && err.fd >= 0; }
};

}  // namespace

bool Finished::ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

std::string Finished::why() const {
  auto line = err.substr(0, err.find('\n'));
  return line.empty() ? describe_status(status) : fmt::format("{}: {}", describe_status(status), line);
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return fmt::format("was killed by signal {} ({})", WTERMSIG(status), ::strsignal(WTERMSIG(status)));
  return "ended";
}

int open_pidfd(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

boost::asio::awaitable<Result<Finished>> run_program(boost::asio::any_io_executor executor,
                                                     std::vector<std::string> argv) {
  Outputs outputs;
  if (!outputs.ok()) co_return make_error(Errc::unavailable, "memfd_create failed");
  auto pid = spawn(argv, outputs.out.fd, outputs.err.fd, false);
  if (!pid) co_return pid.error();
  int pidfd = open_pidfd(*pid);
  if (pidfd >= 0) {
    boost::asio::posix::stream_descriptor exited(executor, pidfd);
    boost::system::error_code ec;
    co_await exited.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                               boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  Finished done;
  while (::waitpid(*pid, &done.status, 0) < 0 && errno == EINTR) {
  }
  done.out = read_memfd(outputs.out.fd);
  done.err = read_memfd(outputs.err.fd);
  co_return done;
}

Result<Finished> run_program_blocking(const std::vector<std::string>& argv) {
  Outputs outputs;
  if (!outputs.ok()) return make_error(Errc::unavailable, "memfd_create failed");
  auto pid = spawn(argv, outputs.out.fd, outputs.err.fd, false);
  if (!pid) return pid.error();
  Finished done;
  while (::waitpid(*pid, &done.status, 0) < 0 && errno == EINTR) {
  }
  done.out = read_memfd(outputs.out.fd);
  done.err = read_memfd(outputs.err.fd);
  return done;
}

Result<pid_t> spawn_logged(const std::vector<std::string>& argv, int log_fd) {
  return spawn(argv, log_fd, log_fd, true);
}

}  // namespace webgames::oci
