#include "api/event_stream.h"

#include "api/websocket_refusal.h"

#include "http/websocket_frames.h"

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>

namespace webgames::api {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
namespace ws = http::ws;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// What the client sends is read only to be dropped: every stream of a loop
// reads into this one buffer, and each read is consumed before the next.
thread_local std::array<std::uint8_t, 4096> incoming;

// The socket of an accepted WebSocket, with Beast's state for it released:
// `ws` is left empty (it still holds what the connection owes the server).
tcp::socket take_socket(http::WebSocket& ws) {
  tcp::socket socket = std::move(ws.next_layer());
  http::WebSocket released(std::move(ws));
  return socket;
}

// What an idle stream keeps pending (the wait for the client's bytes, the
// quiet timer's, the wait on the subscription) is allocated to its size.
// Asio would hand each the block its thread last recycled, whatever its
// size: the one the handshake's answer was written with, 0.8 KiB held for
// as long as the stream is idle, for a wait of a hundred bytes. It does so
// for std::allocator too, so this is an allocator of its own.
template <class T>
struct SizedAllocator {
  using value_type = T;
  SizedAllocator() = default;
  template <class U>
  SizedAllocator(const SizedAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, std::size_t n) { std::allocator<T>().deallocate(p, n); }
  template <class U>
  bool operator==(const SizedAllocator<U>&) const noexcept {
    return true;
  }
};

template <class Handler>
auto to_size(Handler handler) {
  return asio::bind_allocator(SizedAllocator<void>(), std::move(handler));
}

// One held event stream, framed here (http/websocket_frames.h). Its pending
// wait for the client's bytes, its quiet timer and its write each hold it;
// it goes once the socket is closed and they have all run. The subscription
// is waited on weakly: it would hold the stream, and the stream it.
//
// One write at a time, in this order: the close frame (after which nothing
// else), a pong, a ping, then the events.
class HeldStream : public std::enable_shared_from_this<HeldStream> {
 public:
  HeldStream(std::shared_ptr<http::WebSocket> upgraded, std::shared_ptr<Subscription> subscription, QuietTimes times,
             Clock::time_point expires_at)
      : socket_(take_socket(*upgraded)),
        upgraded_(std::move(upgraded)),
        quiet_(socket_.get_executor()),
        subscription_(std::move(subscription)),
        times_(times),
        expires_at_(expires_at) {}

  void start() {
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    if (ec) return teardown();
    listen();
    watch();
    pump();
  }

 private:
  // Reading: wait until the socket has bytes (no buffer held while idle),
  // then read what is there at once.
  void listen() {
    socket_.async_wait(tcp::socket::wait_read, to_size([self = shared_from_this()](boost::system::error_code ec) {
                         if (ec) return self->teardown();
                         self->hear();
                       }));
  }

  void hear() {
    boost::system::error_code ec;
    auto n = socket_.read_some(asio::buffer(incoming), ec);
    if (ec == asio::error::would_block) return listen();
    if (ec) return teardown();  // gone (a closing client included), or reset
    last_heard_ = Clock::now();
    pinged_ = false;
    auto heard = frames_.feed(std::span<const std::uint8_t>(incoming.data(), n));
    if (heard.failed != 0) {
      subscription_->end();
      if (close_sent_) return teardown();
      drop_after_close_ = true;
      send_close(ws::close_payload(heard.failed));
      return;
    }
    if (heard.closed) {
      subscription_->end();
      drop_after_close_ = true;
      if (close_sent_) return teardown();  // it answered ours
      send_close(heard.close_code ? ws::close_payload(*heard.close_code) : std::string());
      return;
    }
    if (heard.ping) pong_ = std::move(heard.ping);
    pump();
    listen();
  }

  // The quiet timer: a ping once nothing was heard for ping_after, the
  // connection dropped when nothing comes for answer_within after it, when
  // a close sent goes unanswered for close_within, or when a write has not
  // gone out for answer_within. Arming it again cancels the wait before
  // (which then returns).
  void watch() {
    if (torn_down_) return;  // a write that completed just before
    quiet_.expires_at(deadline());
    quiet_.async_wait(to_size([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->torn_down_) return;
      auto now = Clock::now();
      // A client that stops reading is let go even while it sends (a
      // client pinging without reading would be heard from forever).
      if (self->writing_ && now >= self->write_started_at_ + self->times_.answer_within) return self->teardown();
      if (!self->close_sent_ && now >= self->expires_at_) {
        self->expires_at_ = Clock::time_point::max();  // once: the close follows what is being written
        self->subscription_->end_now(Subscription::Ending::expired);
        self->pump();
      } else if (now >= self->deadline()) {
        if (self->close_sent_ || self->pinged_) return self->teardown();
        self->pinged_ = true;
        self->ping_due_ = true;
        self->pump();
      }
      self->watch();
    }));
  }

  Clock::time_point deadline() const {
    // Nothing is written after the close: the last write started is the close's.
    auto at = close_sent_ ? write_started_at_ + times_.close_within
              : pinged_   ? last_heard_ + times_.ping_after + times_.answer_within
                          : last_heard_ + times_.ping_after;
    if (!close_sent_) at = std::min(at, expires_at_);
    return writing_ ? std::min(at, write_started_at_ + times_.answer_within) : at;
  }

