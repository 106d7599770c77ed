// The relay: GET /v1/sessions/{session}/connect?token=<join token>, a
// WebSocket that a player (a browser: it cannot open ws:// to a bare game
// server from an https page, nor set headers) opens on the API, and that the
// API joins to the session's game server on its first `ws` port, at the
// address the director recorded (whatever the runtime). Frames go both ways
// unchanged, text or binary; a close on either side is passed to the other
// with its code. Only the endpoint comes from the session's record (the
// director's, or the catalog's on a replica whose director does not hold the
// session), so any runtime works, and any replica sharing the catalog.
//
// Before the upgrade, errors are JSON answers: 404 not_found (session) for an
// unknown session; 401 unauthenticated or token_expired (token) for a join
// token that is not this session's; 409 conflict (session) when the session
// is not Ready or Running, or its game has no ws port; 503 unavailable
// (session) when its server does not accept the WebSocket.
//
// Bounds: a message is at most kMaxMessageBytes either way (a larger one
// closes that side with 1009 and the other with 1001); each direction holds
// one message at a time, so a slow reader slows the writer down (TCP
// backpressure), nothing piles up in between.
// A join token opens at most kMaxRelaysPerPlayer relays at once on one
// replica (409 conflict, field token, beyond): a player needs one, and a few
// while a dropped one is found dead (pinged after 30 s of silence); one
// token must not open connections to the game server without end.

#include "api/game_lookup.h"
#include "api/query_params.h"
#include "api/routes.h"
#include "api/websocket_refusal.h"
#include "auth/join_token.h"
#include "core/keyed_slots.h"
#include "http/message.h"
#include "loop/run_on.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace webgames::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t kMaxMessageBytes = 64 * 1024;
constexpr std::size_t kMaxRelaysPerPlayer = 4;
// Relays held here, by "session player".
using RelaySlots = KeyedSlots<std::string>;
constexpr auto kConnectTimeout = std::chrono::seconds(5);
// Closing handshakes, and the game server's opening one.
constexpr auto kHandshakeTimeout = std::chrono::seconds(5);
// The player's side: pinged after half of this in silence, closed after all of it.
constexpr auto kPlayerIdleTimeout = std::chrono::seconds(60);

using Upstream = websocket::stream<beast::tcp_stream>;

Error no_session() { return make_error(Errc::not_found, "no such session", "session"); }

// Where the session's server takes WebSockets: its host and the number of
// the game spec's first `ws` port, for the player the join token names.
struct Endpoint {
  std::string host;
  int port = 0;
  std::string player;
};

awaitable<Result<Endpoint>> endpoint_of(Services& s, const std::string& id, std::string_view token) {
  // The live session if this replica's director holds it, else the record in
  // the catalog: written Ready (with the host and ports) before any player
  // got a token, so a replica sharing the catalog relays another's sessions.
  auto session = co_await run_on(s.hosting, [&] { return s.director.live_session(id); });
  if (!session) {
    session = co_await s.blocking.run([&] { return s.catalog.session_by_id(id); });
    if (!session) co_return session.error().code == Errc::not_found ? no_session() : session.error();
  }
  auto admitted = verify_join_token(token, *s.director.join_keys(), id, s.clock.now());
  if (!admitted) co_return admitted.error();
  if (session->state != SessionState::ready && session->state != SessionState::running)
    co_return make_error(Errc::conflict,
                         fmt::format("the session is {}, not ready or running", to_string(session->state)), "session");
  auto game = co_await lookup_game(s, session->game);
  if (!game || (*game)->game.id != session->game_id)
    co_return make_error(Errc::conflict, "the session's game is gone", "session");
  for (const auto& spec : (*game)->game.server.ports) {
    if (spec.protocol != Protocol::ws) continue;
    auto number = session->ports.find(spec.name);
    if (number == session->ports.end()) break;
    co_return Endpoint{session->host, number->second, std::move(*admitted)};
  }
  co_return make_error(Errc::conflict, "the session's server has no ws port", "session");
}

