#include "ctl/http_client.h"

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace webgames::ctl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

Result<Endpoint> parse_server_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  auto bad =
      make_error(Errc::invalid_field, fmt::format("server URL must look like http://host:port, not {}", url), "server");
  if (!url.starts_with(kScheme)) return bad;
  auto rest = url.substr(kScheme.size());
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.find('/') != std::string_view::npos) return bad;
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || rest.back() == ']') return Endpoint{std::string(rest), "80"};
  return Endpoint{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
}

Result<HttpResult> http_request(const Endpoint& server, bhttp::verb method, std::string_view target,
                                std::string_view json_body, std::string_view bearer_token,
                                std::chrono::seconds timeout) {
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    stream.connect(resolver.resolve(server.host, server.port));

    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, server.port == "80" ? server.host : server.host + ":" + server.port);
    req.set(bhttp::field::user_agent, "webgames-ctl");
    if (!bearer_token.empty()) req.set(bhttp::field::authorization, fmt::format("Bearer {}", bearer_token));
    if (!json_body.empty()) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = std::string(json_body);
    }
    req.prepare_payload();
    bhttp::write(stream, req);

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(stream, buffer, parser);
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    return HttpResult{parser.get().result_int(), std::move(parser.get().body())};
  } catch (const std::exception& e) {
    std::string why = e.what();
    why = why.substr(0, why.find(" ["));  // Boost appends the source location in brackets
    return make_error(Errc::unavailable, fmt::format("cannot reach http://{}:{}: {}", server.host, server.port, why),
                      "server");
  }
}

}  // namespace webgames::ctl
