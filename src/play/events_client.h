#pragma once
// The player's events stream: a WebSocket to /v1/events?token=… that
// survives drops. Blocking calls with deadlines, on a BlockingIo.

#include "core/error.h"
#include "ctl/http_client.h"
#include "play/blocking_io.h"
#include "play/event.h"
#include "play/events_connection.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace webgames::play {

class EventsClient {
 public:
  // The access token to connect with. `refresh` is true when the server
  // refused the last one (it expired): log in again.
  using TokenSource = std::function<Result<std::string>(bool refresh)>;

  // `io` must outlive the client.
  EventsClient(BlockingIo& io, ctl::Endpoint server, TokenSource token);
  // Drops the connection without a goodbye; see close().
  ~EventsClient();
  EventsClient(const EventsClient&) = delete;
  EventsClient& operator=(const EventsClient&) = delete;

  // Opens the stream (and keeps a read outstanding from then on, so the
  // server's pings are answered while the caller does other things).
  // unauthenticated when the server refuses the token even after a refresh;
  // unavailable when it cannot be reached within 10 s or the user interrupts.
  Result<void> connect();

  // The next event, waiting at most until `deadline`. An empty optional when
  // the deadline passed or the user interrupted (BlockingIo::interrupted()
  // tells which); the stream stays open either way. After a drop it
  // reconnects with since=<last id> (3 tries, 0.5, 1 and 2 s apart) and skips
  // events it has already returned. Errors: invalid_request for a malformed
  // event (skipped: the stream goes on, call next() again); conflict when a
  // newer stream of the same player replaced this one (close code 1008: not
  // reopened, as that would replace the newer one); unavailable when the
  // stream is lost and cannot be restored.
  // REQUIRES: connect() succeeded.
  Result<std::optional<Event>> next(BlockingIo::Clock::time_point deadline);

  // Sends a close frame and waits for the server's (at most 2 s).
  void close();

 private:
  Result<void> open(bool refresh_token);
  Result<void> reconnect(const std::string& why);

  BlockingIo& io_;
  ctl::Endpoint server_;
  TokenSource token_;
  std::shared_ptr<EventsConnection> connection_;  // null before connect() and after a drop
  std::optional<std::int64_t> last_id_;           // of the last event returned
};

}  // namespace webgames::play
