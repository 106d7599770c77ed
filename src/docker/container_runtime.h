#pragma once
// ContainerRuntime: what the container runtimes (docker/, swarm/) share, so
// that each driver writes only what differs (how a server is created,
// watched, stopped and listed on its engine).
//
// Shared here:
//   start()        checks the spec names an image, takes "webgames-<session
//                  id>" as the runtime id, creates the session's log folder,
//                  records the server and hands the launch to the driver's
//                  launch() on the strand (a Docker call never blocks it)
//   sdk_url_for()  WEBGAMES_SDK_URL as containers reach it: a loopback host
//                  replaced by Options::sdk_host, or by the address of the
//                  bridge network's host side (docker/bridge_address.h)
//   the labels     webgames.session, .game, .owner, .installation, .log_file
//   create_replacing()  a create that meets a leftover of the same name
//                  (an earlier attempt of this session: ours, not in use)
//                  removes it and creates again
//   copy_logs()    a server's stdout and stderr appended to the session log,
//                  cut at Options::log_limit
//   report()       an exit reported once, to the director's handler
//   the sweep      after a restart, adoption_done() removes every server of
//                  this installation that was not adopted
//
// Threading: like every Runtime, called on the director's strand, which is
// `executor`; coroutines run there and report there. Once the runtime is
// destroyed, coroutines in flight stop at their next step (`alive_`) and
// never report.

#include "director/runtime.h"
#include "docker/docker_client.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace webgames::docker {

inline constexpr std::string_view kLabelSession = "webgames.session";
inline constexpr std::string_view kLabelGame = "webgames.game";
inline constexpr std::string_view kLabelOwner = "webgames.owner";
inline constexpr std::string_view kLabelInstallation = "webgames.installation";
inline constexpr std::string_view kLabelLogFile = "webgames.log_file";  // where an adopted server's logs go on

struct ContainerOptions {
  std::string host = "127.0.0.1";  // the address players are sent to
  std::string installation;        // the webgames.installation label: whose servers these are. REQUIRED
  // Where containers reach webgames' SDK: replaces a loopback host in
  // WEBGAMES_SDK_URL. Empty: the host side of the bridge network.
  std::string sdk_host;
  std::chrono::milliseconds reconnect_timeout{30'000};  // the engine unreachable this long: its servers are lost
  std::size_t log_limit = 64 * 1024 * 1024;             // bytes of one session's log kept. Default: 64 MiB
};

// "webgames-<session id>": a server's container or service name, and its runtime id.
std::string server_name(const std::string& session_id);
// The labels every server carries (on the container, and on a service).
boost::json::object server_labels(const LaunchRequest& request, const std::string& installation);
// The spec's environment, then webgames', with WEBGAMES_SDK_URL as `sdk_url`.
boost::json::array server_env(const LaunchRequest& request, const std::string& sdk_url);
// http://HOST:PORT… with HOST replaced by `host` when it is a loopback address.
std::string with_host(const std::string& url, const std::string& host);

boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds d);

class ContainerRuntime : public Runtime {
 public:
  ~ContainerRuntime() override;

  void on_exit(ExitHandler handler) final { on_exit_ = std::move(handler); }
  Result<LaunchedServer> start(const LaunchRequest& request) final;
  void clean_up_lost(const std::string& runtime_id, const std::filesystem::path& work_dir) final;
  void adoption_done() final;

  // Servers created or being created, not yet reported gone.
  std::size_t running() const { return servers_.size(); }

 protected:
  // One server as both runtimes know it; drivers derive their own.
  struct Server {
    virtual ~Server() = default;
    bool created = false;   // the container or service exists
    bool stopping = false;  // stop() was called
    std::filesystem::path log_file;
    std::shared_ptr<Cancel> logs_cancel = std::make_shared<Cancel>();
    bool logs_following = false;                       // a log stream is open
    std::chrono::steady_clock::time_point last_log{};  // the last bytes logged
  };
  // What the sweep needs of a server on the engine.
  struct Listed {
    std::string name;  // the runtime id
    std::string id;    // the engine's id
  };
  using Sink = std::function<void(std::string_view)>;

  ContainerRuntime(boost::asio::any_io_executor executor, std::shared_ptr<const DockerClient> client,
                   ContainerOptions options);

  // --- what each driver writes ---
  // A new record for `request` (the driver's Server type).
  virtual std::shared_ptr<Server> make_server(const LaunchRequest& request) = 0;
  // Creates and watches the server until it is gone, then report()s it.
  virtual boost::asio::awaitable<void> launch(std::string id, std::shared_ptr<Server> server, LaunchRequest request,
                                              std::string sdk_url) = 0;
  // The engine's log stream of `id`, into `sink`, until it ends or `cancel`.
  virtual Task<void> follow(const std::string& id, Sink sink, bool tail_all, std::shared_ptr<Cancel> cancel) = 0;
  // Every server of this installation on the engine.
  virtual Task<std::vector<Listed>> list_installation() = 0;
  // Removes one server the sweep found (by the engine's id); logs failures.
  virtual boost::asio::awaitable<void> remove_listed(const Listed& server) = 0;

  // --- shared plumbing for the drivers ---
  // `create`; on a name conflict, `remove` then (after `pause`) `create`
  // again. false when it could not be created: reported then as a failed
  // launch (or the runtime is gone).
  boost::asio::awaitable<bool> create_replacing(const std::string& id, std::function<Task<std::string>()> create,
                                                std::function<Task<void>()> remove, std::chrono::milliseconds pause);
  // Follows the server's output into its log file until the stream ends.
  boost::asio::awaitable<void> copy_logs(std::string id, std::shared_ptr<Server> server, bool tail_all);
  // Registers an adopted server and follows its logs from now on.
  void adopted(const std::string& id, std::shared_ptr<Server> server, const std::string& log_file);
  void report(const std::string& id, ServerExit exit);
  void spawn(boost::asio::awaitable<void> task);
  // Runs one engine call to completion on a private io_context: for adopt(),
  // which the director calls before the event loops run.
  template <class T>
  static Result<T> run_blocking(std::function<Task<T>()> call);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<const DockerClient> client_;
  ContainerOptions base_options_;
  std::map<std::string, std::shared_ptr<Server>> servers_;
  std::shared_ptr<bool> alive_;  // false once destroyed: coroutines in flight stop

 private:
  boost::asio::awaitable<Result<std::string>> sdk_url_for(const LaunchRequest& request);
  boost::asio::awaitable<void> run_launch(std::string id, std::shared_ptr<Server> server, LaunchRequest request);
  boost::asio::awaitable<void> sweep();
  static Result<void> run_blocking_void(std::function<boost::asio::awaitable<void>()> body);

  ExitHandler on_exit_;
  std::optional<std::string> gateway_;  // the bridge's host side, once looked up
};

template <class T>
Result<T> ContainerRuntime::run_blocking(std::function<Task<T>()> call) {
  std::optional<Result<T>> out;
  auto ran = run_blocking_void([&]() -> boost::asio::awaitable<void> { out.emplace(co_await call()); });
  if (!ran) return ran.error();
  return out ? std::move(*out) : Result<T>(make_error(Errc::internal, "Docker call did not complete"));
}

}  // namespace webgames::docker
