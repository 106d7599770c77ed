// HTTP/1.1 requests as `webgames serve` reads them (http/server.cpp): Beast's
// request parser with the server's header and body limits, headers first and
// then the body, request after request on one connection while they keep it
// alive; each request routed through the real API's routes (the Router an App
// builds) and its query parameters read as the routes read them. The first
// byte sets how many bytes each read returns (1 to 255, 0: all), which moves
// the parser's buffer boundaries. Promised: no crash; a body within the
// limit; a route only for its own method.

#include "api/query_params.h"
#include "app/app.h"
#include "fuzz_check.h"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <stdlib.h>

#include <cstdint>
#include <filesystem>

using namespace webgames;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

namespace {

// Every route of the API, as `webgames serve` has them: an App over a
// temporary data directory, built once and never started.
const http::Router& api_router() {
  static const http::Router* router = [] {
    spdlog::set_level(spdlog::level::off);
    char dir_template[] = "/tmp/webgames-fuzz-http-XXXXXX";
    static std::string dir = mkdtemp(dir_template);
    std::atexit([] { std::filesystem::remove_all(dir); });
    Config config;
    config.data_dir = dir;
    config.threads = 1;
    config.blocking_threads = 1;
    config.password_cost = "minimum";
    static SystemClock clock;
    auto* app = new App(config, clock);  // lives as long as the process
    return &app->router();
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  api_router();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& router = api_router();
  static boost::asio::io_context ioc;
  static const http::ServerOptions options;  // the server's limits: 16 KiB of headers, 64 KiB of body
  beast::test::stream stream(ioc, std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  if (data[0] != 0) stream.read_size(data[0]);
  stream.close_remote();  // the client is done sending
  beast::flat_buffer buffer;
  for (int i = 0; i < 16; ++i) {
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.body_limit);
    beast::error_code ec;
    beast_http::read_header(stream, buffer, parser, ec);
    if (!ec && !parser.is_done()) beast_http::read(stream, buffer, parser, ec);
    if (ec) break;
    auto request = parser.release();
    FUZZ_CHECK(request.body().size() <= options.body_limit);
    auto match = router.match(request.method(), request.target());
    if (match.route != nullptr) {
      FUZZ_CHECK(match.route->method == request.method());
      FUZZ_CHECK(match.allow.empty());
      (void)beast::websocket::is_upgrade(request);
      (void)api::limit_param(request, 50, 500);
      for (auto name : {"since", "token"}) (void)http::query_param(request.target(), name);
    }
    if (!request.keep_alive()) break;
  }
  return 0;
}
