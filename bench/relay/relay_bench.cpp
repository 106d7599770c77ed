// relay-bench: what the API's WebSocket relay (GET /v1/sessions/{id}/connect)
// adds to a game's messages, on loopback, in one run.
//
// Against a running `webgames serve` (--api) where it registers a game whose
// server is relay-echo-server (--server, a WebSocket echo on the SDK), one
// guest queues alone and gets a session. Then, alternating blocks of
// --block round trips so that both paths share the machine's conditions:
//   direct: a WebSocket to the server's ws port (ws://host:port/);
//   relay:  a WebSocket to the API's /v1/sessions/{id}/connect?token=…;
// each round trip is one 32-byte text message sent and its echo read
// (blocking, one at a time). Then relay throughput: --window messages in
// flight through the relay, --throughput echoes in all, and the same direct.
//
// The summary goes to stderr; the last line of stdout is one JSON object:
// {"direct_p99_ms":…,"relay_p99_ms":…,"relay_msgs_per_s":…}

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  std::string port = "8080";
  std::string server;  // relay-echo-server
  int round_trips = 20'000;
  int block = 500;
  int throughput = 100'000;
  int window = 64;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--api") {
      auto colon = v.rfind(':');
      o.host = v.substr(v.find("//") + 2, colon - v.find("//") - 2);
      o.port = v.substr(colon + 1);
    } else if (k == "--server") {
      o.server = v;
    } else if (k == "--round-trips") {
      o.round_trips = std::stoi(v);
    } else if (k == "--block") {
      o.block = std::stoi(v);
    } else if (k == "--throughput") {
      o.throughput = std::stoi(v);
    } else if (k == "--window") {
      o.window = std::stoi(v);
    } else {
      throw std::runtime_error("unknown option " + k);
    }
  }
  if (o.server.empty()) throw std::runtime_error("--server is required");
  return o;
}

json::value call(const Options& o, http::verb verb, const std::string& target, const std::string& body,
                 const std::string& token, unsigned expect) {
  asio::io_context io;
  tcp::socket socket(io);
  asio::connect(socket, tcp::resolver(io).resolve(o.host, o.port));
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, o.host);
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  if (res.result_int() != expect)
    throw std::runtime_error(
        fmt::format("{} {}: {} {}", std::string(to_string(verb)), target, res.result_int(), res.body()));
  return res.body().empty() ? json::value() : json::parse(res.body());
}

using Ws = websocket::stream<tcp::socket>;

std::unique_ptr<Ws> open_ws(asio::io_context& io, const std::string& host, const std::string& port,
                            const std::string& target) {
  auto ws = std::make_unique<Ws>(io);
  asio::connect(ws->next_layer(), tcp::resolver(io).resolve(host, port));
  ws->next_layer().set_option(tcp::no_delay(true));
  ws->handshake(host + ":" + port, target);
  ws->text(true);
  return ws;
}

std::string read_text(Ws& ws, beast::flat_buffer& buffer) {
  buffer.clear();
  ws.read(buffer);
  return beast::buffers_to_string(buffer.data());
}

void join(Ws& ws, const std::string& token) {
  ws.write(asio::buffer(json::serialize(json::object{{"type", "join"}, {"token", token}})));
}

// Round trips of one message, appended to `ms`.
void round_trips(Ws& ws, int n, std::vector<double>& ms) {
  static const std::string message(32, 'm');
  beast::flat_buffer buffer;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    ws.write(asio::buffer(message));
    buffer.clear();
    ws.read(buffer);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (buffer.size() != message.size()) throw std::runtime_error("the echo differs");
  }
}

