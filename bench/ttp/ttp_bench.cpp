// ttp-bench: time-to-play of the process or Docker runtime, against its floor.
//
// Starts `webgames serve` on loopback, registers a 1v1 game whose server is
// ttp-ready-server (a static binary that says ready at once), and makes pairs
// of guest players arrive at a steady rate. For each match:
//   t0 = just before the request creating the second (match-completing) ticket
//   t1 = both players' WebSockets delivered session.ready AND a TCP connect
//        to the assigned host:port succeeded
//   time-to-play = t1 - t0
// The floor is the same binary spawned directly (posix_spawn) until a TCP
// connect to its port succeeds; half of its runs go before the matches and
// half after, so both share the machine's conditions.
//
// With --runtime docker, webgames runs the server as a container of --image,
// and the floor is that image created and started through the Engine API
// (the same container config as the runtime's) until a TCP connect to its
// published port succeeds. engine_starts_per_s is the engine's own rate of
// create + start + port answering with 8 in flight; starts_per_s is ours:
// measured matches over the span from the first t0 to the last t1 (a rate at
// saturation when --rate is above what the engine sustains).
//
// With --pool N, the game keeps a warm pool of N servers (docs/pools.md): the
// matches start once N are ready, and each takes a ready server (no start on
// its path) while the pool refills behind it.
//
// The human summary goes to stderr; the last line of stdout is one JSON object:
// {"runtime":"process","matches":N,"rate":R,"ttp_p50_ms":…,"ttp_p99_ms":…,
//  "floor_p50_ms":…,"floor_p99_ms":…,"starts_per_s":…[,"engine_starts_per_s":…][,"pool":N]}
//
// The server prints CLOCK_MONOTONIC stamps (the clock of steady_clock) to its
// server.log; they split time-to-play into: ticket answered, server process
// running, server told ready (its 204), both players told, connected.

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "docker/docker_runtime.h"
#include "oci/bundle_config.h"
#include "oci/child_process.h"
#include "oci/oci_image.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
namespace fs = std::filesystem;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
constexpr auto kNoThrow = asio::as_tuple(use_awaitable);

// Per match, from its scheduled start: 10 s, or 60 s with --runtime docker
// (a saturated engine queues its starts). Set once by main().
std::chrono::seconds kMatchTimeout = 10s;
constexpr auto kHttpTimeout = 10s;     // per HTTP request
constexpr auto kConnectRetry = 100us;  // between refused connects (TTP and floor alike)
constexpr auto kPreOpen = 250ms;       // sockets of a match are opened this much before its start
constexpr std::uint16_t kGamePortFirst = 20000, kGamePortLast = 20999;    // webgames' ports for game servers
constexpr std::uint16_t kFloorPortFirst = 21000, kFloorPortLast = 21999;  // the floor's servers

// ---- command line -------------------------------------------------------------

struct Options {
  std::string webgames, server_binary;
  int matches = 200;
  double rate = 20;
  int floor_runs = 200;
  int warmup = 5;                   // matches and floor runs before the measured ones, not counted
  std::string log_level = "warn";   // webgames' (its log's tail is printed on failure)
  bool keep = false;                // keep the temporary directory (webgames' log and data, the servers' logs)
  std::string runtime = "process";  // or docker
  std::string docker_socket = "/tmp/wg-dockerd/docker.sock";
  std::string image = "webgames/ttp-ready-server";
  std::string samples;         // when set, every measured time-to-play (ms) goes there, one per line
  std::string oci_images_dir;  // --runtime oci: the OCI image layouts (images/build-oci)
  int pool = 0;                // --pool N: the game's warm pool keeps N servers ready; 0: every match cold-starts
};

