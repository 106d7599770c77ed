// arena-server: the dedicated server of one Arena match, started by
// Webgames with the session in WEBGAMES_* variables (docs/server-sdk.md),
// spoken to by players in JSON over WebSocket or TCP (docs/arena.md).
//
// Exit status: 0 when the match ended and was reported, or on SIGTERM/SIGINT;
// 1 when the session could not be served or reported.

#include "game_server.h"
#include "settings.h"

#include <webgames/sdk.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

int main() {
  try {
    auto session = webgames::sdk::Session::from_environment();
    auto settings = arena::Settings::from_environment();
    boost::asio::io_context io;
    arena::GameServer server(io, session, settings);  // listens; players wait until start()

    std::string ws = server.ws_port() ? " and ws " + std::to_string(*server.ws_port()) : "";
    std::fprintf(stderr, "arena-server: session %s, %s, %d ticks/s, listening on %s:%u%s\n", session.id().c_str(),
                 session.pooled() ? "pooled" : (std::to_string(session.players().size()) + " players").c_str(),
                 settings.rules.tick_rate, session.host().c_str(), static_cast<unsigned>(server.port()), ws.c_str());
    if (auto ready = session.ready(); !ready) {
      std::fprintf(stderr, "arena-server: ready failed: %s: %s\n", ready.error().code.c_str(),
                   ready.error().message.c_str());
      return 1;
    }
    // A pool server waits here for its match (SIGTERM meanwhile ends it at
    // once: nothing to save); one started for its match goes on at once.
    if (auto allocated = session.wait_for_allocation(); !allocated) {
      std::fprintf(stderr, "arena-server: no match: %s: %s\n", allocated.error().code.c_str(),
                   allocated.error().message.c_str());
      return 1;
    }

    // Webgames sends SIGTERM after the end, or to cut a session short: stop
    // at once, nothing is left to save.
    bool stopped_by_signal = false;
    boost::asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      stopped_by_signal = true;
      io.stop();
    });
    server.start();
    io.run();
    return stopped_by_signal ? 0 : server.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "arena-server: %s\n", e.what());
    return 1;
  }
}
