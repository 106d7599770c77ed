// The Docker Engine API's answers as the Docker and Swarm runtimes read
// them: a real DockerClient (docker/docker_client.h) calls a fake dockerd on
// a unix socket in a temporary directory, which reads the request and
// answers with the input's bytes, as they are, then closes. The first byte
// picks the call; 19 feeds the log stream demultiplexer directly. Promised:
// every call returns a value or an Error (no exception, no crash, no hang).

#include "docker/bridge_address.h"
#include "docker/docker_client.h"
#include "fuzz_check.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/object.hpp>

#include <stdlib.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace asio = boost::asio;
namespace http = boost::beast::http;
using local = asio::local::stream_protocol;
using namespace webgames;
using namespace webgames::docker;

namespace {

struct FakeDockerd {
  FakeDockerd() {
    char dir_template[] = "/tmp/webgames-fuzz-docker-XXXXXX";
    dir = mkdtemp(dir_template);
    socket = dir + "/docker.sock";
    acceptor.emplace(ioc, local::endpoint(socket));
  }
  // Not an atexit handler registered by the constructor: that one would run
  // after this destructor, on a freed `dir` (found by ASan at the end of a run).
  ~FakeDockerd() {
    acceptor.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  static FakeDockerd& instance() {
    static FakeDockerd d;
    return d;
  }
  // Accepts one call, reads its request whole, answers `reply` and hangs up.
  asio::awaitable<void> answer_once(std::string reply) {
    auto peer = co_await acceptor->async_accept(asio::use_awaitable);
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    boost::beast::error_code ec;
    co_await http::async_read(peer, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
    co_await asio::async_write(peer, asio::buffer(reply), asio::redirect_error(asio::use_awaitable, ec));
    peer.shutdown(local::socket::shutdown_send, ec);
  }

  asio::io_context ioc;
  std::string dir;
  std::string socket;
  std::optional<local::acceptor> acceptor;
};

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
  auto& d = FakeDockerd::instance();
  ClientOptions options;
  options.socket = d.socket;
  options.timeout = std::chrono::milliseconds(5000);
  DockerClient client(options);
  asio::co_spawn(d.ioc, d.answer_once(std::move(reply)), rethrow);
  asio::co_spawn(d.ioc, call(client, which), rethrow);
  d.ioc.restart();
  d.ioc.run();
  return 0;
}
