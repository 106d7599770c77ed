#include "play/player_api.h"

#include "core/json_fields.h"
#include "domain/game.h"

#include <fmt/format.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <chrono>

namespace webgames::play {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;

constexpr std::chrono::seconds kCallTimeout{15};
constexpr std::size_t kMaxToken = 8192;

// The stable codes of core/error.h, from their wire names.
Errc errc_from(std::string_view name, unsigned status) {
  constexpr std::array codes{Errc::invalid_request, Errc::invalid_field, Errc::unauthenticated, Errc::token_expired,
                             Errc::forbidden,       Errc::not_found,     Errc::conflict,        Errc::payload_too_large,
                             Errc::quota_exceeded,  Errc::rate_limited,  Errc::unavailable,     Errc::outcome_unknown,
                             Errc::internal};
  for (auto code : codes)
    if (to_string(code) == name) return code;
  if (status == 401) return Errc::unauthenticated;
  if (status == 404) return Errc::not_found;
  if (status == 409) return Errc::conflict;
  if (status == 429) return Errc::rate_limited;
  return status >= 500 ? Errc::unavailable : Errc::invalid_request;
}

// A string field of an object in a response body; an Error naming what the server left out.
Result<std::string> body_string(const json::value& object, std::string_view key, std::string_view what) {
  auto f = JsonFields::of(object);
  if (!f) return make_error(Errc::unavailable, fmt::format("unexpected answer to {}: {}", what, f.error().message));
  auto v = f->string(key, kMaxToken);
  if (!v) return make_error(Errc::unavailable, fmt::format("unexpected answer to {}: {}", what, v.error().message));
  return v;
}

Result<json::value> body_object(const ctl::HttpResult& response, std::string_view what) {
  auto doc = parse_json(response.body);
  if (!doc || !doc->is_object())
    return make_error(Errc::unavailable,
                      fmt::format("unexpected answer to {}: {}", what, response.body.substr(0, 200)));
  return doc;
}

// Ids the server makes (tkt_…, pty_…): what may go into a path.
bool is_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
             std::string_view::npos;
}

}  // namespace

Error response_error(const ctl::HttpResult& response) {
  auto doc = parse_json(response.body);
  const json::value* error = doc && doc->is_object() ? doc->get_object().if_contains("error") : nullptr;
  if (error && error->is_object()) {
    auto f = JsonFields::of(*error).value();
    auto code = f.string_or("code", 64, "");
    auto message = f.string_or("message", 1024, "");
    auto field = f.string_or("field", 256, "");
    if (code && message && field) {
      auto text = fmt::format("{} {}: {}", response.status, *code, *message);
      if (!field->empty()) text += fmt::format(" (field {})", *field);
      return make_error(errc_from(*code, response.status), text, *field);
    }
  }
  auto body = response.body.substr(0, 200);
  return make_error(errc_from("", response.status),
                    body.empty() ? fmt::format("{}", response.status) : fmt::format("{}: {}", response.status, body));
}

ApiCall guest_login_call(std::string_view device_id) {
  return {verb::post, "/v1/auth/guest", json::serialize(json::object{{"device_id", device_id}})};
}

Result<GuestLogin> read_guest_login(const ctl::HttpResult& response) {
  if (response.status != 200) return response_error(response);
  auto body = body_object(response, "guest login");
  if (!body) return body.error();
  auto token = body_string(*body, "access_token", "guest login");
  if (!token) return token.error();
  const auto* account = body->get_object().if_contains("account");
  if (!account) return make_error(Errc::unavailable, "unexpected answer to guest login: account is missing");
  auto id = body_string(*account, "id", "guest login");
  if (!id) return id.error();
  auto username = body_string(*account, "username", "guest login");
  if (!username) return username.error();
  return GuestLogin{{std::move(*id), std::move(*username)}, std::move(*token)};
}