[[noreturn]] void usage(const std::string& error) {
  std::cerr << "ttp-bench: " << error << "\n"
            << "usage: ttp-bench --webgames PATH --server-binary PATH [--matches N (200)] [--rate R matches/s (20)]\n"
            << "                 [--floor-runs N (200)] [--warmup N (5)] [--log-level LEVEL (warn)] [--keep]\n"
            << "                 [--runtime process|docker|oci] [--docker-socket PATH] [--image NAME]\n"
            << "                 [--oci-images-dir DIR] [--pool N (warm servers kept ready; 0)]\n"
            << "                 [--samples FILE (each time-to-play in ms, for webgames simulate)]\n";
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--keep") {
      o.keep = true;
      continue;
    }
    if (i + 1 >= argc) usage(flag + " needs a value");
    std::string value = argv[++i];
    try {
      if (flag == "--webgames")
        o.webgames = value;
      else if (flag == "--server-binary")
        o.server_binary = value;
      else if (flag == "--matches")
        o.matches = std::stoi(value);
      else if (flag == "--rate")
        o.rate = std::stod(value);
      else if (flag == "--floor-runs")
        o.floor_runs = std::stoi(value);
      else if (flag == "--warmup")
        o.warmup = std::stoi(value);
      else if (flag == "--log-level")
        o.log_level = value;
      else if (flag == "--runtime")
        o.runtime = value;
      else if (flag == "--docker-socket")
        o.docker_socket = value;
      else if (flag == "--image")
        o.image = value;
      else if (flag == "--samples")
        o.samples = value;
      else if (flag == "--oci-images-dir")
        o.oci_images_dir = value;
      else if (flag == "--pool")
        o.pool = std::stoi(value);
      else
        usage("unknown flag " + flag);
    } catch (const std::logic_error&) {
      usage(flag + " needs a number, not " + value);
    }
  }
  if (o.runtime != "process" && o.runtime != "docker" && o.runtime != "oci")
    usage("--runtime must be process, docker or oci");
  bool docker = o.runtime == "docker";
  if (o.webgames.empty() || (!docker && o.server_binary.empty()))
    usage("--webgames and (for the process and oci runtimes) --server-binary are required");
  if (o.runtime == "oci" && o.oci_images_dir.empty()) usage("--runtime oci needs --oci-images-dir");
  if (o.matches < 1 || o.matches > 100'000) usage("--matches must be 1 to 100000");
  if (!(o.rate > 0 && o.rate <= 1000)) usage("--rate must be above 0 and at most 1000");
  if (o.floor_runs < 2 || o.floor_runs > 100'000) usage("--floor-runs must be 2 to 100000");
  if (o.warmup < 0 || o.warmup > 1000) usage("--warmup must be 0 to 1000");
  if (o.pool < 0 || o.pool > 64) usage("--pool must be 0 to 64");
  for (auto* path : {&o.webgames, &o.server_binary}) {
    if (path->empty()) continue;
    *path = fs::absolute(*path).string();
    if (::access(path->c_str(), X_OK) != 0) usage(*path + " is not an executable file");
  }
  return o;
}

// ---- small helpers --------------------------------------------------------------

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
long long ns_of(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Nearest-rank percentile (p in 0..100) of unsorted samples.
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

// A port nobody listens on now, from [first, last], round-robin (not the
// kernel's ephemeral range, which our own outgoing connections draw from).
std::uint16_t free_port(std::uint16_t first, std::uint16_t last, std::uint16_t& next) {
  for (int tries = 0; tries <= last - first; ++tries) {
    std::uint16_t port = next;
    next = next >= last ? first : static_cast<std::uint16_t>(next + 1);
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    if (ok) return port;
  }
  throw std::runtime_error(fmt::format("no free port in {}-{}", first, last));
}

// The stamps ttp-ready-server prints: "start=… listen=… ready=… accept=…" (ns, CLOCK_MONOTONIC).
struct ServerStamps {
  long long start = 0, listen = 0, ready = 0, accept = 0;
};
std::optional<ServerStamps> read_stamps(const fs::path& log) {
  std::ifstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    ServerStamps s;
    if (std::sscanf(line.c_str(), "ttp-ready-server: start=%lld listen=%lld ready=%lld accept=%lld", &s.start,
                    &s.listen, &s.ready, &s.accept) == 4)
      return s;
  }
  return std::nullopt;
}

struct TempDir {
  fs::path path;
  bool keep = false;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "webgames-ttp.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~TempDir() {
    if (keep) {
      std::cerr << "ttp-bench: kept " << path.string() << "\n";
      return;
    }
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// ---- child processes --------------------------------------------------------------

// posix_spawn with stdin from /dev/null, stdout and stderr to `log`, no other
// descriptor, default signals, in its own process group.
pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env, const fs::path& log) {
  std::vector<char*> argv, envp;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0640);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGTERM, SIGINT, SIGPIPE, SIGCHLD, SIGHUP}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, args[0].c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}: {}", args[0], std::strerror(rc)));
  return pid;
}

// Waits up to `grace` for `pid` to exit; then SIGKILL and reap. Returns its status (-1 if killed).
int reap(pid_t pid, std::chrono::milliseconds grace) {
  int status = 0;
  for (auto deadline = Clock::now() + grace; Clock::now() < deadline; std::this_thread::sleep_for(1ms))
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

// Game servers that webgames leaves running when it stops (on purpose: a
// restarted webgames adopts them) come to us, the subreaper (see main):
// SIGTERM, then SIGKILL after 2 s.
void stop_orphans() {
  std::vector<pid_t> orphans;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string text;
    if (!std::getline(stat, text)) continue;
    auto paren = text.rfind(')');
    int ppid = 0;
    if (paren != std::string::npos && std::sscanf(text.c_str() + paren + 1, " %*c %d", &ppid) == 1 &&
        ppid == ::getpid())
      orphans.push_back(std::stoi(entry.path().filename().string()));
  }
  for (auto pid : orphans) ::kill(pid, SIGTERM);
  for (auto pid : orphans) reap(pid, 2000ms);
  if (!orphans.empty()) std::cerr << fmt::format("ttp-bench: stopped {} game servers left running\n", orphans.size());
}

// `webgames serve`, stopped by pid when this goes: SIGTERM, then SIGKILL after 5 s.
class Webgames {
 public:
  Webgames(const Options& o, const fs::path& dir, std::uint16_t port) : log_(dir / "webgames.log") {
    std::vector<std::string> env;  // ours, minus WEBGAMES_* (they would override the flags)
    for (char** e = environ; *e != nullptr; ++e)
      if (std::strncmp(*e, "WEBGAMES_", 9) != 0) env.emplace_back(*e);
    std::vector<std::string> args{o.webgames,        "serve",
                                  "--address",       o.runtime == "docker" ? "0.0.0.0" : "127.0.0.1",
                                  "--port",          std::to_string(port),
                                  "--data-dir",      (dir / "data").string(),
                                  "--password-cost", "minimum",
                                  "--access-log",    "false",
                                  "--log-level",     o.log_level,
                                  "--access-ttl-s",  "86400",
                                  "--port-first",    std::to_string(kGamePortFirst),
                                  "--port-last",     std::to_string(kGamePortLast)};
    if (o.runtime == "docker") {
      // Containers reach the SDK on the bridge's gateway: webgames listens on all addresses.
      for (std::string a : {"--runtime", "docker", "--docker-socket"}) args.push_back(a);
      args.push_back(o.docker_socket);
      args.push_back("--installation");
      args.push_back(fmt::format("ttp-bench-{}", ::getpid()));
    }
    if (o.runtime == "oci") {
      for (std::string a : {"--runtime", "oci", "--oci-images-dir"}) args.push_back(a);
      args.push_back(o.oci_images_dir);
      args.push_back("--oci-state-dir");
      args.push_back((dir / "oci").string());
      args.push_back("--installation");
      args.push_back(fmt::format("ttp-bench-{}", ::getpid()));
    }
    pid_ = spawn(args, env, log_);
  }
  ~Webgames() { stop(); }
  bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (reap(pid_, 5000ms) == -1) std::cerr << "ttp-bench: webgames did not stop within 5 s; killed\n";
    pid_ = 0;
    stop_orphans();
  }
  void print_log_tail(int lines) const {
    std::ifstream in(log_);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    std::cerr << "--- tail of " << log_.string() << "\n";
    for (auto i = all.size() > static_cast<std::size_t>(lines) ? all.size() - lines : 0; i < all.size(); ++i)
      std::cerr << all[i] << "\n";
  }

 private:
  fs::path log_;
  pid_t pid_ = 0;
};

