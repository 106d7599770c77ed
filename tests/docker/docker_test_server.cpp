// docker-test-server: the game server of the Docker tests, in the image
// webgames/test-server (FROM scratch, so no shell: what the bash servers of
// tests/hosting/servers/ do, it does in one static binary). TEST_MODE says
// how it behaves:
//   good          listens, says ready, heartbeats; a pool server
//                 (WEBGAMES_POOLED=1) then waits for its match through the
//                 SDK's allocation long poll and prints "docker-test-server:
//                 allocated <n> players queue <queue>"; a connection that
//                 sends "end" makes it report the end and exit 0
//   crash         says ready, then exits 3 after CRASH_AFTER_MS (300)
//   never_ready   listens and never says ready (a hang)
//   exit_at_once  exits 2 before anything
//   oom           says ready, then allocates memory until the kernel kills it
//   idle          needs no WEBGAMES_* variables: sleeps until SIGTERM (the client tests)
// It always prints "docker-test-server: session <id> mode <mode>" to stdout
// and its uid to stderr, for the log tests. Exits 0 on SIGTERM.

#include <webgames/sdk.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace {

std::atomic<bool> stop_requested{false};

void on_term(int) { stop_requested = true; }

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

int listen_on(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    std::fprintf(stderr, "docker-test-server: cannot listen on %u: %s\n", port, std::strerror(errno));
    std::exit(1);
  }
  return fd;
}

// Serves connections until one says "end" or SIGTERM comes; true on "end".
bool serve(int listener) {
  while (!stop_requested) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int c = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    char buf[64] = {};
    pollfd pc{c, POLLIN, 0};
    bool end = false;
    if (::poll(&pc, 1, 2000) > 0) {
      auto n = ::read(c, buf, sizeof buf - 1);
      end = n >= 3 && std::strncmp(buf, "end", 3) == 0;
    }
    (void)!::write(c, "bye\n", 4);
    ::close(c);
    if (end) return true;
  }
  return false;
}

// A pool server waits for its match; SIGTERM (the pool stopped it) ends the
// wait: the long poll runs on a thread that a stop request cancels.
bool wait_for_match(webgames::sdk::Session& session) {
  std::atomic<bool> done{false};
  webgames::sdk::Expected<webgames::sdk::Allocation> allocated = webgames::sdk::Error("cancelled", "not asked");
  std::jthread waiter([&](std::stop_token stop) {
    allocated = session.wait_for_allocation(stop);
    done = true;
  });
  while (!done && !stop_requested) ::usleep(10'000);
  waiter.request_stop();
  waiter.join();
  if (!allocated) {
    std::fprintf(stderr, "docker-test-server: no allocation: %s\n", allocated.error().message.c_str());
    return false;
  }
  std::printf("docker-test-server: allocated %zu players queue %s\n", allocated->players.size(),
              allocated->queue.c_str());
  std::fflush(stdout);
  return true;
}

}  // namespace

int main() {
  std::signal(SIGTERM, on_term);
  std::signal(SIGINT, on_term);
  auto mode = env_or("TEST_MODE", "good");
  if (mode == "exit_at_once") {
    std::fprintf(stderr, "docker-test-server: exiting at once\n");
    return 2;
  }
  if (mode == "idle") {
    while (!stop_requested) ::usleep(20'000);
    return 0;
  }
  try {
    auto session = webgames::sdk::Session::from_environment();
    std::printf("docker-test-server: session %s mode %s\n", session.id().c_str(), mode.c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "docker-test-server: uid %u\n", static_cast<unsigned>(::getuid()));
    int listener = listen_on(session.port());
    if (mode == "never_ready") {
      while (!stop_requested) ::usleep(50'000);
      return 0;
    }
    if (auto r = session.ready(); !r) {
      std::fprintf(stderr, "docker-test-server: ready failed: %s\n", r.error().message.c_str());
      return 1;
    }
    if (mode == "crash") {
      ::usleep(static_cast<useconds_t>(std::atoi(env_or("CRASH_AFTER_MS", "300").c_str())) * 1000);
      std::fprintf(stderr, "docker-test-server: crashing\n");
      return 3;
    }
    if (mode == "oom") {
      std::vector<char*> blocks;
      for (int i = 0; i < 4096 && !stop_requested; ++i) {  // 4 GiB at most: the limit comes first
        auto* b = static_cast<char*>(std::malloc(1 << 20));
        if (b == nullptr) break;
        std::memset(b, 1, 1 << 20);
        blocks.push_back(b);
      }
      std::fprintf(stderr, "docker-test-server: still alive after allocating\n");
      return 4;
    }
    // No match will come (stopped, or its session ended): nothing to report.
    if (session.pooled() && !wait_for_match(session)) return 0;
    if (serve(listener)) {
      if (auto r = session.end({}); !r) {
        std::fprintf(stderr, "docker-test-server: end failed: %s\n", r.error().message.c_str());
        return 1;
      }
      std::printf("docker-test-server: ended\n");
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "docker-test-server: %s\n", e.what());
    return 1;
  }
}
