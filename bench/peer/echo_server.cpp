// peer-echo-server: the game server of bench/peer, on the server SDK. Players
// join over WebSocket on the port "game"; every message a joined player sends
// comes back to them as it came. When every player of the session has come
// and gone, it reports the end (no results) and exits: the session's server
// lives exactly as long as its match, as Webgames wants.
//
// Exit status: 0 after the end was reported, or on SIGTERM; 1 when the
// session could not be served or reported.

#include <webgames/players.h>
#include <webgames/sdk.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <exception>

int main() {
  try {
    namespace sdk = webgames::sdk;
    auto session = sdk::Session::from_environment();
    boost::asio::io_context io;
    std::size_t gone = 0;
    sdk::PlayerListener players(
        io.get_executor(), session,
        sdk::PlayerEvents{
            .connected = {},
            .message = [](const sdk::PlayerConnectionPtr& c, std::string_view message) { c->send(message); },
            .disconnected =
                [&](const sdk::PlayerConnectionPtr&) {
                  if (++gone >= session.players().size()) io.stop();
                },
        });
    players.listen(sdk::Transport::ws, {boost::asio::ip::make_address(session.host()), session.port()});
    players.start();
    bool stopped_by_signal = false;
    boost::asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      stopped_by_signal = true;
      io.stop();
    });
    if (auto ready = session.ready(); !ready) {
      std::fprintf(stderr, "peer-echo-server: ready failed: %s\n", ready.error().message.c_str());
      return 1;
    }
    // A pool server waits here for its match; one started for its match goes on at once.
    if (auto allocated = session.wait_for_allocation(); !allocated) {
      std::fprintf(stderr, "peer-echo-server: no match: %s\n", allocated.error().message.c_str());
      return 1;
    }
    io.run();
    if (stopped_by_signal) return 0;
    if (auto ended = session.end({}); !ended) {
      std::fprintf(stderr, "peer-echo-server: end failed: %s\n", ended.error().message.c_str());
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "peer-echo-server: %s\n", e.what());
    return 1;
  }
}
