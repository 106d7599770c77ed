#pragma once
// A change of parties or tickets, as the API makes it: run on the hosting
// strand, then answered only once the lobby's journal has saved it, so that
// what a player was told survives a kill -9 (lobby/lobby_journal.h).

#include "api/services.h"
#include "loop/run_on.h"

#include <boost/asio/awaitable.hpp>

namespace webgames::api {

template <class F>
boost::asio::awaitable<std::invoke_result_t<F&>> change_lobby(Services& s, F change) {
  auto result = co_await run_on(s.hosting, std::move(change));
  co_await run_on(s.lobby.saved(), [] {});
  co_return result;
}

}  // namespace webgames::api
