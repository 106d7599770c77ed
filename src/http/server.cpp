#include "http/server.h"

#include "http/error_response.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/encoding.h"

namespace webgames::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

struct HttpServer::Connection {
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool busy = false;      // a request is being handled; touched only on the connection's loop
  bool upgraded = false;  // `stream` was handed to a WebSocket route
};

namespace {

// A client-supplied request id is kept if it is short and plain.
bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, const Router& router, EventLoops& loops)
    : options_(std::move(options)),
      router_(router),
      cors_(options_.cors_origins),
      loops_(loops),
      metrics_([&] {
        std::vector<RouteLabels> labels;
        for (const auto& r : router.routes())
          labels.push_back({std::string(to_string(r.method)), r.pattern, static_cast<bool>(r.websocket)});
        return labels;
      }()),
      request_id_prefix_(hex_encode(random_bytes(4))) {}

HttpServer::~HttpServer() = default;

void HttpServer::start() {
  auto& ctx = loops_.first();
  tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
  acceptor_ = std::make_unique<tcp::acceptor>(ctx);
  acceptor_->open(endpoint.protocol());
  acceptor_->set_option(asio::socket_base::reuse_address(true));
  acceptor_->bind(endpoint);
  acceptor_->listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_->local_endpoint().port();
  asio::co_spawn(ctx, accept_loop(), asio::detached);
}

asio::awaitable<void> HttpServer::accept_loop() {
  while (!draining_) {
    auto& loop = loops_.next();
    auto [ec, socket] = co_await acceptor_->async_accept(loop, kNoThrow);
    if (ec) {
      if (draining_ || ec == asio::error::operation_aborted) break;
      // EMFILE and the like: wait a little rather than spin.
      spdlog::warn("http: accept failed: {}", ec.message());
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    if (open_.load() >= options_.max_connections) continue;  // closes the socket
    socket.set_option(tcp::no_delay(true));
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(connections_mutex_);
      connections_.insert(conn);
    }
    ++open_;
    asio::co_spawn(loop, serve(conn), [this, conn](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          spdlog::error("http: connection task failed: {}", ex.what());
        }
      }
      std::lock_guard lock(connections_mutex_);
      connections_.erase(conn);
      --open_;
    });
  }
}