// ---- the floor: spawn the server directly until it accepts a connection ---------------

struct FloorSample {
  double total_ms = 0;    // posix_spawn to connected
  double started_ms = 0;  // posix_spawn to the server's main()
};

FloorSample floor_once(const std::string& server, const fs::path& log, std::uint16_t& next_port) {
  auto port = free_port(kFloorPortFirst, kFloorPortLast, next_port);
  std::error_code ec;
  fs::remove(log, ec);
  std::vector<std::string> env{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                               "WEBGAMES_PORT=" + std::to_string(port)};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

  auto t0 = Clock::now();
  pid_t pid = spawn({server}, env, log);
  std::optional<Clock::time_point> t1;
  while (!t1 && Clock::now() - t0 < kMatchTimeout) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    int err = errno;
    ::close(fd);
    if (rc == 0)
      t1 = Clock::now();
    else if (err == ECONNREFUSED)
      std::this_thread::sleep_for(kConnectRetry);
    else
      break;
  }
  int status = reap(pid, 5000ms);
  if (!t1) throw std::runtime_error(fmt::format("floor: no connection to the server on port {} within 10 s", port));
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("floor: the server did not exit 0 after the connection");
  FloorSample s{ms(*t1 - t0), NAN};
  if (auto stamps = read_stamps(log)) s.started_ms = static_cast<double>(stamps->start - ns_of(t0)) / 1e6;
  return s;
}

// ---- HTTP with keep-alive connections ------------------------------------------------

struct Reply {
  unsigned status = 0;
  std::string body;
  json::value json() const {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec) throw std::runtime_error("response is not JSON: " + body.substr(0, 200));
    return v;
  }
};

class HttpClient {
 public:
  HttpClient(asio::any_io_executor ex, tcp::endpoint server) : ex_(std::move(ex)), server_(server) {
    host_ = fmt::format("127.0.0.1:{}", server_.port());
  }

  // One request on an idle keep-alive connection (or a new one). A reused
  // connection the server closed meanwhile (idle timeout) is retried once.
  awaitable<Reply> request(http::verb verb, std::string target, std::string body = {}, std::string token = {}) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, host_);
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = std::move(body);
    }
    req.keep_alive(true);
    req.prepare_payload();
    for (int attempt = 0;; ++attempt) {
      std::unique_ptr<beast::tcp_stream> stream;
      bool reused = !idle_.empty();
      if (reused) {
        stream = std::move(idle_.back());
        idle_.pop_back();
      } else {
        stream = std::make_unique<beast::tcp_stream>(ex_);
        stream->expires_after(kHttpTimeout);
        co_await stream->async_connect(server_, use_awaitable);
        stream->socket().set_option(tcp::no_delay(true));
      }
      stream->expires_after(kHttpTimeout);
      auto [ec, n] = co_await http::async_write(*stream, req, kNoThrow);
      if (!ec) {
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        std::tie(ec, n) = co_await http::async_read(*stream, buffer, res, kNoThrow);
        if (!ec) {
          if (res.keep_alive()) {
            stream->expires_never();
            idle_.push_back(std::move(stream));
          }
          co_return Reply{res.result_int(), std::move(res.body())};
        }
      }
      bool closed_by_server = ec == http::error::end_of_stream || ec == asio::error::eof ||
                              ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
      if (!(reused && attempt == 0 && closed_by_server))
        throw std::runtime_error(fmt::format("{} {}: {}", std::string(http::to_string(verb)), target, ec.message()));
      // The other idle connections are as old (a slow Docker floor runs
      // between the guests' creation and the matches): the retry opens a new one.
      idle_.clear();
    }
  }

  // POST expecting `expected`; returns the JSON body.
  awaitable<json::value> post(std::string target, std::string body, std::string token, unsigned expected) {
    auto reply = co_await request(http::verb::post, target, std::move(body), std::move(token));
    if (reply.status != expected)
      throw std::runtime_error(fmt::format("POST {} answered {}: {}", target, reply.status, reply.body.substr(0, 300)));
    co_return reply.json();
  }

  const std::string& host() const { return host_; }
  tcp::endpoint server() const { return server_; }

 private:
  asio::any_io_executor ex_;
  tcp::endpoint server_;
  std::string host_;
  std::vector<std::unique_ptr<beast::tcp_stream>> idle_;
};

// ---- one match ------------------------------------------------------------------------

using EventsSocket = websocket::stream<beast::tcp_stream>;

struct Player {
  std::string id, token;
};

// What one match measured; times are steady_clock.
struct MatchRecord {
  bool ok = false;
  std::string error, session_id;
  Clock::time_point t0, ticket_b_answered, ready[2], t1;
  int connect_attempts = 0;
  Clock::duration late{};  // how long it waited for the previous match's tickets
};

// Shared by a match and the readers of its two event sockets.
struct MatchState {
  explicit MatchState(asio::any_io_executor ex) : wake(ex, Clock::time_point::max()), watchdog(ex) {}
  std::unique_ptr<EventsSocket> socket[2];
  bool ready[2] = {false, false};
  Clock::time_point ready_at[2];
  std::string host[2], session[2];
  std::string seen[2];  // the event types each player got, for the failure message
  std::uint16_t port[2] = {0, 0};
  std::string failure;
  const char* stage = "opening the events sockets";  // for the failure message
  asio::steady_timer wake;                           // cancelled whenever something above changes
  asio::steady_timer watchdog;

  void fail(std::string why) {
    if (failure.empty()) failure = std::move(why);
    close();
    wake.cancel();
  }
  void close() {
    for (auto& s : socket)
      if (s) beast::get_lowest_layer(*s).close();
  }
};

