#pragma once
// Players' connections to a game server, over TCP or WebSocket, handled alike.
//
// A PlayerListener accepts connections on the ports a game asks for, one
// transport per port:
//   tcp: JSON lines: one message per line ('\n', or "\r\n"), each way;
//   ws:  WebSocket (RFC 6455), any path: one message per text (or binary)
//        message; what the server sends goes out as text.
// On either, a player's first message must be the join:
//   {"type":"join","token":"<join token>"}
// The listener checks the token with Session::verify_join (offline, the same
// check whatever the transport) and only then tells the game, through
// PlayerEvents, that a player connected; every later message is handed over
// as it came, and the end of the connection is told once. A join refused is
// answered {"type":"error","code":"<code>","reason":"<text>"} and closed:
// code one of join_refusal (sdk.h), "bad_request" (not a join), or
// "join_timeout" (nothing within Options::join_timeout); so is a TCP line
// longer than Options::max_message_bytes ("line_too_long"). A WebSocket
// message over that limit is closed with status 1009 (too big).
// docs/server-sdk.md#players-connections describes this for clients.
//
// A sketch of a game:
//   webgames::sdk::PlayerListener players(io.get_executor(), session, {
//       .connected = [&](auto c) { c->send(R"({"type":"welcome"})"); },
//       .message = [&](auto c, std::string_view m) { ... },
//       .disconnected = [&](auto c) { ... }});
//   players.listen(Transport::tcp, {address, *session.port("game")});
//   players.listen(Transport::ws, {address, *session.port("ws")});
//   players.start();
//   session.ready().value();
//   io.run();
//
// Threading: a listener and its connections run on `executor`, which must
// not run handlers concurrently (an io_context run by one thread, or a
// strand). Every PlayerEvents callback runs there, and every method of
// PlayerListener and PlayerConnection must be called there.

#include "webgames/sdk.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::sdk {

enum class Transport { tcp, ws };
std::string_view to_string(Transport t);  // "tcp", "ws"

// One player's connection, once joined. Shared: the listener holds it until
// the connection ends; a game may keep it longer (sending is then ignored).
class PlayerConnection {
 public:
  virtual ~PlayerConnection() = default;
  PlayerConnection(const PlayerConnection&) = delete;
  PlayerConnection& operator=(const PlayerConnection&) = delete;

  // The player whose join token this connection presented.
  const Player& player() const { return player_; }
  Transport transport() const { return transport_; }

  // Queues one message; never blocks. TCP: written as one line, so
  // REQUIRES: no '\n' in `message` (serialized JSON has none). A player who
  // lets Options::max_queued_messages pile up unread is cut off
  // (close_now()). Ignored once closing.
  virtual void send(std::string_view message) = 0;
  // Closes once everything queued is written (WebSocket: with a close
  // frame, status 1000).
  virtual void close() = 0;
  // Closes at once, dropping what is queued.
  virtual void close_now() = 0;
  // Completes once the connection is closed.
  virtual boost::asio::awaitable<void> wait_closed() = 0;

 protected:
  explicit PlayerConnection(Transport transport) : transport_(transport) {}
  Transport transport_;
  Player player_;  // set by the listener at the join, before anyone else sees the connection
};

using PlayerConnectionPtr = std::shared_ptr<PlayerConnection>;

// What the game hears. Each callback may be empty.
struct PlayerEvents {
  // A player joined: their token was valid. The game may still refuse them
  // (send an error, then close()): disconnected follows.
  std::function<void(const PlayerConnectionPtr&)> connected;
  // One message of a joined player, as sent (no line end on TCP).
  std::function<void(const PlayerConnectionPtr&, std::string_view message)> message;
  // A joined player's connection ended, whoever closed it. Once per connected.
  std::function<void(const PlayerConnectionPtr&)> disconnected;
};

class PlayerListener {
 public:
  struct Options {
    // Longest message read, either way. Default: 4 KiB.
    std::size_t max_message_bytes = 4096;
    // Messages queued for one player before they are cut off. Default: 64.
    std::size_t max_queued_messages = 64;
    // How long a new connection has to send its join. Default: 10 s.
    std::chrono::milliseconds join_timeout{10'000};
    // WebSocket: a connection silent this long is pinged, then closed if
    // still silent as long again. Default: 30 s.
    std::chrono::milliseconds ws_idle_timeout{30'000};
  };

  // `session` must outlive the listener.
  PlayerListener(boost::asio::any_io_executor executor, const Session& session, PlayerEvents events, Options options);
  PlayerListener(boost::asio::any_io_executor executor, const Session& session, PlayerEvents events)
      : PlayerListener(std::move(executor), session, std::move(events), Options{}) {}
  ~PlayerListener();  // stop()s; connections still open are closed at once
  PlayerListener(const PlayerListener&) = delete;
  PlayerListener& operator=(const PlayerListener&) = delete;

  // Binds `endpoint` (port 0 picks one) for players over `transport`;
  // returns the port bound. Throws boost::system::system_error when the
  // port cannot be bound. REQUIRES: before start().
  std::uint16_t listen(Transport transport, const boost::asio::ip::tcp::endpoint& endpoint);
  // Starts accepting on every port listened on. Call once.
  void start();
  // Stops accepting new connections; those joined stay open. Idempotent.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// The end of a game: close()s every connection of `connections` (what is
// queued, the game-over message, is written first), waits until they are all
// closed, and closes at once (close_now()) those still open after `limit`.
// Run it on the listener's executor (co_spawn) before reporting the end.
boost::asio::awaitable<void> close_all(std::vector<PlayerConnectionPtr> connections, std::chrono::milliseconds limit);

}  // namespace webgames::sdk
