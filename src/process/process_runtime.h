#pragma once
// The process runtime: each server is a child process of `webgames serve`,
// in its own process group, with a working directory per session and its
// stdout and stderr appended to the session's log file. Exits are noticed at
// once through a pidfd, for children and for servers adopted after a restart,
// and reaped without blocking (the strand never waits for a process).
//
// Every server carries a marker in its environment, WEBGAMES_INSTALLATION
// (this installation's id) beside WEBGAMES_SESSION_ID, decided before it is
// spawned: a restarted webgames finds by it the server of a session whose
// start was under way when webgames was killed (find()), and kills whatever
// else of this installation still runs (adoption_done()), such as a server
// that ignored SIGTERM during its stop grace. See marked_processes.h.
// The same marker finds what a server left outside its process group (a
// child started with setsid, which the group's kill does not reach): a
// second after a server's exit, every process still marked with its
// session is killed.
//
// The environment is built from scratch (PATH, the spec's env, WEBGAMES_*):
// nothing of ours, such as credentials, leaks into a game server.
// Resource limits (cpu, memory_mb) are not enforced by this runtime; the
// container runtimes enforce them. A session's log is held to
// hosting.log_limit_mb, as every file its server writes is (RLIMIT_FSIZE).

#include "director/runtime.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>
#include <set>

namespace webgames {

class ProcessRuntime final : public Runtime {
 public:
  // `executor` is the director's strand; `host` is the address players are
  // sent to; `installation` marks this installation's servers (empty: a
  // random id, so that only this object's own servers are found).
  // `file_limit` (bytes, 0: none) bounds every file a server writes, its log
  // included (RLIMIT_FSIZE, set as it starts; past it writes fail with EFBIG).
  ProcessRuntime(boost::asio::any_io_executor executor, std::string host = "127.0.0.1", std::string installation = "",
                 std::uint64_t file_limit = 0);
  ~ProcessRuntime() override;

  std::string_view name() const override { return "process"; }
  void on_exit(ExitHandler handler) override { on_exit_ = std::move(handler); }
  Result<LaunchedServer> start(const LaunchRequest& request) override;
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  bool adopt(const std::string& runtime_id, const std::filesystem::path& work_dir) override;
  void clean_up_lost(const std::string& runtime_id, const std::filesystem::path& work_dir) override;
  std::optional<LaunchedServer> find(const std::string& session_id) override;
  // Kills every process marked with this installation that is not a server
  // adopted (or started) by this runtime, with its process group.
  void adoption_done() override;

  // What the runtime does when a server's pidfd says it may have exited:
  // reaps it without blocking and reports the exit, or, when it still runs
  // (the wait woke early), waits again. Public so that a test can wake it.
  void check_exit(const std::string& runtime_id);

  std::size_t running() const { return servers_.size(); }

 private:
  struct Server {
    int pid = 0;
    std::string session_id;  // its WEBGAMES_SESSION_ID (an adopted one's: once adoption_done() ran)
    bool child = true;       // false when adopted: its parent is no longer us, so no exit status
    std::filesystem::path work_dir;
    std::unique_ptr<boost::asio::posix::stream_descriptor> pidfd;
    std::unique_ptr<boost::asio::steady_timer> kill_timer;
    std::unique_ptr<boost::asio::steady_timer> rewait_timer;  // after an early wake
  };
  bool watch(const std::string& runtime_id, Server server);
  void wait_exit(const std::string& runtime_id, Server& server);
  // Kills, a little after, what is still marked with `session_id`.
  void sweep_later(std::string session_id);

  boost::asio::any_io_executor executor_;
  std::string host_;
  std::string installation_;
  std::uint64_t file_limit_;
  ExitHandler on_exit_;
  std::map<std::string, Server> servers_;
  std::set<std::string> to_sweep_;  // sessions whose server exited, until the sweep
  std::unique_ptr<boost::asio::steady_timer> sweep_timer_;
};

// "pid:starttime": the start time (in clock ticks since boot, from
// /proc/<pid>/stat) tells a reused pid from the process we started.
std::string process_runtime_id(int pid);

}  // namespace webgames
