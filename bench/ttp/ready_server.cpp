// ttp-ready-server: the trivial game server of the time-to-play benchmark.
// Listens on 0.0.0.0:$WEBGAMES_PORT, says ready at once through the server SDK
// (when $WEBGAMES_SDK_URL is set), and on the first connection it accepts
// closes it, reports the end and exits 0. Exits 0 on SIGTERM, 1 after 30 s
// without a connection. Plain POSIX and libc, so that it links -static.
//
// As a warm pool's server (WEBGAMES_POOLED=1) it says ready, then long-polls
// its allocation (docs/server-sdk.md#allocation) until a match takes it; the
// 30 s count from then. It exits 1 when webgames no longer answers.
//
// It prints one line of CLOCK_MONOTONIC stamps (ns, the clock of
// std::chrono::steady_clock) to stderr, which the benchmark reads back from
// the session's server.log to split time-to-play into its parts.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

long long now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

[[noreturn]] void die(const char* what, bool system_error = true) {
  std::fprintf(stderr, "ttp-ready-server: %s%s%s\n", what, system_error ? ": " : "",
               system_error ? std::strerror(errno) : "");
  std::exit(1);
}

// {method} {SDK_URL}/v1/sdk/sessions/{id}/{what} with `body`; the answer's
// status (0 without one). SDK_URL must be http://<IPv4 literal>:<port> (what
// Webgames passes on loopback).
int sdk_call(const char* method, const char* what, const char* body) {
  const char* url = std::getenv("WEBGAMES_SDK_URL");
  const char* sid = std::getenv("WEBGAMES_SESSION_ID");
  const char* secret = std::getenv("WEBGAMES_SDK_SECRET");
  if (!url || !sid || !secret || std::strncmp(url, "http://", 7) != 0) return 0;
  std::string hostport = url + 7;
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(hostport.c_str() + colon + 1)));
  if (inet_pton(AF_INET, hostport.substr(0, colon).c_str(), &addr.sin_addr) != 1) return 0;

  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) close(fd);
    return 0;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  char request[1024];
  int n = std::snprintf(request, sizeof request,
                        "%s /v1/sdk/sessions/%s/%s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
                        "Content-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                        method, sid, what, hostport.c_str(), secret, std::strlen(body), body);
  bool ok = n > 0 && n < static_cast<int>(sizeof request) && write(fd, request, static_cast<size_t>(n)) == n;
  char response[512] = {};
  size_t got = 0;  // the status line is all we need
  while (ok && got < 12) {
    ssize_t r = read(fd, response + got, sizeof response - 1 - got);
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  close(fd);
  if (!ok || got < 12 || std::strncmp(response, "HTTP/1.1 ", 9) != 0) return 0;
  return std::atoi(response + 9);
}

bool sdk_post(const char* what, const char* body) { return sdk_call("POST", what, body) == 204; }

// A pool server's wait for its match: true once allocated.
bool wait_for_allocation() {
  for (;;) {
    int status = sdk_call("GET", "allocation?wait=30s", "");
    if (status == 200) return true;
    if (status != 204) return false;  // over, or webgames gone
  }
}

}  // namespace

int main() {
  long long t_start = now_ns();
  signal(SIGTERM, [](int) { _exit(0); });
  signal(SIGPIPE, SIG_IGN);
  const char* port = std::getenv("WEBGAMES_PORT");
  if (!port || std::atoi(port) <= 0 || std::atoi(port) > 65535) die("WEBGAMES_PORT must be a port number", false);

  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) die("socket");
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(port)));
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) die("bind");
  if (listen(listener, 16) != 0) die("listen");
  long long t_listen = now_ns(), t_ready = 0;

  bool hosted = std::getenv("WEBGAMES_SDK_URL") != nullptr;
  if (hosted) {
    if (!sdk_post("ready", "{}")) die("POST ready did not get 204", false);
    t_ready = now_ns();
    const char* pooled = std::getenv("WEBGAMES_POOLED");
    if (pooled && std::strcmp(pooled, "1") == 0 && !wait_for_allocation()) die("no allocation", false);
  }

  long long deadline = now_ns() + 30'000'000'000LL;
  for (;;) {
    long long left_ms = (deadline - now_ns()) / 1'000'000;
    if (left_ms <= 0) {
      std::fprintf(stderr, "ttp-ready-server: no connection within 30 s\n");
      return 1;
    }
    pollfd p{listener, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left_ms));
    if (r < 0 && errno != EINTR) die("poll");
    if (r <= 0) continue;
    int conn = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) continue;
    long long t_accept = now_ns();
    close(conn);
    close(listener);
    std::fprintf(stderr, "ttp-ready-server: start=%lld listen=%lld ready=%lld accept=%lld\n", t_start, t_listen,
                 t_ready, t_accept);
    if (hosted && !sdk_post("end", "{\"results\":[]}")) die("POST end did not get 204", false);
    return 0;
  }
}
