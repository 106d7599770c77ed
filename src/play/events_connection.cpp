#include "play/events_connection.h"

#include "ctl/http_client.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>

#include <cctype>

namespace webgames::play {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

}  // namespace

std::string events_target(std::string_view access_token, std::optional<std::int64_t> since) {
  auto target = "/v1/events?token=" + ctl::percent_encoded(access_token);
  if (since) target += fmt::format("&since={}", *since);
  return target;
}

EventsConnection::EventsConnection(asio::any_io_executor executor) : ws_(executor), wake_(executor) {}

asio::awaitable<beast::error_code> EventsConnection::open(asio::ip::tcp::resolver::results_type endpoints,
                                                          std::string host, std::string target,
                                                          std::string_view user_agent) {
  auto self = shared_from_this();
  auto& tcp_layer = beast::get_lowest_layer(ws_);
  tcp_layer.expires_after(kConnectTimeout);
  auto [connect_ec, endpoint] = co_await tcp_layer.async_connect(endpoints, kNoThrow);
  if (connect_ec) co_return connect_ec;
  // From here the websocket's own timeouts apply; the tcp_stream's must be off.
  tcp_layer.expires_never();
  ws_.set_option(websocket::stream_base::timeout{kConnectTimeout, kIdleTimeout, true});
  ws_.set_option(websocket::stream_base::decorator([agent = std::string(user_agent)](websocket::request_type& req) {
    req.set(beast::http::field::user_agent, agent);
  }));
  ws_.read_message_max(kMaxEventBytes);
  auto [handshake_ec] = co_await ws_.async_handshake(response_, host, target, kNoThrow);
  if (!handshake_ec) read_next();
  co_return handshake_ec;
}

void EventsConnection::read_next() {
  if (reading_ || failure_ || frames_.size() >= kMaxQueuedFrames) return;
  reading_ = true;
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->reading_ = false;
    self->wake_.cancel();
    if (ec) {
      self->failure_ = ec;
      return;
    }
    self->frames_.push_back(beast::buffers_to_string(self->buffer_.data()));
    self->buffer_.consume(self->buffer_.size());
    self->read_next();
  });
}

std::optional<Result<Event>> EventsConnection::take_event() {
  if (frames_.empty()) return std::nullopt;
  auto text = std::move(frames_.front());
  frames_.pop_front();
  read_next();
  auto event = parse_event(text);
  if (!event)
    return Result<Event>(make_error(Errc::invalid_request, fmt::format("the server sent a malformed event ({}): {}",
                                                                       event.error().message, text.substr(0, 200))));
  return event;
}

asio::awaitable<void> EventsConnection::wait(Clock::time_point deadline) {
  auto self = shared_from_this();
  read_next();
  if (!frames_.empty() || failure_ || Clock::now() >= deadline) co_return;
  wake_.expires_at(deadline);
  co_await wake_.async_wait(kNoThrow);
}

asio::awaitable<void> EventsConnection::close(std::chrono::milliseconds timeout) {
  auto self = shared_from_this();
  if (!failure_ && ws_.is_open()) {
    // The close handshake is bounded by the websocket's own timeout; this one is tighter.
    asio::steady_timer guard(ws_.get_executor());
    guard.expires_after(timeout);
    guard.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (auto s = weak.lock(); s && !ec) s->abort();
    });
    co_await ws_.async_close(websocket::close_code::normal, kNoThrow);
    guard.cancel();
  }
  abort();
}

void EventsConnection::abort() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace webgames::play
