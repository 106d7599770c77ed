#pragma once
// The player's REST calls (play/player_api.h) on an event loop: one
// keep-alive HTTP/1.1 connection per player, opened on the first call and
// again after the server closes it. For many simulated players in one
// process (`webgames loadgen`).
//
// Every method runs on the executor given at construction and must be
// called from it, one call at a time (not thread-safe). Each call is bounded
// by kCallTimeout; a failure to reach the server is unavailable.

#include "core/error.h"
#include "ctl/http_client.h"
#include "play/player_api.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace webgames::play {

class AsyncPlayerApi {
 public:
  static constexpr std::chrono::seconds kCallTimeout{15};

  AsyncPlayerApi(boost::asio::any_io_executor executor, ctl::Endpoint server, std::string device_id);
  ~AsyncPlayerApi();
  AsyncPlayerApi(const AsyncPlayerApi&) = delete;
  AsyncPlayerApi& operator=(const AsyncPlayerApi&) = delete;

  // POST /v1/auth/guest; keeps the access token for the calls below.
  boost::asio::awaitable<Result<GuestAccount>> login();
  // REQUIRES: login() succeeded.
  const std::string& access_token() const { return access_token_; }

  // Sends `call` with the access token; on 401 logs in again and retries
  // once. The response whatever its status: read it with player_api.h.
  // REQUIRES: `call` outlives the call (a coroutine keeps the reference).
  boost::asio::awaitable<Result<ctl::HttpResult>> send(const ApiCall& call);

  // Closes the connection.
  void close();

 private:
  class Connection;
  boost::asio::awaitable<Result<ctl::HttpResult>> exchange(const ApiCall& call, std::string_view token);

  ctl::Endpoint server_;
  std::string device_id_;
  std::string access_token_;
  std::shared_ptr<Connection> connection_;
};

}  // namespace webgames::play