Result<ApiCall> create_ticket_call(std::string_view game, std::string_view queue) {
  if (!is_slug(game)) return make_error(Errc::invalid_field, fmt::format("no such game name: {}", game), "game");
  if (!is_slug(queue)) return make_error(Errc::invalid_field, fmt::format("no such queue name: {}", queue), "queue");
  return ApiCall{verb::post, fmt::format("/v1/queues/{}/{}/tickets", game, queue), "{}"};
}

Result<std::string> read_ticket_created(const ctl::HttpResult& response) {
  if (response.status != 201 && response.status != 200) return response_error(response);
  auto body = body_object(response, "ticket creation");
  if (!body) return body.error();
  return body_string(*body, "id", "ticket creation");
}

Result<ApiCall> cancel_ticket_call(std::string_view ticket_id) {
  if (!is_id(ticket_id))
    return make_error(Errc::invalid_field, fmt::format("not a ticket id: {}", ticket_id), "ticket");
  return ApiCall{verb::delete_, fmt::format("/v1/tickets/{}", ticket_id), ""};
}

ApiCall create_party_call() { return {verb::post, "/v1/parties", ""}; }

ApiCall join_party_call(std::string_view code) {
  return {verb::post, "/v1/parties/join", json::serialize(json::object{{"code", code}})};
}

Result<ApiCall> leave_party_call(std::string_view party_id) {
  if (!is_id(party_id)) return make_error(Errc::invalid_field, fmt::format("not a party id: {}", party_id), "party");
  return ApiCall{verb::post, fmt::format("/v1/parties/{}/leave", party_id), ""};
}

Result<PartyInfo> read_party(const ctl::HttpResult& response) {
  if (response.status != 201 && response.status != 200) return response_error(response);
  auto body = body_object(response, "party");
  if (!body) return body.error();
  PartyInfo party;
  for (auto [key, out] : {std::pair{"id", &party.id}, {"code", &party.code}, {"leader_id", &party.leader_id}}) {
    auto v = body_string(*body, key, "party");
    if (!v) return v.error();
    *out = std::move(*v);
  }
  if (const auto* members = body->get_object().if_contains("members"); members && members->is_array()) {
    for (const auto& m : members->get_array())
      if (m.is_string()) party.members.emplace_back(m.get_string());
  }
  return party;
}

Result<void> read_no_content(const ctl::HttpResult& response) {
  if (response.status < 200 || response.status >= 300) return response_error(response);
  return {};
}

PlayerApi::PlayerApi(ctl::Endpoint server, std::string device_id)
    : server_(std::move(server)), device_id_(std::move(device_id)) {}

Result<GuestAccount> PlayerApi::login() {
  auto c = guest_login_call(device_id_);
  auto response = ctl::http_request(server_, c.method, c.target, c.body, "", kCallTimeout);
  if (!response) return response.error();
  auto login = read_guest_login(*response);
  if (!login) return login.error();
  access_token_ = std::move(login->access_token);
  return std::move(login->account);
}

Result<ctl::HttpResult> PlayerApi::call(const ApiCall& c) {
  auto response = ctl::http_request(server_, c.method, c.target, c.body, access_token_, kCallTimeout);
  if (!response || response->status != 401) return response;
  if (auto relogged = login(); !relogged) return response;
  return ctl::http_request(server_, c.method, c.target, c.body, access_token_, kCallTimeout);
}

Result<std::string> PlayerApi::create_ticket(std::string_view game, std::string_view queue) {
  auto c = create_ticket_call(game, queue);
  if (!c) return c.error();
  auto response = call(*c);
  if (!response) return response.error();
  return read_ticket_created(*response);
}

Result<void> PlayerApi::cancel_ticket(std::string_view ticket_id) {
  auto c = cancel_ticket_call(ticket_id);
  if (!c) return c.error();
  auto response = call(*c);
  if (!response) return response.error();
  return read_no_content(*response);
}

}  // namespace webgames::play
