#include "play/async_player_api.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace webgames::play {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxBody = std::size_t{1} << 20;

}  // namespace

class AsyncPlayerApi::Connection {
 public:
  explicit Connection(asio::any_io_executor executor) : stream(std::move(executor)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  bool open = false;
};

AsyncPlayerApi::AsyncPlayerApi(asio::any_io_executor executor, ctl::Endpoint server, std::string device_id)
    : server_(std::move(server)),
      device_id_(std::move(device_id)),
      connection_(std::make_shared<Connection>(std::move(executor))) {}

AsyncPlayerApi::~AsyncPlayerApi() { close(); }

void AsyncPlayerApi::close() {
  beast::error_code ignored;
  connection_->stream.socket().close(ignored);
  connection_->open = false;
}

asio::awaitable<Result<ctl::HttpResult>> AsyncPlayerApi::exchange(const ApiCall& call, std::string_view token) {
  auto c = connection_;
  bhttp::request<bhttp::string_body> req{call.method, call.target, 11};
  req.set(bhttp::field::host, server_.port == "80" ? server_.host : server_.host + ":" + server_.port);
  req.set(bhttp::field::user_agent, "webgames-loadgen");
  if (!token.empty()) req.set(bhttp::field::authorization, fmt::format("Bearer {}", token));
  if (!call.idempotency_key.empty()) req.set("Idempotency-Key", call.idempotency_key);
  if (!call.body.empty()) {
    req.set(bhttp::field::content_type, "application/json");
    req.body() = call.body;
  }
  req.keep_alive(true);
  req.prepare_payload();

  // A kept connection may have been closed by the server meanwhile: one more try on a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = c->open;
    if (!c->open) {
      tcp::resolver resolver(c->stream.get_executor());
      auto [resolve_ec, endpoints] = co_await resolver.async_resolve(server_.host, server_.port, kNoThrow);
      if (resolve_ec)
        co_return make_error(Errc::unavailable,
                             fmt::format("cannot resolve {}: {}", server_.host, resolve_ec.message()), "server");
      c->stream.expires_after(kCallTimeout);
      auto [connect_ec, endpoint] = co_await c->stream.async_connect(endpoints, kNoThrow);
      if (connect_ec)
        co_return make_error(
            Errc::unavailable,
            fmt::format("cannot reach http://{}:{}: {}", server_.host, server_.port, connect_ec.message()), "server");
      c->stream.socket().set_option(tcp::no_delay(true), connect_ec);
      c->buffer.clear();
      c->open = true;
    }
    c->stream.expires_after(kCallTimeout);
    auto [write_ec, written] = co_await bhttp::async_write(c->stream, req, kNoThrow);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxBody);
    beast::error_code read_ec = write_ec;
    if (!write_ec) std::tie(read_ec, std::ignore) = co_await bhttp::async_read(c->stream, c->buffer, parser, kNoThrow);
    if (read_ec) {
      close();
      if (reused && read_ec != beast::error::timeout) continue;
      co_return make_error(
          Errc::unavailable,
          fmt::format("no answer from http://{}:{}{}: {}", server_.host, server_.port, call.target, read_ec.message()),
          "server");
    }
    if (!parser.get().keep_alive()) close();
    ctl::HttpResult result;  // named: GCC 12 mishandles a braced temporary in co_return
    result.status = parser.get().result_int();
    result.body = std::move(parser.get().body());
    co_return result;
  }
  co_return make_error(Errc::unavailable, "unreachable");
}

asio::awaitable<Result<GuestAccount>> AsyncPlayerApi::login() {
  auto call = guest_login_call(device_id_);
  auto response = co_await exchange(call, "");
  if (!response) co_return response.error();
  auto login = read_guest_login(*response);
  if (!login) co_return login.error();
  access_token_ = std::move(login->access_token);
  co_return std::move(login->account);
}

asio::awaitable<Result<ctl::HttpResult>> AsyncPlayerApi::send(const ApiCall& call) {
  auto response = co_await exchange(call, access_token_);
  if (!response || response->status != 401) co_return response;
  if (auto relogged = co_await login(); !relogged) co_return response;
  co_return co_await exchange(call, access_token_);
}

}  // namespace webgames::play
