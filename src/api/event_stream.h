#pragma once
// The server side of a one-way event WebSocket (/v1/events,
// /v1/console/events): the upgrade accepted with the options every such
// stream uses, then each text of a source sent as one frame, while the
// client's messages are read only to notice it leaving.

#include "events/event_bus.h"
#include "http/router.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace webgames::api {

// What a client may send on an event stream (read and dropped): messages of
// at most this many bytes.
inline constexpr std::size_t kMaxClientMessage = 4096;

// Accepts the upgrade of `ctx.request` on `ws`: X-Request-Id on the 101, the
// suggested server timeouts (pings), client messages of at most
// kMaxClientMessage bytes, events sent whole with a small write buffer.
// Then drops the request (an idle stream is held by the thousand). False
// when the handshake failed.
boost::asio::awaitable<bool> accept_event_stream(http::WebSocket& ws, http::RequestContext& ctx);

// How a held stream treats a quiet client (docs/api/openapi.yaml, /v1/events).
struct QuietTimes {
  std::chrono::milliseconds ping_after{150'000};  // nothing heard for this long: a ping
  std::chrono::milliseconds answer_within{
      150'000};  // then nothing for this long again, or a write stuck as long: dropped
  std::chrono::milliseconds close_within{30'000};  // a close sent and not answered: dropped
};

// The close codes of a stream ended for its credentials (docs/api/openapi.yaml,
// /v1/events): reconnect with a new access token, or not at all.
inline constexpr std::uint16_t kTokenExpired = 4001;
inline constexpr std::uint16_t kLoggedOut = 4003;

// Serves a player's accepted event stream without a coroutine, and returns
// at once: each event the subscription yields is sent as one text frame.
// The client's frames are read only to answer its pings and its close, and
// to notice it leaving, which ends the subscription; when the subscription
// ends, the stream is closed with why (1001; 1013 too slow; 1008 replaced;
// 4001 at `expires_at`, when the access token it was opened with expires;
// 4003 logged out, PlayerStreams::revoked).
//
// Framed here (http/websocket_frames.h), not by Beast: `ws`'s socket is
// taken out of it and Beast's state for it released, so that an idle
// stream holds only its socket, the subscription, one wait for the client's
// bytes (no buffer) and one timer's wait. Nothing may use `ws` after.
// REQUIRES: `ws` accepted, `subscription` opened on ws's executor; called
// on that executor.
void hold_event_stream(std::shared_ptr<http::WebSocket> ws, std::shared_ptr<Subscription> subscription,
                       QuietTimes times = {},
                       std::chrono::steady_clock::time_point expires_at = std::chrono::steady_clock::time_point::max());

// Holds back (on) or lets go (off) the socket's partial packets (TCP_CORK):
// frames written in between leave in as few packets as they fill.
void cork(http::WebSocket& ws, bool on);

// Sends each batch `source->next_batch()` yields (an empty one: the end),
// written corked, one frame per text, until a write fails; reads only to
// notice the client leaving (and to answer pings), which calls
// `source->end()` and so ends the loop. At `expires_at` (the access token's
// expiry) it calls `source->end_for(4001, …)`. Closes the stream unless the
// client did, with source->close_reason() when it has a code (else 1001).
// `Source`: next_batch() -> awaitable<std::vector<std::string>> on the
// current executor, end() and end_for(code, reason) from any thread,
// close_reason() -> {code, reason}.
template <class Source>
boost::asio::awaitable<void> send_frames(
    std::shared_ptr<http::WebSocket> ws, std::shared_ptr<Source> source,
    std::chrono::steady_clock::time_point expires_at = std::chrono::steady_clock::time_point::max()) {
  namespace asio = boost::asio;
  constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);
  auto executor = co_await asio::this_coro::executor;
  auto reader_done = std::make_shared<bool>(false);
  auto expiry = std::make_shared<asio::steady_timer>(executor, expires_at);
  expiry->async_wait([source](boost::system::error_code ec) {
    if (!ec) source->end_for(kTokenExpired, "the access token expired: reconnect with a new one");
  });
  asio::co_spawn(
      executor,
      [ws, source, reader_done]() -> asio::awaitable<void> {
        // Pieces of messages into a small buffer, dropped: a dynamic buffer
        // would hold a message's worth of memory for every idle connection.
        std::array<char, 128> discard;
        for (;;) {
          auto [ec, n] = co_await ws->async_read_some(asio::buffer(discard), asio::as_tuple(asio::use_awaitable));
          if (ec) break;
        }
        *reader_done = true;
        source->end();
      },
      asio::detached);
  for (bool failed = false; !failed;) {
    auto batch = co_await source->next_batch();
    if (batch.empty()) break;
    cork(*ws, true);
    for (const auto& text : batch) {
      ws->text(true);
      auto [ec, n] = co_await ws->async_write(asio::buffer(text), no_throw);
      if (ec) {
        failed = true;
        break;
      }
    }
    cork(*ws, false);
  }
  expiry->cancel();
  if (*reader_done) co_return;
  auto [code, reason] = source->close_reason();
  if (code == 0)
    co_await ws->async_close(boost::beast::websocket::close_code::going_away, no_throw);
  else
    co_await ws->async_close(
        boost::beast::websocket::close_reason(static_cast<boost::beast::websocket::close_code>(code), reason),
        no_throw);
}

}  // namespace webgames::api