// Echoes per second with `window` messages in flight.
double throughput(Ws& ws, int total, int window) {
  static const std::string message(32, 't');
  beast::flat_buffer buffer;
  auto t0 = Clock::now();
  int sent = 0;
  for (; sent < std::min(window, total); ++sent) ws.write(asio::buffer(message));
  for (int got = 0; got < total; ++got) {
    buffer.clear();
    ws.read(buffer);
    if (sent < total) {
      ws.write(asio::buffer(message));
      ++sent;
    }
  }
  return total / std::chrono::duration<double>(Clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) try {
  auto o = parse(argc, argv);
  auto run = std::to_string(::getpid());
  auto dev = call(o, http::verb::post, "/v1/auth/register",
                  json::serialize(json::object{
                      {"username", "relay-dev-" + run}, {"password", "relay-bench-pass"}, {"role", "developer"}}),
                  "", 201);
  auto dev_token = std::string(dev.at("access_token").as_string());
  json::object game{{"name", "relay-echo-" + run},
                    {"server", json::object{{"command", o.server},
                                            {"ports", json::array{json::object{{"name", "ws"}, {"protocol", "ws"}}}},
                                            {"max_duration_s", 3600}}},
                    {"queues", json::array{json::object{{"name", "solo"}, {"teams", 1}, {"team_size", 1}}}}};
  call(o, http::verb::post, "/v1/games", json::serialize(game), dev_token, 201);
  auto guest = call(o, http::verb::post, "/v1/auth/guest",
                    json::serialize(json::object{{"device_id", "relay-bench-" + run}}), "", 200);
  auto token = std::string(guest.at("access_token").as_string());

  asio::io_context io;
  auto events = open_ws(io, o.host, o.port, "/v1/events?token=" + token);
  call(o, http::verb::post, fmt::format("/v1/queues/relay-echo-{}/solo/tickets", run), "{}", token, 201);
  json::object ready;
  beast::flat_buffer buffer;
  for (int i = 0; i < 20 && ready.empty(); ++i) {
    auto event = json::parse(read_text(*events, buffer));
    if (event.at("type") == "session.ready") ready = event.at("data").as_object();
  }
  if (ready.empty()) throw std::runtime_error("no session.ready");
  auto session = std::string(ready.at("session_id").as_string());
  auto host = std::string(ready.at("host").as_string());
  auto ws_port = std::to_string(ready.at("ports").at("ws").as_int64());
  auto join_token = std::string(ready.at("join_token").as_string());

  auto direct = open_ws(io, host, ws_port, "/");
  auto relayed = open_ws(io, o.host, o.port, fmt::format("/v1/sessions/{}/connect?token={}", session, join_token));
  join(*direct, join_token);
  join(*relayed, join_token);

  std::vector<double> direct_ms, relay_ms, ignored;
  round_trips(*direct, 200, ignored);  // warm up both paths
  round_trips(*relayed, 200, ignored);
  for (int done = 0; done < o.round_trips; done += o.block) {
    round_trips(*direct, o.block, direct_ms);
    round_trips(*relayed, o.block, relay_ms);
  }
  double relay_rate = throughput(*relayed, o.throughput, o.window);
  double direct_rate = throughput(*direct, o.throughput, o.window);

  auto row = [](const char* name, const std::vector<double>& v) {
    std::cerr << fmt::format("{:>7}: {} round trips, ms p50 {:.3f} p90 {:.3f} p99 {:.3f} p99.9 {:.3f} max {:.3f}\n",
                             name, v.size(), percentile(v, 50), percentile(v, 90), percentile(v, 99),
                             percentile(v, 99.9), *std::max_element(v.begin(), v.end()));
  };
  row("direct", direct_ms);
  row("relay", relay_ms);
  double added = percentile(relay_ms, 99) - percentile(direct_ms, 99);
  std::cerr << fmt::format("relay adds {:.3f} ms at p99 (target <= 0.2 ms: {})\n", added,
                           added <= 0.2 ? "met" : "MISSED");
  std::cerr << fmt::format("throughput, {} in flight: relay {:.0f} echoes/s, direct {:.0f} echoes/s\n", o.window,
                           relay_rate, direct_rate);
  std::cout << fmt::format(R"({{"direct_p99_ms":{:.3f},"relay_p99_ms":{:.3f},"relay_msgs_per_s":{:.0f}}})",
                           percentile(direct_ms, 99), percentile(relay_ms, 99), relay_rate)
            << std::endl;
  direct->close(websocket::close_code::normal);
  relayed->close(websocket::close_code::normal);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "relay-bench: " << e.what() << "\n";
  return 1;
}
