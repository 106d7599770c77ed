// The Docker Engine API's answers as the Docker and Swarm runtimes read
// them: a real DockerClient (docker/docker_client.h) makes the call, on one
// end of a socketpair (ClientOptions::connected_fd) whose other end already
// holds the input's bytes, as they are, and then says no more: no dockerd,
// no socket file, no accept, no thread; the client's own stream, HTTP parser
// and reading of each answer run as with dockerd. The first byte picks the
// call; 19 feeds the log stream demultiplexer directly. Promised: every call
// returns a value or an Error (no exception, no crash, no hang).

#include "docker/bridge_address.h"
#include "docker/docker_client.h"
#include "fuzz_check.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace asio = boost::asio;
using namespace webgames;
using namespace webgames::docker;

namespace {

// A connection whose peer has answered `reply` and said no more: {the
// client's end, the peer's}, or -1s. The request the client writes stays
// unread in the peer's buffer.
std::pair<int, int> answered_connection(std::string_view reply) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return {-1, -1};
  while (!reply.empty()) {  // inputs are smaller than the socket's buffer; never blocks
    auto n = ::send(fds[1], reply.data(), reply.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n <= 0) break;
    reply.remove_prefix(static_cast<std::size_t>(n));
  }
  ::shutdown(fds[1], SHUT_WR);
  return {fds[0], fds[1]};
}

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

template <class T>
void check(const Result<T>& r) {
  if (!r) FUZZ_CHECK(!r.error().message.empty());
}

asio::awaitable<void> call(const DockerClient& c, int which) {
  // Named strings, not literals: GCC 12 fails on a string literal argument in a
  // co_await expression ("array used as initializer").
  const std::string id = "c1", name = "wg-fuzz", image = "fuzz:1", network_name = "bridge", service = "s1";
  const std::string key = "webgames.installation", value = "ins_fuzz";
  const boost::json::object config{{"Image", image}}, spec{{"Name", name}};
  std::string sunk;
  auto sink = [&sunk](std::string_view piece) { sunk.append(piece.substr(0, 1 << 20)); };
  switch (which) {
    case 0:
      check(co_await c.ping());
      break;
    case 1:
      check(co_await c.create_container(name, config));
      break;
    case 2:
      check(co_await c.start_container(id));
      break;
    case 3:
      check(co_await c.stop_container(id, std::chrono::milliseconds(0)));
      break;
    case 4:
      check(co_await c.kill_container(id));
      break;
    case 5:
      check(co_await c.remove_container(id));
      break;
    case 6:
      check(co_await c.inspect_container(id));
      break;
    case 7:
      check(co_await c.container_state(id));
      break;
    case 8:
      check(co_await c.list_containers(key, value));
      break;
    case 9:
      check(co_await c.wait_container(id));
      break;
    case 10:
      check(co_await c.follow_logs(id, sink, true));
      break;
    case 11:
      check(co_await c.follow_service_logs(service, sink, true));
      break;
    case 12:
      check(co_await c.inspect_image(image));
      break;
    case 13: {
      // Then where containers reach the host (the subnets' CIDRs are the engine's text).
      auto network = co_await c.inspect_network(network_name);
      check(network);
      if (network)
        check(host_address(*network, [](const std::string&) { return std::vector<std::string>{"172.17.0.1"}; }));
      break;
    }
    case 14:
      check(co_await c.create_service(spec));
      break;
    case 15:
      check(co_await c.remove_service(service));
      break;
    case 16:
      check(co_await c.list_services(key, value));
      break;
    case 17:
      check(co_await c.service_tasks(service));
      break;
    default:
      check(co_await c.swarm_state());
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  int which = data[0] % 20;
  std::string reply(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (which == 19) {
    // The demultiplexer, fed in two pieces split where the second byte says.
    std::size_t payload = 0;
    StreamDemuxer demux([&](std::string_view piece) { payload += piece.size(); });
    auto cut = reply.empty() ? 0 : static_cast<unsigned char>(reply[0]) % reply.size();
    demux.feed(std::string_view(reply).substr(0, cut));
    demux.feed(std::string_view(reply).substr(cut));
    FUZZ_CHECK(payload <= reply.size());
    return 0;
  }
  static asio::io_context ioc;
  auto [client_end, peer_end] = answered_connection(reply);
  FUZZ_CHECK(client_end >= 0);
  ClientOptions options;
  options.timeout = std::chrono::milliseconds(5000);
  int unused = client_end;  // one call, one connection
  options.connected_fd = [&unused] { return std::exchange(unused, -1); };
  DockerClient client(options);
  asio::co_spawn(ioc, call(client, which), rethrow);
  ioc.restart();
  ioc.run();
  if (unused >= 0) ::close(unused);
  ::close(peer_end);
  return 0;
}
