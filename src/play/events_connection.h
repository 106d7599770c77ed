#pragma once
// One WebSocket to /v1/events: the transport under every events client
// (blocking EventsClient, the asynchronous players of `loadgen`).
//
// After open() it keeps one read outstanding while fewer than
// kMaxQueuedFrames frames wait to be taken, so the server's pings are
// answered while its owner does other things. Every handler runs on the
// executor the connection was made with; use it from that executor only
// (not thread-safe). Keep it in a shared_ptr: pending reads hold it alive.

#include "core/error.h"
#include "play/event.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace webgames::play {

// "/v1/events?token=…[&since=N]", the token percent-encoded.
std::string events_target(std::string_view access_token, std::optional<std::int64_t> since);

class EventsConnection : public std::enable_shared_from_this<EventsConnection> {
 public:
  using Clock = std::chrono::steady_clock;
  // Frames waiting beyond this pause reading until take_event() takes one.
  static constexpr std::size_t kMaxQueuedFrames = 64;
  // Connect and upgrade within this; after it a server silent for this long
  // (and not answering a ping sent halfway) is gone.
  static constexpr std::chrono::seconds kConnectTimeout{10};
  static constexpr std::chrono::seconds kIdleTimeout{30};

  explicit EventsConnection(boost::asio::any_io_executor executor);

  // Connects to one of `endpoints` and upgrades; `host` is the Host header.
  // On websocket::error::upgrade_declined, response() holds the server's
  // answer. Then starts reading.
  boost::asio::awaitable<boost::beast::error_code> open(boost::asio::ip::tcp::resolver::results_type endpoints,
                                                        std::string host, std::string target,
                                                        std::string_view user_agent);

  // The oldest received frame, parsed, or empty when none waits.
  // invalid_request (naming what was wrong and the frame's start) for a
  // malformed one, which is consumed: the stream goes on.
  std::optional<Result<Event>> take_event();
  bool has_frame() const { return !frames_.empty(); }
  // Why the connection ended; empty while it is up (frames may still wait).
  boost::beast::error_code failure() const { return failure_; }

  // Suspends until a frame waits, the connection fails or `deadline`
  // passes, whichever comes first. At most one waiter at a time.
  boost::asio::awaitable<void> wait(Clock::time_point deadline);

  // Starts a read if none is outstanding and there is room (open() did).
  void read_next();

  // Sends a close frame and waits for the server's, within `timeout`.
  boost::asio::awaitable<void> close(std::chrono::milliseconds timeout);
  // Closes the socket at once: outstanding operations end with an error.
  void abort();

  boost::beast::websocket::stream<boost::beast::tcp_stream>& stream() { return ws_; }
  const boost::beast::websocket::response_type& response() const { return response_; }

 private:
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> frames_;  // received, not yet taken
  boost::beast::error_code failure_;
  bool reading_ = false;
  boost::asio::steady_timer wake_;  // a wait(): cancelled when a frame or a failure arrives
  boost::beast::websocket::response_type response_;
};

}  // namespace webgames::play