awaitable<std::unique_ptr<EventsSocket>> open_events(HttpClient& http, const std::string& token) {
  auto ws = std::make_unique<EventsSocket>(co_await asio::this_coro::executor);
  auto& tcp_layer = beast::get_lowest_layer(*ws);
  tcp_layer.expires_after(kHttpTimeout);
  co_await tcp_layer.async_connect(http.server(), use_awaitable);
  tcp_layer.socket().set_option(tcp::no_delay(true));
  tcp_layer.expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
  timeouts.handshake_timeout = kHttpTimeout;
  ws->set_option(timeouts);
  co_await ws->async_handshake(http.host(), "/v1/events?token=" + token, use_awaitable);
  co_return ws;
}

// Reads player k's events until session.ready (or session.failed).
awaitable<void> read_until_ready(std::shared_ptr<MatchState> st, int k) {
  beast::flat_buffer buffer;
  try {
    for (;;) {
      auto [ec, n] = co_await st->socket[k]->async_read(buffer, kNoThrow);
      if (ec) co_return st->fail(fmt::format("events socket of player {}: {}", "AB"[k], ec.message()));
      auto at = Clock::now();
      auto event = json::parse(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
      const auto& fields = event.as_object();
      auto type = fields.at("type").as_string();
      st->seen[k] += (st->seen[k].empty() ? "" : ",") + std::string(type);
      if (type == "session.failed") co_return st->fail("session failed: " + json::serialize(fields.at("data")));
      if (type != "session.ready") continue;
      const auto& data = fields.at("data").as_object();
      st->ready_at[k] = at;
      st->host[k] = json::value_to<std::string>(data.at("host"));
      st->port[k] = static_cast<std::uint16_t>(data.at("port").to_number<int>());
      st->session[k] = json::value_to<std::string>(data.at("session_id"));
      st->ready[k] = true;
      st->wake.cancel();
      co_return;
    }
  } catch (const std::exception& e) {
    st->fail(fmt::format("bad event for player {}: {}", "AB"[k], e.what()));
  }
}

// Connects to host:port until it is accepted (refused: retried every kConnectRetry).
awaitable<int> connect_until_accepted(MatchState& st, const std::string& host, std::uint16_t port,
                                      Clock::time_point deadline) {
  auto ex = co_await asio::this_coro::executor;
  tcp::endpoint target(asio::ip::make_address(host), port);
  asio::steady_timer pause(ex);
  for (int attempts = 1;; ++attempts) {
    tcp::socket s(ex);
    auto [ec] = co_await s.async_connect(target, kNoThrow);
    if (!ec) co_return attempts;
    if (ec != asio::error::connection_refused) throw std::runtime_error("connect to the game server: " + ec.message());
    if (!st.failure.empty() || Clock::now() > deadline) throw std::runtime_error("the game server refused connections");
    pause.expires_after(kConnectRetry);
    co_await pause.async_wait(kNoThrow);
  }
}

// The matchmaker pairs tickets in the order it receives them, so A and B of
// match i meet only if the server sees A(i), B(i), A(i+1), B(i+1)…: match i
// sends its tickets only after match i-1's were answered. Normally that is
// long before match i's start (the ticket requests take a few ms, matches
// start 1/rate apart); a match that had to wait starts late, and is counted.
class TicketTurns {
 public:
  explicit TicketTurns(asio::any_io_executor ex) : wake_(ex, Clock::time_point::max()) {}
  awaitable<void> wait(int i) {
    while (next_ != i) co_await wake_.async_wait(kNoThrow);
  }
  void done(int i) {
    next_ = i + 1;
    wake_.cancel();
  }

 private:
  int next_ = 0;
  asio::steady_timer wake_;
};

awaitable<void> run_match(HttpClient& http, TicketTurns& turns, int i, const Player& a, const Player& b,
                          Clock::time_point start_at, MatchRecord& rec) {
  const std::string tickets_url = "/v1/queues/ttp/duel/tickets";
  auto ex = co_await asio::this_coro::executor;
  auto st = std::make_shared<MatchState>(ex);
  st->watchdog.expires_at(start_at + kMatchTimeout);
  st->watchdog.async_wait([st](boost::system::error_code ec) {
    if (!ec) st->fail("timed out after 10 s");
  });
  bool took_turn = false, gave_turn = false;
  try {
    st->socket[0] = co_await open_events(http, a.token);
    st->socket[1] = co_await open_events(http, b.token);
    for (int k : {0, 1}) asio::co_spawn(ex, read_until_ready(st, k), asio::detached);

    st->stage = "waiting for the start";
    asio::steady_timer at_start(ex, start_at);
    co_await at_start.async_wait(kNoThrow);
    st->stage = "waiting for the previous match's tickets";
    auto before_turn = Clock::now();
    co_await turns.wait(i);
    took_turn = true;
    rec.late = Clock::now() - before_turn;
    if (!st->failure.empty()) throw std::runtime_error(st->failure);
    st->stage = "creating A's ticket";
    co_await http.post(tickets_url, "{}", a.token, 201);
    st->stage = "creating B's ticket";
    rec.t0 = Clock::now();
    co_await http.post(tickets_url, "{}", b.token, 201);
    rec.ticket_b_answered = Clock::now();
    turns.done(i);
    gave_turn = true;

    st->stage = "waiting for session.ready";
    while (!(st->ready[0] && st->ready[1]) && st->failure.empty()) co_await st->wake.async_wait(kNoThrow);
    if (!st->failure.empty()) throw std::runtime_error(st->failure);
    if (st->session[0] != st->session[1] || st->host[0] != st->host[1] || st->port[0] != st->port[1])
      throw std::runtime_error("A and B were not matched together");
    rec.session_id = st->session[0];
    rec.ready[0] = st->ready_at[0];
    rec.ready[1] = st->ready_at[1];
    st->stage = "connecting to the game server";
    rec.connect_attempts = co_await connect_until_accepted(*st, st->host[0], st->port[0], start_at + kMatchTimeout);
    rec.t1 = Clock::now();
    rec.ok = true;
  } catch (const std::exception& e) {
    rec.error = fmt::format("{} (while {}; A got [{}] {}, B got [{}] {})", st->failure.empty() ? e.what() : st->failure,
                            st->stage, st->seen[0], st->session[0], st->seen[1], st->session[1]);
  }
  st->watchdog.cancel();
  st->close();
  if (!gave_turn) {  // failed before: the later matches still go in order
    if (!took_turn) co_await turns.wait(i);
    turns.done(i);
  }
}

// ---- the Docker floor: create + start the image through the Engine API ----------------

// One Engine API call to completion on a private io_context.
template <class T>
webgames::Result<T> docker_sync(asio::awaitable<webgames::Result<T>> call) {
  asio::io_context io;
  std::optional<webgames::Result<T>> out;
  asio::co_spawn(io, std::move(call), [&](std::exception_ptr e, webgames::Result<T> r) {
    out.emplace(e ? webgames::Result<T>(webgames::make_error(webgames::Errc::internal, "exception")) : std::move(r));
  });
  io.run();
  return std::move(*out);
}

// The container config the Docker runtime would use for a server on `port`.
json::object floor_config(const Options& o, std::uint16_t port) {
  webgames::LaunchRequest r;
  r.session_id = "floor";
  r.game = "ttp";
  r.spec.image = o.image;
  r.spec.memory_mb = 64;
  r.spec.ports = {webgames::PortSpec{"game", webgames::Protocol::tcp}};
  r.env = {{"WEBGAMES_PORT", std::to_string(port)}};
  r.ports = {{"game", port}};
  webgames::docker::DockerOptions d;
  d.installation = fmt::format("ttp-bench-floor-{}", ::getpid());
  return webgames::docker::container_config(r, d, "");
}

// One connect to 127.0.0.1:port; true when it was accepted and then closed
// without a byte (what ttp-ready-server does with its first connection).
awaitable<bool> connect_once(std::uint16_t port) {
  tcp::socket socket(co_await asio::this_coro::executor);
  auto [ec] = co_await socket.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), kNoThrow);
  if (ec) co_return false;
  char byte;
  auto [rec, n] = co_await socket.async_read_some(asio::buffer(&byte, 1), kNoThrow);
  co_return rec == asio::error::eof;
}

