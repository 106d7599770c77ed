#include "play/events_client.h"

#include <fmt/format.h>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/error.hpp>

namespace webgames::play {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr int kReconnectAttempts = 3;
constexpr auto kFirstReconnectPause = 500ms;
constexpr auto kCloseTimeout = 2s;

Error interrupted_error() { return make_error(Errc::unavailable, "interrupted"); }

}  // namespace

EventsClient::EventsClient(BlockingIo& io, ctl::Endpoint server, TokenSource token)
    : io_(io), server_(std::move(server)), token_(std::move(token)) {}

EventsClient::~EventsClient() {
  if (connection_) connection_->abort();
}

Result<void> EventsClient::connect() {
  auto opened = open(false);
  if (!opened && opened.error().code == Errc::unauthenticated) opened = open(true);
  return opened;
}

Result<void> EventsClient::open(bool refresh_token) {
  auto token = token_(refresh_token);
  if (!token) return token.error();
  auto where = fmt::format("ws://{}:{}/v1/events", server_.host, server_.port);

  beast::error_code ec;
  tcp::resolver resolver(io_.context());
  auto endpoints = resolver.resolve(server_.host, server_.port, ec);
  if (ec) return make_error(Errc::unavailable, fmt::format("cannot resolve {}: {}", server_.host, ec.message()));

  auto c = std::make_shared<EventsConnection>(io_.context().get_executor());
  ec = io_.run(c->open(endpoints, fmt::format("{}:{}", server_.host, server_.port), events_target(*token, last_id_),
                       "webgames-play"),
               [c] { c->abort(); });
  if (ec == asio::error::operation_aborted && io_.interrupted()) return interrupted_error();
  if (ec == websocket::error::upgrade_declined) {
    auto status = c->response().result_int();
    auto body = c->response().body().substr(0, 300);
    if (status == 401) return make_error(Errc::unauthenticated, fmt::format("{} refused the token: {}", where, body));
    return make_error(Errc::unavailable, fmt::format("{} answered {} instead of a WebSocket: {}", where, status, body));
  }
  if (ec) return make_error(Errc::unavailable, fmt::format("cannot open {}: {}", where, ec.message()));
  connection_ = std::move(c);
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
    io_.wait([&c] { return c->has_frame() || c->failure(); }, deadline);
    if (auto event = c->take_event()) {
      if (!*event) return event->error();
      if (last_id_ && (*event)->id <= *last_id_) continue;  // seen before a reconnect
      last_id_ = (*event)->id;
      return std::optional<Event>(std::move(**event));
    }
    if (!c->failure()) return std::optional<Event>();  // deadline or interrupted
    connection_.reset();
    // Replaced by a newer stream of this player (another `webgames play`, a
    // browser tab): reconnecting would replace that one in turn.
    if (c->failure() == websocket::error::closed && c->stream().reason().code == websocket::close_code::policy_error)
      return make_error(Errc::conflict, "another connection of this player took over its events stream", "events");
    if (auto reopened = reconnect(c->failure().message()); !reopened) return reopened.error();
  }
}

void EventsClient::close() {
  auto c = std::move(connection_);
  if (!c) return;
  io_.run(
      [](std::shared_ptr<EventsConnection> c) -> asio::awaitable<beast::error_code> {
        co_await c->close(kCloseTimeout);
        co_return beast::error_code{};
      }(c),
      [c] { c->abort(); });
}

}  // namespace webgames::play