  // Writing: the next frame owed, when no write is under way.
  void pump() {
    if (writing_ || torn_down_ || close_sent_) return;
    if (close_) return write(ws::Opcode::close, *std::exchange(close_, std::nullopt));
    if (pong_) return write(ws::Opcode::pong, *std::exchange(pong_, std::nullopt));
    if (ping_due_) {
      ping_due_ = false;
      return write(ws::Opcode::ping, {});
    }
    if (auto text = subscription_->take()) return write(ws::Opcode::text, std::move(*text));
    if (subscription_->ended()) return send_close(ended_payload());
    if (waiting_) return;
    waiting_ = true;
    subscription_->on_ready(to_size([weak = weak_from_this()] {
      if (auto self = weak.lock()) {
        self->waiting_ = false;
        self->pump();
      }
    }));
  }

  void send_close(std::string payload) {
    close_ = std::move(payload);
    pump();
  }

  // Why the server ends the stream, when it does.
  std::string ended_payload() const {
    switch (subscription_->ending()) {
      case Subscription::Ending::too_slow:
        return ws::close_payload(ws::close_code::try_again_later, "too slow: reconnect with since");
      case Subscription::Ending::replaced:
        return ws::close_payload(ws::close_code::policy_error, "replaced by a newer stream of this player");
      case Subscription::Ending::expired:
        return ws::close_payload(kTokenExpired, "the access token expired: reconnect with a new one and since");
      case Subscription::Ending::revoked:
        return ws::close_payload(kLoggedOut, "logged out");
      case Subscription::Ending::closed:
        break;
    }
    return ws::close_payload(ws::close_code::going_away);
  }

  void write(ws::Opcode opcode, std::string payload) {
    writing_ = true;
    write_started_at_ = Clock::now();
    sending_ = std::move(payload);
    header_ = ws::server_frame_header(opcode, sending_.size());
    bool closing = opcode == ws::Opcode::close;
    if (closing) close_sent_ = true;
    std::array<asio::const_buffer, 2> frame{header_.buffer(), asio::buffer(sending_)};
    asio::async_write(socket_, frame, [self = shared_from_this(), closing](boost::system::error_code ec, std::size_t) {
      self->writing_ = false;
      self->sending_ = {};
      if (ec) return self->teardown();
      if (closing) {
        // The client's close answered, or it failed: the server drops the
        // connection first (RFC 6455, section 7.1.1). Else wait for its close.
        if (self->drop_after_close_) return self->teardown();
        return self->watch();  // now at the close's deadline
      }
      self->pump();
    });
  }

  void teardown() {
    if (torn_down_) return;
    torn_down_ = true;
    subscription_->end();  // first: whoever sees the connection end finds the subscription ended
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    quiet_.cancel();
  }

  tcp::socket socket_;
  std::shared_ptr<http::WebSocket> upgraded_;  // emptied: keeps what the connection owes the server
  asio::steady_timer quiet_;
  std::shared_ptr<Subscription> subscription_;
  QuietTimes times_;
  Clock::time_point expires_at_;  // of the credentials it was opened with; max once acted on
  ws::ClientFrames frames_{kMaxClientMessage};
  Clock::time_point last_heard_ = Clock::now();
  Clock::time_point write_started_at_;
  std::string sending_;  // the payload being written
  ws::FrameHeader header_;
  std::optional<std::string> pong_;   // a ping's payload, to answer
  std::optional<std::string> close_;  // the close frame's payload, to send
  bool ping_due_ = false;
  bool pinged_ = false;  // since last heard
  bool writing_ = false;
  bool waiting_ = false;  // on the subscription
  bool close_sent_ = false;
  bool drop_after_close_ = false;  // the client closed or failed: no close of its to wait for
  bool torn_down_ = false;
};

}  // namespace

void hold_event_stream(std::shared_ptr<http::WebSocket> ws, std::shared_ptr<Subscription> subscription,
                       QuietTimes times, std::chrono::steady_clock::time_point expires_at) {
  std::make_shared<HeldStream>(std::move(ws), std::move(subscription), times, expires_at)->start();
}

void cork(http::WebSocket& ws, bool on) {
  int value = on ? 1 : 0;
  ::setsockopt(ws.next_layer().native_handle(), IPPROTO_TCP, TCP_CORK, &value, sizeof value);
}

boost::asio::awaitable<bool> accept_event_stream(http::WebSocket& ws, http::RequestContext& ctx) {
  ws.set_option(websocket::stream_base::timeout::suggested(boost::beast::role_type::server));
  ws.set_option(websocket::stream_base::decorator(
      [id = ctx.request_id](websocket::response_type& res) { res.set("X-Request-Id", id); }));
  ws.read_message_max(kMaxClientMessage);
  ws.auto_fragment(false);
  ws.write_buffer_bytes(512);
  bool accepted = co_await accept_upgrade(ws, ctx);
  ctx.request = {};
  co_return accepted;
}

}  // namespace webgames::api