struct DockerFloorRun {
  double total_ms = 0;  // create to connected
  std::string container;
};

awaitable<DockerFloorRun> docker_floor_start(const webgames::docker::DockerClient& docker, const Options& o,
                                             std::uint16_t port, std::string name) {
  auto config = floor_config(o, port);
  auto t0 = Clock::now();
  auto id = co_await docker.create_container(name, config);
  if (!id) throw std::runtime_error("floor: create: " + id.error().message);
  auto started = co_await docker.start_container(*id);
  if (!started) {
    co_await docker.remove_container(*id);
    throw std::runtime_error("floor: start: " + started.error().message);
  }
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (Clock::now() < t0 + kMatchTimeout) {
    if (!co_await connect_once(port)) {
      pause.expires_after(kConnectRetry * 10);
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    auto t1 = Clock::now();
    // docker-proxy accepts even before the server listens, and then closes
    // too: the connection was the server's only if the server then exits.
    for (int i = 0; i < 50; ++i) {
      auto state = co_await docker.container_state(*id);
      if (state && !state->running) co_return DockerFloorRun{ms(t1 - t0), *id};
      pause.expires_after(10ms);
      co_await pause.async_wait(kNoThrow);
    }
  }
  co_await docker.remove_container(*id);
  throw std::runtime_error(
      fmt::format("floor: container on port {} did not answer within {} s", port, kMatchTimeout.count()));
}

FloorSample docker_floor_once(const Options& o, std::uint16_t& next_port, int n) {
  webgames::docker::DockerClient docker(webgames::docker::ClientOptions{o.docker_socket});
  auto port = free_port(kFloorPortFirst, kFloorPortLast, next_port);
  asio::io_context io;
  std::optional<DockerFloorRun> run;
  std::string error;
  asio::co_spawn(io, docker_floor_start(docker, o, port, fmt::format("ttp-floor-{}-{}", ::getpid(), n)),
                 [&](std::exception_ptr e, DockerFloorRun r) {
                   if (!e) return run.emplace(std::move(r)), void();
                   try {
                     std::rethrow_exception(e);
                   } catch (const std::exception& x) {
                     error = x.what();
                   }
                 });
  io.run();
  if (!run) throw std::runtime_error(error);
  docker_sync(docker.remove_container(run->container));  // not counted
  return FloorSample{run->total_ms, NAN};
}

// ---- the OCI floor: runc's own create + start of the same bundle -------------------

// The image unpacked once for the floor's containers (as the runtime does), in `dir`/floor-rootfs.
fs::path oci_floor_rootfs(const Options& o, const fs::path& dir) {
  auto rootfs = dir / "floor-rootfs";
  if (fs::is_directory(rootfs / "proc")) return rootfs;
  auto image = webgames::oci::read_oci_image(o.oci_images_dir, o.image);
  if (!image) throw std::runtime_error("floor: " + image.error().message);
  fs::create_directories(rootfs);
  for (const auto& layer : image->layers) {
    auto tar = webgames::oci::run_program_blocking(
        {"tar", layer.gzip ? "-xzf" : "-xf", layer.blob.string(), "-C", rootfs.string(), "--numeric-owner"});
    if (!tar || !tar->ok()) throw std::runtime_error("floor: cannot unpack " + layer.digest);
  }
  for (auto d : {"proc", "dev", "sys", "tmp"}) fs::create_directories(rootfs / d);
  return rootfs;
}

// runc run --detach of the bundle the OCI runtime would write for a server
// on a free port, until that port accepts; the container is deleted after
// (not counted).
FloorSample oci_floor_once(const Options& o, const fs::path& dir, std::uint16_t& next_port, int n) {
  static const fs::path rootfs = oci_floor_rootfs(o, dir);
  auto image = webgames::oci::read_oci_image(o.oci_images_dir, o.image);
  if (!image) throw std::runtime_error("floor: " + image.error().message);
  auto port = free_port(kFloorPortFirst, kFloorPortLast, next_port);
  webgames::LaunchRequest r;
  r.session_id = fmt::format("floor-{}", n);
  r.spec.image = o.image;
  r.spec.memory_mb = 64;
  r.spec.ports = {webgames::PortSpec{"game", webgames::Protocol::tcp}};
  r.env = {{"WEBGAMES_PORT", std::to_string(port)}};
  auto id = fmt::format("ttp-floor-{}-{}", ::getpid(), n);
  auto config = webgames::oci::bundle_config(r, image->config,
                                             webgames::oci::BundleParts{rootfs, fmt::format("/webgames/{}", id)});
  if (!config) throw std::runtime_error("floor: " + config.error().message);
  auto bundle = dir / "floor-bundles" / id;
  fs::create_directories(bundle);
  std::ofstream(bundle / "config.json") << json::serialize(*config);
  const std::string root = (dir / "floor-runc").string();
  auto t0 = Clock::now();
  auto started =
      webgames::oci::run_program_blocking({"runc", "--root", root, "run", "--detach", "--bundle", bundle.string(), id});
  if (!started || !started->ok())
    throw std::runtime_error("floor: runc run: " + (started ? started->why() : started.error().message));
  asio::io_context io;
  bool accepted = false;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        asio::steady_timer pause(co_await asio::this_coro::executor);
        while (!accepted && Clock::now() < t0 + kMatchTimeout) {
          accepted = co_await connect_once(port);
          if (accepted) break;
          pause.expires_after(kConnectRetry);
          co_await pause.async_wait(kNoThrow);
        }
      },
      asio::detached);
  io.run();
  auto t1 = Clock::now();
  webgames::oci::run_program_blocking({"runc", "--root", root, "delete", "--force", id});
  fs::remove_all(bundle);
  if (!accepted) throw std::runtime_error(fmt::format("floor: the container on port {} did not answer", port));
  return FloorSample{ms(t1 - t0), NAN};
}

