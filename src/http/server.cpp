#include "http/server.h"

#include "core/address_scope.h"
#include "http/error_response.h"
#include "http/websocket_handshake.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
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
// The most of a body read into the connection's buffer at a time.
constexpr std::size_t kBodyReadChunk = 64 * 1024;

struct HttpServer::Connection {
  Connection(tcp::socket s, std::optional<AddressSlots::Slot> slot) : stream(std::move(s)), slot(std::move(slot)) {}
  beast::tcp_stream stream;
  std::optional<AddressSlots::Slot> slot;  // its address's; an upgrade takes it along
  bool busy = false;                       // a request is being handled; touched only on the connection's loop
  bool upgraded = false;                   // `stream` was handed to a WebSocket route
};

namespace {

// A client-supplied request id is kept if it is short and plain.
bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

// One line of the access log.
struct AccessLine {
  std::string_view remote, method, path, route, request_id, account;
  unsigned status = 0;
  std::size_t bytes = 0;
  std::chrono::nanoseconds latency{};
};

// The query string is left out: it is where secrets would leak if a client put them there.
std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

void log_access(const AccessLine& a, bool json) {
  auto logger = spdlog::get("access");
  if (!logger) return;
  double ms = std::chrono::duration<double, std::milli>(a.latency).count();
  if (json) {
    boost::json::object line{{"remote", a.remote},
                             {"method", a.method},
                             {"path", a.path},
                             {"route", a.route},
                             {"status", a.status},
                             {"bytes", a.bytes},
                             {"ms", std::round(ms * 1000) / 1000},
                             {"request_id", a.request_id}};
    if (!a.account.empty()) line["account"] = a.account;
    logger->info(boost::json::serialize(line));
  } else {
    logger->info("{} \"{} {}\" {} {} {:.3f}ms rid={}{}{}", a.remote, a.method, a.path, a.status, a.bytes, ms,
                 a.request_id, a.account.empty() ? "" : " account=", a.account);
  }
}

// What the access line of an upgraded connection needs once its request is gone.
struct UpgradeRecord {
  std::string remote, path, request_id, account;
  std::string_view method, route;
  std::chrono::steady_clock::time_point started;
  bool json;
  unsigned status = 101;  // what the route answered (RequestContext::upgrade_answered)
};

}  // namespace

// An upgraded connection: the WebSocket, and what its end owes the server
// (its open connection, its route's open WebSockets, its access line), paid
// when the last holder lets it go: the route's coroutine, or the callbacks
// of a stream that keeps none.
struct HttpServer::Upgraded {
  Upgraded(tcp::socket&& socket, std::optional<AddressSlots::Slot> slot, std::shared_ptr<Tally> tally,
           std::size_t route, std::unique_ptr<UpgradeRecord> record)
      : ws(std::move(socket)), slot(std::move(slot)), tally(std::move(tally)), route(route), record(std::move(record)) {
    this->tally->metrics.websocket_open(route, +1);
  }
  ~Upgraded() {
    // Open from the upgrade until then (a refused upgrade counts for the moment of its answer).
    tally->metrics.websocket_open(route, -1);
    if (record) {
      const auto& r = *record;
      log_access({r.remote, r.method, r.path, r.route, r.request_id, r.account, r.status, 0,
                  std::chrono::steady_clock::now() - r.started},
                 r.json);
    }
    --tally->open;
  }
  WebSocket ws;
  std::optional<AddressSlots::Slot> slot;
  std::shared_ptr<Tally> tally;
  std::size_t route;
  std::unique_ptr<UpgradeRecord> record;  // with the access log only
};

HttpServer::HttpServer(ServerOptions options, const Router& router, EventLoops& loops)
    : options_(std::move(options)),
      router_(router),
      slots_(options_.max_connections_per_address == 0
                 ? nullptr
                 : std::make_unique<AddressSlots>(options_.max_connections_per_address)),
      cors_(options_.cors_origins),
      loops_(loops),
      tally_(std::make_shared<Tally>([&] {
        std::vector<RouteLabels> labels;
        for (const auto& r : router.routes())
          labels.push_back({std::string(to_string(r.method)), r.pattern, static_cast<bool>(r.websocket)});
        return labels;
      }())),
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

bool HttpServer::admit(asio::ip::address peer, std::optional<AddressSlots::Slot>& slot) {
  if (!slots_) return true;
  auto client = unmapped(peer).to_string();
  if (options_.trusted_proxies.trusts(client) || options_.uncounted_addresses.trusts(client)) return true;
  auto taken = slots_->take(address_scope(peer));
  if (!taken) return false;
  slot.emplace(std::move(*taken));
  return true;
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
    // A refused socket is closed as it goes out of scope.
    if (tally_->open.load() >= options_.max_connections) {
      tally_->metrics.connection_refused(HttpMetrics::Refusal::server_full);
      continue;
    }
    boost::system::error_code peer_error;
    auto peer = socket.remote_endpoint(peer_error).address();
    std::optional<AddressSlots::Slot> slot;
    if (!peer_error && !admit(peer, slot)) {
      tally_->metrics.connection_refused(HttpMetrics::Refusal::address_full);
      continue;
    }
    socket.set_option(tcp::no_delay(true));
    auto conn = std::make_shared<Connection>(std::move(socket), std::move(slot));
    {
      std::lock_guard lock(connections_mutex_);
      connections_.insert(conn);
    }
    ++tally_->open;
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
      if (!conn->upgraded) --tally_->open;  // an upgraded one counts until its WebSocket goes
    });
  }
}