// Opens the WebSocket to the game server, on `executor` (the player's connection's).
awaitable<Result<std::unique_ptr<Upstream>>> connect_upstream(const asio::any_io_executor& executor,
                                                              const Endpoint& where) {
  auto unavailable = [&](std::string_view step, const boost::system::error_code& ec) {
    return make_error(
        Errc::unavailable,
        fmt::format("the session's server at {}:{} did not {}: {}", where.host, where.port, step, ec.message()),
        "session");
  };
  tcp::resolver resolver(executor);
  auto [rec, endpoints] = co_await resolver.async_resolve(where.host, std::to_string(where.port), kNoThrow);
  if (rec) co_return unavailable("resolve", rec);
  auto upstream = std::make_unique<Upstream>(executor);
  auto& stream = beast::get_lowest_layer(*upstream);
  stream.expires_after(kConnectTimeout);
  auto [cec, ep] = co_await stream.async_connect(endpoints, kNoThrow);
  if (cec) co_return unavailable("accept a connection", cec);
  boost::system::error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);
  stream.expires_never();  // the WebSocket's own timeouts from here on
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = kHandshakeTimeout;
  timeouts.idle_timeout = websocket::stream_base::none();  // the player's side watches for silence
  timeouts.keep_alive_pings = false;
  upstream->set_option(timeouts);
  upstream->read_message_max(kMaxMessageBytes);
  upstream->auto_fragment(false);
  auto [hec] = co_await upstream->async_handshake(fmt::format("{}:{}", where.host, where.port), "/", kNoThrow);
  if (hec) co_return unavailable("accept a WebSocket", hec);
  co_return upstream;
}

// Forwards every message `from` receives to `to`, as it came. When `from`
// ends, `to` is closed with the close `from` got, or 1001 (going away) when
// it ended otherwise. Only this pump writes to `to` and reads `from`, so each
// stream has at most one read and one write in flight, which Beast allows.
template <class From, class To>
awaitable<void> pump(From& from, To& to) {
  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await from.async_read(buffer, kNoThrow);
    if (ec) {
      websocket::close_reason reason(websocket::close_code::going_away);
      if (ec == websocket::error::closed) reason = from.reason();
      if (to.is_open()) co_await to.async_close(reason, kNoThrow);
      co_return;
    }
    to.text(from.got_text());
    auto [wec, wn] = co_await to.async_write(buffer.data(), kNoThrow);
    buffer.consume(buffer.size());
    if (wec) co_return;  // `to` is gone: the other pump, reading it, closes `from`
  }
}

awaitable<void> relay(Services& s, RelaySlots& slots, http::RequestContext& ctx,
                      std::shared_ptr<http::WebSocket> player) {
  const auto& id = ctx.params["session"];
  if (id.size() > 64) co_return co_await refuse_upgrade(*player, ctx, no_session());
  if (auto query = check_query(ctx.request.target(), {"token"}); !query)
    co_return co_await refuse_upgrade(*player, ctx, query.error());
  auto token = http::query_param(ctx.request.target(), "token").value_or("");
  auto where = co_await endpoint_of(s, id, token);
  if (!where) co_return co_await refuse_upgrade(*player, ctx, where.error());
  auto slot = slots.take(id + " " + where->player);
  if (!slot)
    co_return co_await refuse_upgrade(
        *player, ctx,
        make_error(
            Errc::conflict,
            fmt::format("this join token holds {} connections to the session already: close one", kMaxRelaysPerPlayer),
            "token"));
  auto upstream = co_await connect_upstream(player->get_executor(), *where);
  if (!upstream) co_return co_await refuse_upgrade(*player, ctx, upstream.error());

  boost::system::error_code ignored;
  player->next_layer().set_option(tcp::no_delay(true), ignored);
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = kHandshakeTimeout;
  timeouts.idle_timeout = kPlayerIdleTimeout;
  timeouts.keep_alive_pings = true;
  player->set_option(timeouts);
  player->set_option(websocket::stream_base::decorator(
      [rid = ctx.request_id](websocket::response_type& res) { res.set("X-Request-Id", rid); }));
  player->read_message_max(kMaxMessageBytes);
  player->auto_fragment(false);
  if (!co_await accept_upgrade(*player, ctx)) {
    co_await (*upstream)->async_close(websocket::close_code::going_away, kNoThrow);
    co_return;
  }
  co_await (pump(*player, **upstream) && pump(**upstream, *player));
}

}  // namespace

void add_relay_routes(http::Router& router, Services& s) {
  router.add_websocket("/v1/sessions/{session}/connect",
                       [&s, slots = std::make_shared<RelaySlots>(kMaxRelaysPerPlayer)](
                           http::RequestContext& ctx, std::shared_ptr<http::WebSocket> ws) {
                         return relay(s, *slots, ctx, std::move(ws));
                       });
}

}  // namespace webgames::api