// The engine's own rate: `total` create + start + port answering, `in_flight` at a time.
double engine_starts_per_s(const Options& o, std::uint16_t& next_port, int total, int in_flight) {
  webgames::docker::DockerClient docker(webgames::docker::ClientOptions{o.docker_socket});
  asio::io_context io;
  std::vector<std::string> containers;
  int next = 0, running = 0;
  std::string error;
  std::function<void()> launch_one = [&] {
    if (next >= total || !error.empty()) return;
    int n = next++;
    ++running;
    auto port = free_port(kFloorPortFirst, kFloorPortLast, next_port);
    asio::co_spawn(io, docker_floor_start(docker, o, port, fmt::format("ttp-engine-{}-{}", ::getpid(), n)),
                   [&](std::exception_ptr e, DockerFloorRun r) {
                     --running;
                     if (e) {
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& x) {
                         error = x.what();
                       }
                     } else {
                       containers.push_back(r.container);
                     }
                     launch_one();
                   });
  };
  auto t0 = Clock::now();
  for (int i = 0; i < in_flight; ++i) launch_one();
  io.run();
  auto seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (const auto& c : containers) docker_sync(docker.remove_container(c));
  if (!error.empty()) throw std::runtime_error("engine saturation: " + error);
  return static_cast<double>(total) / seconds;
}

// ---- the whole run -----------------------------------------------------------------------

struct Summary {
  std::vector<double> ttp, floor;
  std::vector<MatchRecord> records;  // measured matches only
  std::vector<FloorSample> floor_samples;
  int floor_counter = 0;
  double engine_starts_per_s = NAN;
  fs::path sessions_dir;
  int failures = 0;
  std::vector<std::string> errors;
};

void run_floor(const Options& o, int runs, const fs::path& dir, std::uint16_t& next_port, Summary& out, bool count) {
  for (int i = 0; i < runs; ++i) {
    auto s = o.runtime == "docker" ? docker_floor_once(o, next_port, out.floor_counter++)
             : o.runtime == "oci"  ? oci_floor_once(o, dir, next_port, out.floor_counter++)
                                   : floor_once(o.server_binary, dir / "floor-server.log", next_port);
    if (!count) continue;
    out.floor.push_back(s.total_ms);
    out.floor_samples.push_back(s);
  }
}

awaitable<void> wait_healthy(HttpClient& http, Webgames& webgames) {
  asio::steady_timer pause(co_await asio::this_coro::executor);
  for (auto deadline = Clock::now() + 10s; Clock::now() < deadline;) {
    try {
      auto r = co_await http.request(http::verb::get, "/healthz");
      if (r.status == 200) co_return;
    } catch (const std::exception&) {
      // not listening yet
    }
    if (!webgames.running()) throw std::runtime_error("webgames exited during startup");
    pause.expires_after(50ms);
    co_await pause.async_wait(kNoThrow);
  }
  throw std::runtime_error("webgames did not answer /healthz within 10 s");
}

// Until the game's warm pool has `size` servers ready (Idle).
awaitable<void> wait_pool_ready(HttpClient& http, const std::string& token, int size) {
  asio::steady_timer pause(co_await asio::this_coro::executor);
  int idle = 0;
  for (auto deadline = Clock::now() + 120s; Clock::now() < deadline;) {
    auto r = co_await http.request(http::verb::get, "/v1/games/ttp/sessions?limit=100", {}, token);
    idle = 0;
    if (r.status == 200) {
      auto body = json::parse(r.body);
      const auto& sessions = body.at("items").as_array();
      for (const auto& s : sessions)
        if (s.at("state") == "idle") ++idle;
    }
    if (idle >= size) {
      std::cerr << fmt::format("ttp-bench: the warm pool has {} servers ready\n", idle);
      co_return;
    }
    pause.expires_after(100ms);
    co_await pause.async_wait(kNoThrow);
  }
  throw std::runtime_error(fmt::format("the warm pool has {} of {} servers ready after 120 s", idle, size));
}

// One of the workers that create the guest players, taking the next index each.
awaitable<void> create_guests(HttpClient& http, std::vector<Player>& players, std::size_t& next, std::string run_id) {
  while (next < players.size()) {
    auto i = next++;
    auto body = json::serialize(json::object{{"device_id", fmt::format("ttp-{}-{}", run_id, i)}});
    auto r = co_await http.post("/v1/auth/guest", body, "", 200);
    players[i].token = json::value_to<std::string>(r.as_object().at("access_token"));
    players[i].id = json::value_to<std::string>(r.as_object().at("account").as_object().at("id"));
  }
}

