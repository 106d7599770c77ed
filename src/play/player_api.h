#pragma once
// The REST calls a player makes: guest login, parties and tickets
// (docs/api/openapi.yaml).
//
// Each call is two pure halves, shared by every client whatever its
// transport: a `…_call` function builds the request (validating what goes
// into its path), a `read_…` function turns the response into a value or an
// Error. PlayerApi sends them blocking, one connection per call, through
// ctl's HTTP client; AsyncPlayerApi (play/async_player_api.h) on an event loop.

#include "core/error.h"
#include "ctl/http_client.h"

#include <boost/beast/http/verb.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace webgames::play {

struct GuestAccount {
  std::string id;
  std::string username;
};

struct GuestLogin {
  GuestAccount account;
  std::string access_token;
};

struct PartyInfo {
  std::string id;
  std::string code;  // the invite code members join with
  std::string leader_id;
  std::vector<std::string> members;
};

// One request of the API, before any transport: what a client sends.
struct ApiCall {
  boost::beast::http::verb method;
  std::string target;
  std::string body;             // JSON; empty for none
  std::string idempotency_key;  // sent as Idempotency-Key when set
};

// POST /v1/auth/guest: the same device id is the same guest.
ApiCall guest_login_call(std::string_view device_id);
Result<GuestLogin> read_guest_login(const ctl::HttpResult& response);

// POST /v1/queues/{game}/{queue}/tickets (for the caller, or the party it
// leads). invalid_field (field game or queue) for a name that cannot be one.
Result<ApiCall> create_ticket_call(std::string_view game, std::string_view queue);
// The new ticket's id. conflict when the player already holds a ticket.
Result<std::string> read_ticket_created(const ctl::HttpResult& response);

// DELETE /v1/tickets/{id}. invalid_field (field ticket) for a malformed id.
Result<ApiCall> cancel_ticket_call(std::string_view ticket_id);

// POST /v1/parties: a new party led by the caller.
ApiCall create_party_call();
// POST /v1/parties/join with the invite code.
ApiCall join_party_call(std::string_view code);
// POST /v1/parties/{id}/leave (the leader leaving disbands it).
// invalid_field (field party) for a malformed id.
Result<ApiCall> leave_party_call(std::string_view party_id);
// The party in the answer to create or join.
Result<PartyInfo> read_party(const ctl::HttpResult& response);

// Any 2xx is success; otherwise response_error().
Result<void> read_no_content(const ctl::HttpResult& response);

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
  Result<ctl::HttpResult> call(const ApiCall& call);

  ctl::Endpoint server_;
  std::string device_id_;
  std::string access_token_;
};

// The Error a failed response carries: the API's {"error":{"code","message",
// "field"}} when the body holds one, else the status and the start of the body.
Error response_error(const ctl::HttpResult& response);

}  // namespace webgames::play