asio::awaitable<void> HttpServer::serve(std::shared_ptr<Connection> conn) {
  // Bounded: Beast's header_limit and body_limit do not cover a chunk's
  // header (its extensions) nor the trailer, which an unbounded buffer let
  // a client grow without end (found by an audit). What a request holds in
  // it at once is its header, then a part of its body at a time.
  beast::flat_buffer buffer(options_.header_limit + kBodyReadChunk);
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
      auto header_fields = std::distance(parser.get().begin(), parser.get().end());
      conn->stream.expires_after(options_.body_timeout);
      // A client that waits for leave to send its body (curl does, for a
      // body over 1 KiB) would otherwise wait its own timeout first. A body
      // over the limit was refused with the header already.
      if (parser.get().version() == 11 && beast::iequals(parser.get()[beast_http::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(conn->stream, asio::buffer(kContinue), kNoThrow);
      }
      auto [bec, bn] = co_await beast_http::async_read(conn->stream, buffer, parser, kNoThrow);
      hec = bec;
      // Beast adds a chunked body's trailer to the header's fields, where an
      // X-Forwarded-For after the load balancer's own would name the client
      // (an audit's finding): the API takes no trailer.
      if (!hec && std::distance(parser.get().begin(), parser.get().end()) != header_fields) {
        early = make_error(Errc::invalid_request, "a chunked body's trailer fields are not accepted");
        answer_early = true;
      }
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
    std::size_t route_index = tally_->metrics.unmatched_index();
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
      bool upgrade = match.route != nullptr && match.route->websocket && beast::websocket::is_upgrade(ctx.request);
      auto refused = upgrade ? refused_handshake(ctx.request) : std::nullopt;
      if (upgrade && !refused) {
        ctx.route = match.route->pattern;
        ctx.params = std::move(match.params);
        conn->upgraded = true;
        conn->stream.expires_never();  // the WebSocket sets its own timeouts
        // The client waits for the 101 before it sends a frame: nothing is
        // buffered, and the buffer's memory would be held as long as a route
        // that keeps this coroutine holds the socket.
        buffer.shrink_to_fit();
        std::unique_ptr<UpgradeRecord> record;
        if (options_.access_log)
          record.reset(new UpgradeRecord{ctx.client_address,
                                         std::string(path_of(ctx.request.target())),
                                         ctx.request_id,
                                         {},
                                         to_string(ctx.request.method()),
                                         ctx.route,
                                         started,
                                         options_.access_log_json});
        auto* account = record ? &record->account : nullptr;
        // The route switches (101) or refuses (its error's status): counted
        // and logged as answered, once.
        ctx.upgrade_answered = [this, index = match.route->index, started, logged = record.get(),
                                answered = false](unsigned status) mutable {
          if (std::exchange(answered, true)) return;
          tally_->metrics.record(index, status, std::chrono::steady_clock::now() - started);
          if (logged) logged->status = status;
        };
        auto upgraded = std::make_shared<Upgraded>(conn->stream.release_socket(), std::move(conn->slot), tally_,
                                                   match.route->index, std::move(record));
        std::shared_ptr<WebSocket> ws(upgraded, &upgraded->ws);
        upgraded.reset();
        try {
          co_await match.route->websocket(ctx, ws);
        } catch (const std::exception& e) {
          spdlog::error("http: websocket {} {} failed: {}", ctx.request_id, ctx.route, e.what());
        }
        if (account) *account = ctx.account_id;  // `ws` keeps the record until here
        co_return;                               // the stream belonged to the WebSocket
      }
      if (match.route != nullptr) route_index = match.route->index;
      if (preflight)
        res = std::move(*preflight);
      else if (refused)
        res = std::move(*refused);
      else
        res = co_await dispatch(ctx, match);
      res.keep_alive(ctx.request.keep_alive() && !draining_);
      cors_.decorate(ctx.request, res);
    }
    res.set("X-Request-Id", ctx.request_id);
    res.version(11);
    res.prepare_payload();

    auto latency = std::chrono::steady_clock::now() - started;
    tally_->metrics.record(route_index, res.result_int(), latency);
    if (options_.access_log)
      log_access({ctx.client_address, to_string(ctx.request.method()), path_of(ctx.request.target()), ctx.route,
                  ctx.request_id, ctx.account_id, res.result_int(), res.body().size(), latency},
                 options_.access_log_json);

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
        while (tally_->open.load() > 0 && std::chrono::steady_clock::now() < deadline) {
          tick.expires_after(std::chrono::milliseconds(10));
          co_await tick.async_wait(kNoThrow);
        }
        if (tally_->open.load() > 0)
          spdlog::warn("http: {} connections still open after the grace period", tally_->open.load());
        on_stopped();
      },
      asio::detached);
}

}  // namespace webgames::http
