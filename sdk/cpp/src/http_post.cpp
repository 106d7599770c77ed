#include "http_post.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <exception>

namespace webgames::sdk::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// Webgames answers 204 or a small error object; anything bigger is not it.
constexpr std::size_t kMaxReplyBytes = 64 * 1024;

asio::awaitable<HttpReply> exchange(const HttpUrl& url, http::request<http::string_body> request) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(url.host, url.port, asio::use_awaitable);
  beast::tcp_stream stream(executor);
  co_await stream.async_connect(endpoints, asio::use_awaitable);
  co_await http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxReplyBytes);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  boost::system::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return HttpReply{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
}

}  // namespace

std::optional<HttpUrl> parse_http_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  auto slash = url.find('/');
  auto authority = url.substr(0, slash);
  HttpUrl out{.host = {}, .port = "80", .base_path = {}};
  if (slash != std::string_view::npos) {
    out.base_path = url.substr(slash);
    while (out.base_path.ends_with('/')) out.base_path.pop_back();
  }
  // "[::1]:8080" for IPv6, "host:8080" otherwise.
  auto host_end = authority.starts_with('[') ? authority.find(']') : authority.rfind(':');
  if (authority.starts_with('[')) {
    if (host_end == std::string_view::npos) return std::nullopt;
    out.host = authority.substr(1, host_end - 1);
    authority.remove_prefix(host_end + 1);
    if (!authority.empty() && !authority.starts_with(':')) return std::nullopt;
    if (!authority.empty()) out.port = authority.substr(1);
  } else {
    out.host = authority.substr(0, host_end);
    if (host_end != std::string_view::npos) out.port = authority.substr(host_end + 1);
  }
  if (out.host.empty() || out.port.empty() || out.port.size() > 5 ||
      out.port.find_first_not_of("0123456789") != std::string::npos ||
      out.base_path.find_first_of("?#") != std::string::npos)
    return std::nullopt;
  return out;
}

namespace {

HttpReply send(const HttpUrl& url, http::request<http::string_body> request, std::string_view bearer,
               std::chrono::milliseconds timeout, std::stop_token stop) {
  request.set(http::field::host, url.host + ":" + url.port);
  request.set(http::field::authorization, "Bearer " + std::string(bearer));
  request.set(http::field::user_agent, "webgames-sdk-cpp/0.1");
  request.set(http::field::connection, "close");
  request.prepare_payload();

  // A private io_context per call: the deadline is simply how long it runs,
  // and stopping it from another thread cancels everything in flight.
  asio::io_context io;
  std::optional<HttpReply> reply;
  std::string failure = "no answer within " + std::to_string(timeout.count()) + " ms";
  asio::co_spawn(io, exchange(url, std::move(request)), [&](std::exception_ptr error, HttpReply answer) {
    if (!error) {
      reply = std::move(answer);
      return;
    }
    try {
      std::rethrow_exception(error);
    } catch (const boost::system::system_error& e) {
      failure = e.code().message();
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  std::stop_callback on_stop(stop, [&io] { io.stop(); });
  io.run_for(timeout);
  if (reply) return std::move(*reply);
  if (stop.stop_requested()) failure = "cancelled";
  return HttpReply{0, failure};
}

}  // namespace

HttpReply post_json(const HttpUrl& url, std::string_view path, std::string_view bearer, std::string body,
                    std::chrono::milliseconds timeout, std::stop_token stop) {
  http::request<http::string_body> request{http::verb::post, url.base_path + std::string(path), 11};
  request.set(http::field::content_type, "application/json");
  request.body() = std::move(body);
  return send(url, std::move(request), bearer, timeout, std::move(stop));
}

HttpReply get(const HttpUrl& url, std::string_view path, std::string_view bearer, std::chrono::milliseconds timeout,
              std::stop_token stop) {
  return send(url, http::request<http::string_body>{http::verb::get, url.base_path + std::string(path), 11}, bearer,
              timeout, std::move(stop));
}

}  // namespace webgames::sdk::detail
