#pragma once
// The OCI runtime (`--runtime oci`): game servers as containers run by runc
// directly, with no engine between (docs/oci.md).
//
// A server's image is an OCI image layout (oci_image.h), unpacked once per
// manifest digest into <state>/rootfs/<digest> and shared read-only by every
// server of it. Each server gets a bundle in its session's work folder
// (config.json from bundle_config.h) and runs as `runc run --keep`, a child
// of webgames that stays as long as the container: its exit is the
// server's, noticed at once through a pidfd, with the status. Its stdout and
// stderr go straight to the session log. An out-of-memory kill is read from
// the container's memory cgroup before the container is deleted.
//
// runc keeps its state under <state>/runc, one root per installation: after
// a restart, adopt() finds a server by its container id ("webgames-<session
// id>") and watches its process; adoption_done() deletes every container of
// that root that no session adopted. Nothing blocks the director's strand:
// runc and tar run as children awaited through pidfds; only adopt(), find()
// and clean_up_lost(), which the director calls before serving, wait.

#include "director/runtime.h"
#include "oci/oci_image.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace webgames::oci {

struct OciOptions {
  std::filesystem::path state_dir;   // runc's root and the unpacked images. REQUIRED
  std::filesystem::path images_dir;  // OCI image layouts, <images_dir>/<image name>. REQUIRED
  std::string runc = "runc";         // the runc binary (a path, or found on PATH)
  std::string host = "127.0.0.1";    // where players connect
  std::string installation;          // in the cgroup path; REQUIRED
  // Bytes of a session's log, and of any file its server writes (RLIMIT_FSIZE). Default: 64 MiB
  std::uint64_t log_limit = 64ull << 20;
};

class OciRuntime final : public Runtime {
 public:
  OciRuntime(boost::asio::any_io_executor executor, OciOptions options);
  ~OciRuntime() override;

  std::string_view name() const override { return "oci"; }
  void on_exit(ExitHandler handler) override { on_exit_ = std::move(handler); }
  Result<LaunchedServer> start(const LaunchRequest& request) override;
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  bool adopt(const std::string& runtime_id, const std::filesystem::path& work_dir) override;
  std::optional<LaunchedServer> find(const std::string& session_id) override;
  void clean_up_lost(const std::string& runtime_id, const std::filesystem::path& work_dir) override;
  void adoption_done() override;

  std::size_t running() const { return servers_.size(); }

 private:
  struct Server {
    std::filesystem::path bundle;  // the session's work folder
    std::string cgroups_path;
    int memory_mb = 0;      // its limit, for an out-of-memory kill's description
    pid_t runc_pid = 0;     // `runc run`, our child; 0 for an adopted server
    pid_t process_pid = 0;  // the container's process, for an adopted server
    bool stopping = false;
    std::unique_ptr<boost::asio::posix::stream_descriptor> exit_watch;
    std::unique_ptr<boost::asio::steady_timer> kill_timer;
  };

  boost::asio::awaitable<void> launch(std::string id, LaunchRequest request);
  boost::asio::awaitable<Result<std::filesystem::path>> rootfs_of(const OciImage& image);
  boost::asio::awaitable<Result<void>> unpack(const OciImage& image, std::filesystem::path into);
  boost::asio::awaitable<void> watch(std::string id);
  boost::asio::awaitable<void> finish(std::string id, int status, bool status_known);
  boost::asio::awaitable<void> signal(std::string id, std::string signal);
  boost::asio::awaitable<void> sweep();
  // runc's command line with our root, then `args`.
  template <class... Args>
  std::vector<std::string> runc(const Args&... args) const {
    std::vector<std::string> argv{options_.runc, "--root", (options_.state_dir / "runc").string()};
    (argv.emplace_back(args), ...);
    return argv;
  }
  void report(const std::string& id, ServerExit exit);
  std::string cgroups_path_of(const std::string& id) const;

  boost::asio::any_io_executor executor_;
  OciOptions options_;
  ExitHandler on_exit_;
  std::map<std::string, std::shared_ptr<Server>> servers_;
  std::set<std::string> unpacking_;  // image digests being unpacked
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace webgames::oci
