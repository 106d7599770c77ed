#include "http/upstream.h"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace webgames::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxAnswer = 16 * 1024 * 1024;  // a session log is the largest answer

// Headers that describe one connection, not the message (RFC 9110 7.6.1).
void drop_hop_by_hop(beast_http::fields& f) {
  for (auto name : {beast_http::field::connection, beast_http::field::keep_alive, beast_http::field::proxy_authenticate,
                    beast_http::field::proxy_authorization, beast_http::field::te, beast_http::field::trailer,
                    beast_http::field::transfer_encoding, beast_http::field::upgrade})
    f.erase(name);
}

Error unreachable(const std::string& address, const boost::system::error_code& ec) {
  spdlog::warn("forwarding to the lobby's owner at {}: not delivered: {}", address, ec.message());
  return make_error(Errc::unavailable, "the lobby's owner cannot be reached; retry");
}

Error unanswered(const std::string& address, const boost::system::error_code& ec) {
  spdlog::warn("forwarding to the lobby's owner at {}: delivered, not answered: {}", address, ec.message());
  return make_error(Errc::outcome_unknown,
                    "the lobby's owner stopped before answering: the request may or may not have been done; read "
                    "the result back before trying again (a ticket's Idempotency-Key makes a retry safe)");
}

}  // namespace

asio::awaitable<Result<Response>> forward(std::string address, Request request, std::chrono::milliseconds timeout) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) co_return make_error(Errc::internal, "bad upstream address " + address);
  auto host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto port = address.substr(colon + 1);

  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  auto [rec, endpoints] = co_await resolver.async_resolve(host, port, kNoThrow);
  if (rec) co_return unreachable(address, rec);
  beast::tcp_stream stream(executor);
  stream.expires_after(timeout);
  auto [cec, ep] = co_await stream.async_connect(endpoints, kNoThrow);
  if (cec) co_return unreachable(address, cec);

  drop_hop_by_hop(request.base());
  request.set(beast_http::field::connection, "close");
  request.set(kForwardedHeader, "1");
  request.prepare_payload();
  auto [wec, written] = co_await beast_http::async_write(stream, request, kNoThrow);
  if (wec) co_return unreachable(address, wec);

  beast::flat_buffer buffer;
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(kMaxAnswer);
  auto [ec, read] = co_await beast_http::async_read(stream, buffer, parser, kNoThrow);
  if (ec) co_return unanswered(address, ec);
  boost::system::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  Response answer = parser.release();
  drop_hop_by_hop(answer.base());
  co_return answer;
}

}  // namespace webgames::http
