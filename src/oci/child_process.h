#pragma once
// Programs the OCI runtime runs (runc, tar), without blocking an event loop:
// spawned with posix_spawn, their exit awaited through a pidfd, their output
// kept in memory files (memfd), so that a chatty program cannot fill a pipe
// and stall. Only for programs of ours with bounded output.

#include "core/error.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <sys/types.h>

#include <string>
#include <vector>

namespace webgames::oci {

struct Finished {
  int status = 0;           // as waitpid() gives it
  std::string out;          // stdout, the first MiB
  std::string err;          // stderr, the first MiB
  bool ok() const;          // exited with status 0
  std::string why() const;  // "runc exited with status 1: <first line of stderr>"
};

// Runs argv[0] (a path, or found on PATH) with stdin from /dev/null, until it exits.
boost::asio::awaitable<Result<Finished>> run_program(boost::asio::any_io_executor executor,
                                                     std::vector<std::string> argv);
// The same, blocking: for what runs before the event loops (adoption at start).
Result<Finished> run_program_blocking(const std::vector<std::string>& argv);

// Starts a long-lived child: stdin /dev/null, stdout and stderr to `log_fd`,
// in its own process group. The caller watches and reaps it.
Result<pid_t> spawn_logged(const std::vector<std::string>& argv, int log_fd);

// "exited with status 3", "was killed by signal 9 (Killed)".
std::string describe_status(int status);

// pidfd_open(2): a descriptor that becomes readable when `pid` exits. -1 on failure.
int open_pidfd(pid_t pid);

}  // namespace webgames::oci
