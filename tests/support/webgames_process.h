#pragma once
// The real `webgames serve` binary as a child process of the test: started
// with flags on a data directory, its port read from its log line
// "webgames serving on http://127.0.0.1:PORT", stopped with SIGTERM or
// killed with SIGKILL by PID, and always killed and reaped when the object
// goes (and by the kernel if the test itself dies: PR_SET_PDEATHSIG).
//
// Not thread-safe: use it from the test's thread.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace webgames::testing {

struct WebgamesOptions {
  std::filesystem::path binary;    // the webgames executable
  std::filesystem::path data_dir;  // --data-dir
  std::filesystem::path log_file;  // stdout and stderr, appended (every start of one test in one file)
  std::uint16_t port = 0;          // --port; 0 picks a free one
  std::vector<std::string> flags;  // more flags of `serve`
  std::chrono::milliseconds start_timeout{15'000};
};

class WebgamesProcess {
 public:
  // Starts the server and waits until it serves; throws std::runtime_error
  // (with the log's tail) when it exits or does not serve within the timeout.
  explicit WebgamesProcess(WebgamesOptions options);
  ~WebgamesProcess();
  WebgamesProcess(const WebgamesProcess&) = delete;
  WebgamesProcess& operator=(const WebgamesProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // True until the process has exited (and has been reaped by us).
  bool running();

  // SIGKILL, then reaps it. Game servers it started stay, as after a crash.
  void kill9();
  // SIGTERM, then waits up to `timeout` (then SIGKILL). The wait status, or
  // empty when SIGKILL was needed.
  std::optional<int> terminate(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // What this start wrote to the log so far.
  std::string log() const;
  // Every start's log (the whole file).
  std::string full_log() const;

  // The pids of every WebgamesProcess alive in this test process (they must
  // not be reaped by anyone else).
  static std::vector<pid_t> live_pids();

 private:
  void spawn();
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  WebgamesOptions options_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uintmax_t log_offset_ = 0;
  std::optional<int> status_;
};

// The last `lines` lines of `text`.
std::string tail(const std::string& text, std::size_t lines = 60);

}  // namespace webgames::testing