awaitable<void> bench(const Options& o, HttpClient& http, Webgames& webgames, const fs::path& dir, Summary& out) {
  auto ex = co_await asio::this_coro::executor;
  co_await wait_healthy(http, webgames);

  auto dev = co_await http.post("/v1/auth/register",
                                R"({"username":"ttp-dev","password":"ttp-bench-pass","role":"developer"})", "", 201);
  auto dev_token = json::value_to<std::string>(dev.as_object().at("access_token"));
  json::object game{
      {"name", "ttp"},
      {"server", o.runtime != "process" ? json::object{{"image", o.image},
                                                       {"memory_mb", 64},
                                                       {"ports", json::array{json::object{{"name", "game"}}}},
                                                       {"max_duration_s", 60}}
                                        : json::object{{"command", o.server_binary},
                                                       {"ports", json::array{json::object{{"name", "game"}}}},
                                                       {"max_duration_s", 60}}},
      {"queues", json::array{json::object{{"name", "duel"}, {"teams", 2}, {"team_size", 1}}}}};
  if (o.pool > 0)
    game["pool"] = json::object{{"policy", "buffer"}, {"buffer", o.pool}, {"max_ready", std::max(o.pool, 16)}};
  co_await http.post("/v1/games", json::serialize(game), dev_token, 201);
  if (o.pool > 0) co_await wait_pool_ready(http, dev_token, o.pool);

  int total_matches = o.warmup + o.matches;
  std::vector<Player> players(2 * static_cast<std::size_t>(total_matches));
  {
    std::size_t next = 0;
    int running = 8;
    asio::steady_timer done(ex, Clock::time_point::max());
    std::string error;
    auto run_id = std::to_string(::getpid());
    for (int w = 0; w < 8; ++w)
      asio::co_spawn(ex, create_guests(http, players, next, run_id), [&](std::exception_ptr e) {
        if (e && error.empty()) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& x) {
            error = x.what();
          }
        }
        if (--running == 0) done.cancel();
      });
    while (running > 0) co_await done.async_wait(kNoThrow);
    if (!error.empty()) throw std::runtime_error("creating guests: " + error);
  }
  std::cerr << fmt::format("ttp-bench: webgames up; {} guests created\n", players.size());

  // Floor, first half (blocking: nothing else runs on the loop meanwhile).
  std::uint16_t next_port = kFloorPortFirst;
  int floor_first = o.floor_runs / 2;
  run_floor(o, o.warmup, dir, next_port, out, false);
  run_floor(o, floor_first, dir, next_port, out, true);
  std::cerr << fmt::format("ttp-bench: floor, first half: {} runs\n", floor_first);

  // The matches, at a steady rate: match i starts at begin + i / rate; its
  // sockets open kPreOpen before. The warm-up matches come first, uncounted.
  std::vector<MatchRecord> records(static_cast<std::size_t>(total_matches));
  TicketTurns turns(ex);
  auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / o.rate));
  auto begin = Clock::now() + kPreOpen + 50ms;
  int outstanding = total_matches;
  asio::steady_timer all_done(ex, Clock::time_point::max()), schedule(ex);
  for (int i = 0; i < total_matches; ++i) {
    auto start_at = begin + i * period;
    schedule.expires_at(start_at - kPreOpen);
    co_await schedule.async_wait(use_awaitable);
    const auto& a = players[2 * static_cast<std::size_t>(i)];
    const auto& b = players[2 * static_cast<std::size_t>(i) + 1];
    asio::co_spawn(ex, run_match(http, turns, i, a, b, start_at, records[static_cast<std::size_t>(i)]),
                   [&](std::exception_ptr) {
                     if (--outstanding == 0) all_done.cancel();
                   });
  }
  while (outstanding > 0) co_await all_done.async_wait(kNoThrow);
  std::cerr << fmt::format("ttp-bench: {} matches done ({} warm-up)\n", total_matches, o.warmup);

  // Floor, second half.
  run_floor(o, o.floor_runs - floor_first, dir, next_port, out, true);
  if (o.runtime == "docker") {
    out.engine_starts_per_s = engine_starts_per_s(o, next_port, std::clamp(o.floor_runs, 16, 64), 8);
    std::cerr << fmt::format("ttp-bench: the engine's own create + start + answer: {:.1f}/s with 8 in flight\n",
                             out.engine_starts_per_s);
  }

  out.sessions_dir = dir / "data" / "sessions";
  // Warm-up matches are not measured, but a failed one fails the run too.
  for (int i = 0; i < total_matches; ++i) {
    auto& r = records[static_cast<std::size_t>(i)];
    bool warmup = i < o.warmup;
    if (r.ok && !warmup) out.ttp.push_back(ms(r.t1 - r.t0));
    if (!r.ok) {
      ++out.failures;
      if (out.errors.size() < 5)
        out.errors.push_back(warmup ? fmt::format("warm-up match {}: {}", i, r.error)
                                    : fmt::format("match {}: {}", i - o.warmup, r.error));
    }
    if (!warmup) out.records.push_back(std::move(r));
  }
}

// ---- report ---------------------------------------------------------------------------

void print_row(const std::string& name, const std::vector<double>& v) {
  std::vector<double> known;
  for (double x : v)
    if (!std::isnan(x)) known.push_back(x);
  if (known.empty()) return;
  std::cerr << fmt::format("  {:<44} p50 {:8.3f}   p90 {:8.3f}   p99 {:8.3f}   max {:8.3f}\n", name,
                           percentile(known, 50), percentile(known, 90), percentile(known, 99),
                           *std::max_element(known.begin(), known.end()));
}

