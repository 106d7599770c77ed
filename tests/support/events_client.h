#pragma once
// A player's event stream, /v1/events, over a real WebSocket (Beast, sync):
// a reader thread collects every text frame {"id":n,"type":…,"data":{…}},
// and the test waits for the ones it expects with a deadline. Every event is
// kept, so a failure message can say what did arrive. Every frame, and the
// answer to the upgrade request, is checked against docs/api/openapi.yaml
// (the `Event` schema, GET /v1/events): each disagreement fails the test when
// the client is closed (see openapi_contract.h).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace webgames::testing {

struct Event {
  std::uint64_t id = 0;
  std::string type;
  boost::json::object data;
  std::string raw;

  // data[key] as a string, or "" when absent or not a string.
  std::string str(std::string_view key) const;
};

class EventsClient {
 public:
  // Connects and completes the handshake (with `token` as ?token=, and
  // ?since= when non-zero). Throws std::runtime_error when the server
  // refuses (the message holds its status and body) or does not answer.
  EventsClient(std::uint16_t port, const std::string& token, std::uint64_t since = 0,
               std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Any stream of events at `target` (its query string included), each
  // frame checked against the schema `schema` of the document. Throws as
  // above.
  EventsClient(std::uint16_t port, const std::string& target, std::string schema,
               std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // A console's stream: /v1/console/events?token=…[&game=…], frames
  // checked against `ConsoleEvent` (they have no id).
  static std::unique_ptr<EventsClient> console(std::uint16_t port, const std::string& token,
                                               const std::string& game = {});
  ~EventsClient();
  EventsClient(const EventsClient&) = delete;
  EventsClient& operator=(const EventsClient&) = delete;

  // The next event not yet returned by next()/next_of(), waiting at most `timeout`.
  std::optional<Event> next(std::chrono::milliseconds timeout);
  // Skips events until one of `type` for which `where` holds; empty when
  // none came within `timeout`.
  std::optional<Event> next_of(std::string_view type, std::chrono::milliseconds timeout,
                               const std::function<bool(const Event&)>& where = {});

  // Everything received so far, in order.
  std::vector<Event> received() const;
  // "ticket.queued#3 {…}, ticket.matched#4 {…}" for failure messages.
  std::string describe() const;

  // The server closed the stream (or the connection broke).
  bool closed() const;
  // The code and reason of the server's close frame; code 0 before, or
  // when the connection broke without one.
  boost::beast::websocket::close_reason close_reason() const;
  // Waits until the server has closed the stream.
  bool wait_closed(std::chrono::milliseconds timeout);
  // Drops the connection and stops the reader; reports (ADD_FAILURE) every
  // frame that disagreed with the document.
  void close();
  // The disagreements with the document so far.
  std::vector<std::string> undocumented() const;

 private:
  void read_loop();

  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Event> events_;
  std::vector<std::string> undocumented_;
  std::size_t cursor_ = 0;
  std::string schema_;  // "Event", or another schema of the document
  bool closed_ = false;
  boost::beast::websocket::close_reason close_reason_;
};

}  // namespace webgames::testing
