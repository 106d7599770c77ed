#pragma once
// The REST calls a player makes: guest login and tickets (docs/api/openapi.yaml).
// Blocking, one connection per call, through ctl's HTTP client.

#include "core/error.h"
#include "ctl/http_client.h"

#include <string>
#include <string_view>

namespace webgames::play {

struct GuestAccount {
  std::string id;
  std::string username;
};

class PlayerApi {
 public:
  PlayerApi(ctl::Endpoint server, std::string device_id);

  // POST /v1/auth/guest: the same device id is the same guest. Keeps the
  // access token for the calls below.
  Result<GuestAccount> login();
  // REQUIRES: login() succeeded.
  const std::string& access_token() const { return access_token_; }

  // POST /v1/queues/{game}/{queue}/tickets: the new ticket's id. conflict
  // when the player already holds a ticket.
  Result<std::string> create_ticket(std::string_view game, std::string_view queue);
  // DELETE /v1/tickets/{id}.
  Result<void> cancel_ticket(std::string_view ticket_id);

 private:
  // Sends with the access token; on 401 logs in again and retries once.
  Result<ctl::HttpResult> call(boost::beast::http::verb method, const std::string& target, std::string_view body);

  ctl::Endpoint server_;
  std::string device_id_;
  std::string access_token_;
};

// The Error a failed response carries: the API's {"error":{"code","message",
// "field"}} when the body holds one, else the status and the start of the body.
Error response_error(const ctl::HttpResult& response);

}  // namespace webgames::play
