#include "play/events_client.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <cctype>
#include <deque>

namespace webgames::play {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr std::size_t kMaxQueuedFrames = 64;  // then reading pauses until next() takes one
constexpr int kReconnectAttempts = 3;
constexpr auto kFirstReconnectPause = 500ms;
constexpr auto kConnectTimeout = 10s;
// A server silent for half of this is pinged; silent for all of it, it is gone.
constexpr auto kIdleTimeout = 30s;
constexpr auto kCloseTimeout = 2s;

// Percent-encodes all but RFC 3986's unreserved characters.
std::string query_escape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

Error interrupted_error() { return make_error(Errc::unavailable, "interrupted"); }

}  // namespace

struct EventsClient::Connection : std::enable_shared_from_this<Connection> {
  explicit Connection(asio::io_context& io) : ws(io) {}

  // Connects and upgrades to a WebSocket; `response` keeps the server's answer.
  asio::awaitable<beast::error_code> open(tcp::resolver::results_type endpoints, std::string host, std::string target) {
    auto self = shared_from_this();
    constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
    auto& tcp_layer = beast::get_lowest_layer(ws);
    tcp_layer.expires_after(kConnectTimeout);
    auto [connect_ec, endpoint] = co_await tcp_layer.async_connect(endpoints, tuple);
    if (connect_ec) co_return connect_ec;
    // From here the websocket's own timeouts apply; the tcp_stream's must be off.
    tcp_layer.expires_never();
    ws.set_option(websocket::stream_base::timeout{kConnectTimeout, kIdleTimeout, true});
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) { req.set(beast::http::field::user_agent, "webgames-play"); }));
    ws.read_message_max(kMaxEventBytes);
    auto [handshake_ec] = co_await ws.async_handshake(response, host, target, tuple);
    co_return handshake_ec;
  }

  // Keeps one read outstanding while there is room for its frame.
  void read_next() {
    if (reading || failure || frames.size() >= kMaxQueuedFrames) return;
    reading = true;
    ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->reading = false;
      if (ec) {
        self->failure = ec;
        return;
      }
      self->frames.push_back(beast::buffers_to_string(self->buffer.data()));
      self->buffer.consume(self->buffer.size());
      self->read_next();
    });
  }

  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  std::deque<std::string> frames;  // received, not yet returned by next()
  beast::error_code failure;       // why the connection ended; empty while it is up
  bool reading = false;
  websocket::response_type response;  // to the upgrade request
};

EventsClient::EventsClient(BlockingIo& io, ctl::Endpoint server, TokenSource token)
    : io_(io), server_(std::move(server)), token_(std::move(token)) {}

EventsClient::~EventsClient() {
  if (connection_) {
    beast::error_code ignored;
    beast::get_lowest_layer(connection_->ws).socket().close(ignored);
  }
}

Result<void> EventsClient::connect() {
  auto opened = open(false);
  if (!opened && opened.error().code == Errc::unauthenticated) opened = open(true);
  return opened;
}

Result<void> EventsClient::open(bool refresh_token) {
  auto token = token_(refresh_token);
  if (!token) return token.error();
  auto target = "/v1/events?token=" + query_escape(*token);
  if (last_id_) target += fmt::format("&since={}", *last_id_);
  auto where = fmt::format("ws://{}:{}/v1/events", server_.host, server_.port);

  beast::error_code ec;
  tcp::resolver resolver(io_.context());
  auto endpoints = resolver.resolve(server_.host, server_.port, ec);
  if (ec) return make_error(Errc::unavailable, fmt::format("cannot resolve {}: {}", server_.host, ec.message()));

  auto c = std::make_shared<Connection>(io_.context());
  ec = io_.run(c->open(endpoints, fmt::format("{}:{}", server_.host, server_.port), target),
               [c] { beast::get_lowest_layer(c->ws).close(); });
  if (ec == asio::error::operation_aborted && io_.interrupted()) return interrupted_error();
  if (ec == websocket::error::upgrade_declined) {
    auto status = c->response.result_int();
    auto body = c->response.body().substr(0, 300);
    if (status == 401) return make_error(Errc::unauthenticated, fmt::format("{} refused the token: {}", where, body));
    return make_error(Errc::unavailable, fmt::format("{} answered {} instead of a WebSocket: {}", where, status, body));
  }
  if (ec) return make_error(Errc::unavailable, fmt::format("cannot open {}: {}", where, ec.message()));
  connection_ = std::move(c);
  connection_->read_next();
  return {};
}

Result<void> EventsClient::reconnect(const std::string& why) {
  std::chrono::milliseconds pause = kFirstReconnectPause;
  Error last = make_error(Errc::unavailable, why);
  for (int attempt = 0; attempt < kReconnectAttempts; ++attempt, pause *= 2) {
    auto never = [] { return false; };
    if (io_.wait(never, BlockingIo::Clock::now() + pause) == BlockingIo::Wait::interrupted) return interrupted_error();
    auto opened = open(last.code == Errc::unauthenticated);
    if (opened) return {};
    if (io_.interrupted()) return interrupted_error();
    last = opened.error();
  }
  return make_error(Errc::unavailable,
                    fmt::format("lost the events stream ({}) and could not reopen it: {}", why, last.message));
}

Result<std::optional<Event>> EventsClient::next(BlockingIo::Clock::time_point deadline) {
  for (;;) {
    if (!connection_) return make_error(Errc::unavailable, "the events stream is not open");
    auto c = connection_;
    c->read_next();
    io_.wait([&c] { return !c->frames.empty() || c->failure; }, deadline);
    if (!c->frames.empty()) {
      auto text = std::move(c->frames.front());
      c->frames.pop_front();
      c->read_next();
      auto event = parse_event(text);
      if (!event)
        return make_error(Errc::invalid_request, fmt::format("the server sent a malformed event ({}): {}",
                                                             event.error().message, text.substr(0, 200)));
      if (last_id_ && event->id <= *last_id_) continue;  // seen before a reconnect
      last_id_ = event->id;
      return std::optional<Event>(std::move(*event));
    }
    if (!c->failure) return std::optional<Event>();  // deadline or interrupted
    connection_.reset();
    if (auto reopened = reconnect(c->failure.message()); !reopened) return reopened.error();
  }
}

void EventsClient::close() {
  auto c = std::move(connection_);
  if (!c) return;
  if (!c->failure && c->ws.is_open()) {
    auto closed = std::make_shared<bool>(false);
    c->ws.async_close(websocket::close_code::normal, [c, closed](beast::error_code) { *closed = true; });
    io_.wait([&closed] { return *closed; }, BlockingIo::Clock::now() + kCloseTimeout);
  }
  beast::error_code ignored;
  beast::get_lowest_layer(c->ws).socket().close(ignored);
}

}  // namespace webgames::play
