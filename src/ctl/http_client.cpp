#include "ctl/http_client.h"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <optional>

namespace webgames::ctl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string percent_encoded(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string HttpResult::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (beast::iequals(n, name)) return v;
  return "";
}

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
                                std::string_view json_body, std::string_view bearer_token, std::chrono::seconds timeout,
                                const Headers& headers) {
  bhttp::request<bhttp::string_body> req{method, target, 11};
  req.set(bhttp::field::host, server.port == "80" ? server.host : server.host + ":" + server.port);
  req.set(bhttp::field::user_agent, "webgames-ctl");
  if (!bearer_token.empty()) req.set(bhttp::field::authorization, fmt::format("Bearer {}", bearer_token));
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!json_body.empty()) {
    if (req.find(bhttp::field::content_type) == req.end()) req.set(bhttp::field::content_type, "application/json");
    req.body() = std::string(json_body);
  }
  req.prepare_payload();

  // Asynchronous operations on a private io_context: Beast's deadlines only
  // apply to those, so a server that never answers cannot hang the caller.
  asio::io_context io;
  std::optional<HttpResult> answer;
  std::string failure = "no answer";
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::ip::tcp::resolver resolver(io);
        beast::tcp_stream stream(io);
        auto endpoints = co_await resolver.async_resolve(server.host, server.port, asio::use_awaitable);
        stream.expires_after(timeout);
        co_await stream.async_connect(endpoints, asio::use_awaitable);
        co_await bhttp::async_write(stream, req, asio::use_awaitable);
        beast::flat_buffer buffer;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
        beast::error_code ignored;
        stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        auto& res = parser.get();
        answer = HttpResult{res.result_int(),
                            std::move(res.body()),
                            std::string(res[bhttp::field::content_type]),
                            std::string(res["X-Request-Id"]),
                            {}};
        for (const auto& field : res) answer->headers.emplace_back(field.name_string(), field.value());
      },
      [&](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          failure = ex.what();
          failure = failure.substr(0, failure.find(" ["));  // Boost appends the source location in brackets
        }
      });
  io.run_for(timeout + std::chrono::seconds(1));  // the resolver is not covered by the stream's deadline
  if (answer) return std::move(*answer);
  return make_error(Errc::unavailable, fmt::format("cannot reach http://{}:{}: {}", server.host, server.port, failure),
                    "server");
}

}  // namespace webgames::ctl
