#include "support/process_scan.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace webgames::testing {
namespace fs = std::filesystem;

namespace {

// The file's text; "" when it cannot be read. A /proc file of a process that
// exits while it is read fails with ESRCH, which libstdc++ throws from
// underflow: that process is gone, which is what the callers ask about.
std::string read_file(const fs::path& path) {
  try {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  } catch (const std::exception&) {
    return {};
  }
}

std::vector<pid_t> all_pids() {
  std::vector<pid_t> pids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    pids.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return pids;
}

std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string ProcessInfo::describe() const {
  std::ostringstream out;
  out << "pid " << pid << " (ppid " << ppid << ", pgid " << pgid << ", state " << state << ") " << cmdline;
  if (!cwd.empty()) out << " [cwd " << cwd.string() << "]";
  return out.str();
}

std::string describe(const std::vector<ProcessInfo>& processes) {
  std::string out;
  for (const auto& p : processes) out += "\n  " + p.describe();
  return out;
}

std::optional<ProcessInfo> process_info(pid_t pid) {
  auto dir = fs::path("/proc") / std::to_string(pid);
  auto stat = read_file(dir / "stat");
  auto close_paren = stat.rfind(')');
  if (stat.empty() || close_paren == std::string::npos || close_paren + 2 >= stat.size()) return std::nullopt;
  ProcessInfo info;
  info.pid = pid;
  std::istringstream fields(stat.substr(close_paren + 2));
  fields >> info.state >> info.ppid >> info.pgid;
  auto args = split_nul(read_file(dir / "cmdline"));
  for (const auto& a : args) info.cmdline += (info.cmdline.empty() ? "" : " ") + a;
  std::error_code ec;
  info.cwd = fs::read_symlink(dir / "cwd", ec);
  return info;
}

std::vector<std::string> environment_of(pid_t pid) {
  return split_nul(read_file(fs::path("/proc") / std::to_string(pid) / "environ"));
}

std::vector<ProcessInfo> processes_with_env_prefix(std::string_view prefix) {
  std::vector<ProcessInfo> found;
  for (auto pid : all_pids()) {
    if (pid == ::getpid()) continue;
    auto env = environment_of(pid);
    bool match = std::any_of(env.begin(), env.end(), [&](const std::string& e) { return e.starts_with(prefix); });
    if (!match) continue;
    auto info = process_info(pid);
    if (info && info->state != 'Z' && info->state != 'X') found.push_back(*info);
  }
  return found;
}

std::vector<ProcessInfo> zombie_children_of(pid_t parent) {
  std::vector<ProcessInfo> found;
  for (auto pid : all_pids()) {
    auto info = process_info(pid);
    if (info && info->ppid == parent && info->state == 'Z') found.push_back(*info);
  }
  return found;
}

void become_child_subreaper() { ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

void reap_zombie_children(const std::vector<pid_t>& keep) {
  for (const auto& z : zombie_children_of(::getpid())) {
    if (std::find(keep.begin(), keep.end(), z.pid) != keep.end()) continue;
    ::waitpid(z.pid, nullptr, WNOHANG);
  }
}

void kill_processes(const std::vector<ProcessInfo>& processes) {
  for (const auto& p : processes) {
    if (p.pgid == p.pid && p.pgid != ::getpgrp()) ::kill(-p.pgid, SIGKILL);
    ::kill(p.pid, SIGKILL);
  }
}

bool tcp_port_bindable(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace webgames::testing