asio::awaitable<void> HttpServer::serve(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  std::string remote;
  {
    boost::system::error_code ec;
    auto ep = conn->stream.socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }

  while (!draining_) {
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
    parser.body_limit(options_.body_limit);

    conn->stream.expires_after(options_.header_timeout);
    auto [hec, hn] = co_await beast_http::async_read_header(conn->stream, buffer, parser, kNoThrow);
    conn->busy = true;
    Error early;  // a request we answer without routing it
    bool answer_early = false;
    if (!hec && !parser.is_done()) {
      conn->stream.expires_after(options_.body_timeout);
      auto [bec, bn] = co_await beast_http::async_read(conn->stream, buffer, parser, kNoThrow);
      hec = bec;
    }
    if (hec == beast_http::error::body_limit) {
      early = make_error(Errc::payload_too_large, fmt::format("body exceeds {} bytes", options_.body_limit), "body");
      answer_early = true;
    } else if (hec == beast_http::error::header_limit) {
      early = make_error(Errc::invalid_request, fmt::format("headers exceed {} bytes", options_.header_limit));
      answer_early = true;
    } else if (hec == beast_http::error::end_of_stream || hec == beast::error::timeout ||
               hec == asio::error::operation_aborted || hec == asio::error::connection_reset ||
               hec == asio::error::eof || hec == asio::error::bad_descriptor) {
      break;
    } else if (hec) {
      early = make_error(Errc::invalid_request, fmt::format("malformed HTTP request: {}", hec.message()));
      answer_early = true;
    }

    auto started = std::chrono::steady_clock::now();
    RequestContext ctx;
    ctx.started = started;
    ctx.client_address = remote;
    auto given = parser.get()["X-Request-Id"];
    ctx.request_id = acceptable_request_id(given)
                         ? std::string(given)
                         : fmt::format("{}-{}", request_id_prefix_, request_counter_.fetch_add(1));
    std::size_t route_index = metrics_.unmatched_index();
    Response res;
    if (answer_early) {
      ctx.request = parser.get();  // may be partial; used only for logging
      res = error_response(early);
      if (early.code == Errc::invalid_request && hec == beast_http::error::header_limit)
        res.result(Status::request_header_fields_too_large);
      res.keep_alive(false);
    } else {
      ctx.request = parser.release();
      if (!options_.trusted_proxies.empty())
        ctx.client_address = options_.trusted_proxies.client_address(remote, ctx.request);
      auto preflight = cors_.preflight(ctx.request);  // answered here: no route has OPTIONS
      auto match = preflight ? Router::Match{} : router_.match(ctx.request.method(), ctx.request.target());
      if (match.route != nullptr && match.route->websocket && beast::websocket::is_upgrade(ctx.request)) {
        ctx.route = match.route->pattern;
        ctx.params = std::move(match.params);
        metrics_.record(match.route->index, 101, std::chrono::steady_clock::now() - started);
        conn->upgraded = true;
        conn->stream.expires_never();  // the WebSocket sets its own timeouts
        // The client waits for the 101 before it sends a frame: nothing is
        // buffered, and the buffer's memory would be held by every idle socket.
        buffer.shrink_to_fit();
        auto ws = std::make_shared<WebSocket>(std::move(conn->stream));
        // Open from the upgrade until the handler returns (a refused
        // upgrade counts for the moment of its answer).
        metrics_.websocket_open(match.route->index, +1);
        try {
          co_await match.route->websocket(ctx, ws);
        } catch (const std::exception& e) {
          spdlog::error("http: websocket {} {} failed: {}", ctx.request_id, ctx.route, e.what());
        }
        metrics_.websocket_open(match.route->index, -1);
        if (options_.access_log)
          log_access(ctx, Response{Status::switching_protocols, 11}, ctx.client_address,
                     std::chrono::steady_clock::now() - started);
        co_return;  // the stream belonged to the WebSocket
      }
      if (match.route != nullptr) route_index = match.route->index;
      if (preflight)
        res = std::move(*preflight);
      else
        res = co_await dispatch(ctx, match);
      res.keep_alive(ctx.request.keep_alive() && !draining_);
      cors_.decorate(ctx.request, res);
    }
    res.set("X-Request-Id", ctx.request_id);
    res.version(11);
    res.prepare_payload();

    auto latency = std::chrono::steady_clock::now() - started;
    metrics_.record(route_index, res.result_int(), latency);
    if (options_.access_log) log_access(ctx, res, ctx.client_address, latency);

    conn->stream.expires_after(options_.body_timeout);
    bool keep_alive = res.keep_alive();
    auto [wec, wn] = co_await beast_http::async_write(conn->stream, res, kNoThrow);
    conn->busy = false;
    if (wec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  conn->stream.close();
}

asio::awaitable<Response> HttpServer::dispatch(RequestContext& ctx, Router::Match& match) {
  if (match.route == nullptr) {
    if (!match.allow.empty()) {
      auto res =
          error_response(make_error(Errc::invalid_request, fmt::format("method not allowed; use {}", match.allow)));
      res.result(Status::method_not_allowed);
      res.set(beast_http::field::allow, match.allow);
      co_return res;
    }
    co_return error_response(make_error(Errc::not_found, "no such route"));
  }
  ctx.route = match.route->pattern;
  ctx.params = std::move(match.params);
  if (!match.route->handler) {
    auto res =
        error_response(make_error(Errc::invalid_request, "this route speaks WebSocket; send an upgrade request"));
    res.result(Status::upgrade_required);
    res.set(beast_http::field::upgrade, "websocket");
    co_return res;
  }
  try {
    co_return co_await match.route->handler(ctx);
  } catch (const std::exception& e) {
    spdlog::error("http: request {} {} {} failed: {}", ctx.request_id, to_string(ctx.request.method()), ctx.route,
                  e.what());
  }
  co_return error_response(make_error(Errc::internal, fmt::format("internal error (request id {})", ctx.request_id)));
}

void HttpServer::log_access(const RequestContext& ctx, const Response& res, const std::string& remote,
                            std::chrono::nanoseconds latency) const {
  // The query string is left out: it is where secrets would leak if a client put them there.
  auto target = ctx.request.target();
  auto path = target.substr(0, target.find('?'));
  double ms = std::chrono::duration<double, std::milli>(latency).count();
  auto method = to_string(ctx.request.method());
  auto logger = spdlog::get("access");
  if (!logger) return;
  if (options_.access_log_json) {
    boost::json::object line{{"remote", remote},
                             {"method", method},
                             {"path", path},
                             {"route", ctx.route},
                             {"status", res.result_int()},
                             {"bytes", res.body().size()},
                             {"ms", std::round(ms * 1000) / 1000},
                             {"request_id", ctx.request_id}};
    if (!ctx.account_id.empty()) line["account"] = ctx.account_id;
    logger->info(boost::json::serialize(line));
  } else {
    logger->info("{} \"{} {}\" {} {} {:.3f}ms rid={}{}{}", remote, method, path, res.result_int(), res.body().size(),
                 ms, ctx.request_id, ctx.account_id.empty() ? "" : " account=", ctx.account_id);
  }
}

void HttpServer::shutdown(std::function<void()> on_stopped) {
  if (draining_.exchange(true)) return;
  auto& ctx = loops_.first();
  asio::post(ctx, [this] {
    boost::system::error_code ignored;
    if (acceptor_) acceptor_->close(ignored);
  });
  // Idle connections are waiting for a request that we will not serve: close them now.
  {
    std::lock_guard lock(connections_mutex_);
    for (const auto& conn : connections_) {
      asio::post(conn->stream.get_executor(), [weak = std::weak_ptr<Connection>(conn)] {
        if (auto c = weak.lock(); c && !c->busy && !c->upgraded) c->stream.socket().cancel();
      });
    }
  }
  asio::co_spawn(
      ctx,
      [this, on_stopped = std::move(on_stopped)]() -> asio::awaitable<void> {
        auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
        asio::steady_timer tick(co_await asio::this_coro::executor);
        while (open_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
          tick.expires_after(std::chrono::milliseconds(10));
          co_await tick.async_wait(kNoThrow);
        }
        if (open_.load() > 0) spdlog::warn("http: {} connections still open after the grace period", open_.load());
        on_stopped();
      },
      asio::detached);
}

}  // namespace webgames::http
