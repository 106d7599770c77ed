// relay-echo-server: the game server of bench/relay. On the SDK's
// PlayerListener, over WebSocket (the spec's port "ws"): every message of a
// joined player is sent straight back. When the last player leaves, it
// reports the end (no results) and exits; SIGTERM stops it too.

#include <webgames/players.h>
#include <webgames/sdk.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <exception>

int main() {
  try {
    namespace sdk = webgames::sdk;
    auto session = sdk::Session::from_environment();
    boost::asio::io_context io;
    sdk::PlayerListener::Options options;
    options.max_queued_messages = 1024;  // the throughput run keeps a window of messages in flight
    int connected = 0;
    sdk::PlayerListener players(io.get_executor(), session,
                                {.connected = [&](const sdk::PlayerConnectionPtr&) { ++connected; },
                                 .message = [](const sdk::PlayerConnectionPtr& p, std::string_view m) { p->send(m); },
                                 .disconnected =
                                     [&](const sdk::PlayerConnectionPtr&) {
                                       if (--connected > 0) return;
                                       (void)session.end({});
                                       io.stop();
                                     }},
                                options);
    auto address = boost::asio::ip::make_address(session.host());
    players.listen(sdk::Transport::ws, {address, session.port("ws").value_or(session.port())});
    players.start();
    boost::asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    session.ready().value();
    io.run();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "relay-echo-server: %s\n", e.what());
    return 1;
  }
}