void report(const Options& o, const Summary& s) {
  // Where time-to-play goes, each step from t0 (ms).
  std::vector<double> late;
  std::vector<double> answered, started, listening, server_ready, first_ready, both_ready, connected, attempts;
  for (const auto& r : s.records) {
    if (r.late > 100us) late.push_back(ms(r.late));
    if (!r.ok) continue;
    auto t0 = ns_of(r.t0);
    answered.push_back(ms(r.ticket_b_answered - r.t0));
    auto stamps = read_stamps(s.sessions_dir / r.session_id / "server.log");
    started.push_back(stamps ? static_cast<double>(stamps->start - t0) / 1e6 : NAN);
    listening.push_back(stamps ? static_cast<double>(stamps->listen - t0) / 1e6 : NAN);
    server_ready.push_back(stamps ? static_cast<double>(stamps->ready - t0) / 1e6 : NAN);
    first_ready.push_back(ms(std::min(r.ready[0], r.ready[1]) - r.t0));
    both_ready.push_back(ms(std::max(r.ready[0], r.ready[1]) - r.t0));
    connected.push_back(ms(r.t1 - r.t0));
    attempts.push_back(r.connect_attempts);
  }
  std::vector<double> floor_started;
  for (const auto& f : s.floor_samples) floor_started.push_back(f.started_ms);

  std::cerr << fmt::format(
      "\ntime-to-play, {} runtime: {} matches (after {} warm-up) at {} matches/s, {} failed; "
      "ms from t0:\n",
      o.runtime, o.matches, o.warmup, o.rate, s.failures);
  print_row("B's ticket answered (201)", answered);
  print_row("server main() entered", started);
  print_row("server listening", listening);
  print_row("server got 204 for ready", server_ready);
  print_row("first player told session.ready", first_ready);
  print_row("both players told session.ready", both_ready);
  print_row("connected = time-to-play", connected);
  print_row("(connect attempts)", attempts);
  std::cerr << fmt::format("floor: {} direct spawns of the same binary, ms from posix_spawn:\n", s.floor.size());
  print_row("server main() entered", floor_started);
  print_row("connected = floor", s.floor);
  if (!late.empty())
    std::cerr << fmt::format("{} matches started late, waiting for the previous match's tickets (max {:.3f} ms)\n",
                             late.size(), *std::max_element(late.begin(), late.end()));
  for (const auto& e : s.errors) std::cerr << "  failure: " << e << "\n";
}

}  // namespace

// The cold starts `webgames simulate --runtime` draws from (src/simulate/start_latencies.h).
void write_samples(const Options& o, const std::vector<double>& ttp) {
  std::ofstream out(o.samples, std::ios::trunc);
  out << fmt::format(
      "# bench/ttp --runtime {}: time-to-play in ms from the match-completing ticket to the\n"
      "# players connected to a cold-started server, {} matches at {:g}/s\n",
      o.runtime, ttp.size(), o.rate);
  for (double ms : ttp) out << fmt::format("{:.3f}\n", ms);
  if (!out.flush()) throw std::runtime_error("cannot write " + o.samples);
}

int main(int argc, char** argv) {
  auto options = parse_options(argc, argv);
  if (options.runtime == "docker") kMatchTimeout = 60s;
  std::signal(SIGPIPE, SIG_IGN);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);  // webgames' orphaned game servers become our children
  try {
    TempDir dir;
    dir.keep = options.keep;
    std::uint16_t api_port = 0;
    {  // a free loopback port from the kernel for the API (tiny race until webgames binds it)
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof a;
      if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
          ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("cannot find a free port");
      api_port = ntohs(a.sin_port);
      ::close(fd);
    }
    Webgames webgames(options, dir.path, api_port);

    asio::io_context io(1);
    HttpClient http(io.get_executor(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), api_port));
    Summary summary;
    std::string error;
    bool finished = false;
    asio::co_spawn(io, bench(options, http, webgames, dir.path, summary), [&](std::exception_ptr e) {
      finished = true;
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          error = x.what();
        }
      }
      io.stop();
    });
    // The whole run is bounded: setup, the matches at their rate, the floor, and slack.
    auto bound =
        60s + std::chrono::seconds(static_cast<long>((options.warmup + options.matches) / options.rate)) +
        std::chrono::seconds(options.runtime == "docker" ? 120 + options.floor_runs * 3 : options.floor_runs / 20);
    asio::steady_timer whole_run(io, bound);
    whole_run.async_wait([&](boost::system::error_code ec) {
      if (!ec) io.stop();
    });
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
      if (!ec) error = fmt::format("interrupted by signal {}", signal), io.stop();
    });
    io.run();
    if (!finished && error.empty())
      error = fmt::format("the run did not finish within {} s",
                          std::chrono::duration_cast<std::chrono::seconds>(bound).count());
    if (error.empty() && summary.failures > 0)
      error = fmt::format("{} of {} matches failed", summary.failures, options.warmup + options.matches);
    if (error.empty() || !summary.ttp.empty()) report(options, summary);
    if (!error.empty()) {
      webgames.print_log_tail(20);
      throw std::runtime_error(error);
    }
    webgames.stop();
    if (!options.samples.empty()) write_samples(options, summary.ttp);

    // Ours: measured matches over the span from their first t0 to their last t1.
    double starts_per_s = NAN;
    if (!summary.records.empty()) {
      auto first = summary.records.front().t0, last = summary.records.front().t1;
      for (const auto& r : summary.records) first = std::min(first, r.t0), last = std::max(last, r.t1);
      starts_per_s = static_cast<double>(summary.records.size()) / std::chrono::duration<double>(last - first).count();
    }
    auto engine = std::isnan(summary.engine_starts_per_s)
                      ? std::string()
                      : fmt::format(R"(,"engine_starts_per_s":{:.2f})", summary.engine_starts_per_s);
    if (options.pool > 0) engine += fmt::format(R"(,"pool":{})", options.pool);
    std::cout << fmt::format(R"({{"runtime":"{}","matches":{},"rate":{},"ttp_p50_ms":{:.3f},"ttp_p99_ms":{:.3f},)"
                             R"("floor_p50_ms":{:.3f},"floor_p99_ms":{:.3f},"starts_per_s":{:.2f}{}}})",
                             options.runtime, options.matches, options.rate, percentile(summary.ttp, 50),
                             percentile(summary.ttp, 99), percentile(summary.floor, 50), percentile(summary.floor, 99),
                             starts_per_s, engine)
              << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "ttp-bench: " << e.what() << "\n";
    return 1;
  }
}
