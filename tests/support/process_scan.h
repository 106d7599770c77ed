#pragma once
// Looks at real processes through /proc, for tests that must prove what a
// program left running: which processes carry an environment entry (the
// process runtime gives every game server HOME=<data>/sessions/<id>/work, and
// their children inherit it), zombies, and whether a TCP port is free.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::testing {

struct ProcessInfo {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  char state = '?';           // R, S, D, Z, T... from /proc/<pid>/stat
  std::string cmdline;        // arguments joined by spaces
  std::filesystem::path cwd;  // empty when unreadable

  std::string describe() const;
};

// The process, or empty once it is gone (a zombie is still there).
std::optional<ProcessInfo> process_info(pid_t pid);

// Every live process (not a zombie) whose environment holds an entry that
// starts with `prefix` ("HOME=/tmp/x/sessions/").
std::vector<ProcessInfo> processes_with_env_prefix(std::string_view prefix);

// Zombie children of `parent`: exited processes it has not waited for.
std::vector<ProcessInfo> zombie_children_of(pid_t parent);

// The environment of a running process, as "KEY=value" entries.
std::vector<std::string> environment_of(pid_t pid);

// Makes this process the reaper of orphaned descendants, as a real init
// would be: a game server whose webgames parent was killed is re-parented
// to us rather than to a PID 1 that may never reap it.
void become_child_subreaper();

// Waits for (reaps) every zombie child of ours except `keep`.
void reap_zombie_children(const std::vector<pid_t>& keep = {});

// SIGKILLs each process and, when it leads its own group, the whole group.
void kill_processes(const std::vector<ProcessInfo>& processes);

// Whether a TCP socket can bind 0.0.0.0:port right now (as the port
// allocator and a game server would).
bool tcp_port_bindable(std::uint16_t port);

std::string describe(const std::vector<ProcessInfo>& processes);

}  // namespace webgames::testing
