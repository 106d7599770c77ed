#pragma once
// Finds the game servers of one installation among every process of the
// machine, by the marker the process runtime puts in each server's
// environment before it starts it (WEBGAMES_INSTALLATION and
// WEBGAMES_SESSION_ID; a server's children inherit them). This is how a
// restarted webgames finds a server whose start was under way when it was
// killed, and what else of its own still runs (a server that ignored SIGTERM
// in its stop grace, say).
//
// Reads /proc; processes of other users are not readable and not listed.
// Thread-safe (no state); blocks on /proc only (no disk I/O).

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace webgames {

// The environment entry that marks this installation's servers.
inline constexpr std::string_view kInstallationVariable = "WEBGAMES_INSTALLATION";

struct MarkedProcess {
  pid_t pid = 0;
  pid_t pgid = 0;          // a server leads its own group: pid == pgid
  std::string session_id;  // its WEBGAMES_SESSION_ID
};

// Live processes (not zombies) marked with `installation`, except this one.
std::vector<MarkedProcess> marked_processes(std::string_view installation);

// Fields of /proc/<pid>/stat; state 0 when the process does not exist.
struct ProcessStat {
  char state = 0;  // R, S, D, Z, T...
  pid_t pgid = 0;
  std::string start_time;  // clock ticks since boot: tells a reused pid from the process we started
};
ProcessStat process_stat(pid_t pid);

}  // namespace webgames
