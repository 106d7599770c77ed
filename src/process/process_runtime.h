#pragma once
// The process runtime: each server is a child process of `webgames serve`,
// in its own process group, with a working directory per session and its
// stdout and stderr appended to the session's log file. Exits are noticed at
// once through a pidfd, for children and for servers adopted after a restart.
//
// The environment is built from scratch (PATH, the spec's env, WEBGAMES_*):
// nothing of ours, such as credentials, leaks into a game server.
// Resource limits (cpu, memory_mb) are not enforced by this runtime; the
// container runtimes enforce them.

#include "director/runtime.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>

namespace webgames {

class ProcessRuntime final : public Runtime {
 public:
  // `executor` is the director's strand; `host` is the address players are sent to.
  ProcessRuntime(boost::asio::any_io_executor executor, std::string host = "127.0.0.1");
  ~ProcessRuntime() override;

  std::string_view name() const override { return "process"; }
  void on_exit(ExitHandler handler) override { on_exit_ = std::move(handler); }
  Result<LaunchedServer> start(const LaunchRequest& request) override;
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  bool adopt(const std::string& runtime_id, const std::filesystem::path& work_dir) override;
  void clean_up_lost(const std::string& runtime_id, const std::filesystem::path& work_dir) override;

  std::size_t running() const { return servers_.size(); }

 private:
  struct Server {
    int pid = 0;
    bool child = true;  // false when adopted: its parent is no longer us, so no exit status
    std::filesystem::path work_dir;
    std::unique_ptr<boost::asio::posix::stream_descriptor> pidfd;
    std::unique_ptr<boost::asio::steady_timer> kill_timer;
  };
  bool watch(const std::string& runtime_id, Server server);
  void exited(const std::string& runtime_id);

  boost::asio::any_io_executor executor_;
  std::string host_;
  ExitHandler on_exit_;
  std::map<std::string, Server> servers_;
};

// "pid:starttime": the start time (in clock ticks since boot, from
// /proc/<pid>/stat) tells a reused pid from the process we started.
std::string process_runtime_id(int pid);

}  // namespace webgames
