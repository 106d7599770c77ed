// Parties: /v1/parties. Any logged-in player may lead or join one.

#include "api/authenticate.h"
#include "api/json_body.h"
#include "api/lobby_change.h"
#include "api/routes.h"
#include "loop/run_on.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace webgames::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::error_response;
using http::RequestContext;
using http::Response;
using http::Status;
using http::Verb;

json::object party_json(const Party& p) {
  json::array members;
  for (const auto& m : p.members) members.emplace_back(m);
  return {{"id", p.id},
          {"code", p.code},
          {"leader_id", p.leader_id},
          {"members", std::move(members)},
          {"created_at", unix_seconds(p.created_at)}};
}

Response party_response(const Result<Party>& r, Status ok) {
  if (!r) return error_response(r.error());
  return http::json_response(ok, party_json(*r));
}

awaitable<Response> create_party(Services& s, RequestContext& ctx, const Principal& who) {
  if (s.rate_limits)
    if (auto r = co_await s.rate_limits->party_create(ctx.client_address, who.account_id); !r)
      co_return error_response(r.error());
  auto r = co_await change_lobby(s, [&] { return s.lobby.create_party(player_of(who)); });
  co_return party_response(r, Status::created);
}

awaitable<Response> join_party(Services& s, RequestContext& ctx, const Principal& who) {
  auto code = read_join_party_body(ctx.request.body());
  if (!code) co_return error_response(code.error());
  if (s.rate_limits)
    if (auto r = co_await s.rate_limits->party_join(ctx.client_address, who.account_id); !r)
      co_return error_response(r.error());
  auto r = co_await change_lobby(s, [&] { return s.lobby.join_party(player_of(who), *code); });
  co_return party_response(r, Status::ok);
}

awaitable<Response> get_party(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& id = ctx.params["party"];
  auto r = co_await run_on(s.hosting, [&] { return s.lobby.party(player_of(who), id); });
  co_return party_response(r, Status::ok);
}

awaitable<Response> leave_party(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& id = ctx.params["party"];
  auto r = co_await change_lobby(s, [&] { return s.lobby.leave_party(player_of(who), id); });
  co_return r ? http::no_content() : error_response(r.error());
}

awaitable<Response> disband_party(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& id = ctx.params["party"];
  auto r = co_await change_lobby(s, [&] { return s.lobby.disband_party(player_of(who), id); });
  co_return r ? http::no_content() : error_response(r.error());
}

}  // namespace

void add_party_routes(http::Router& router, Services& s) {
  router.add(Verb::post, "/v1/parties",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, create_party))));
  router.add(Verb::post, "/v1/parties/join",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, join_party))));
  router.add(Verb::get, "/v1/parties/{party}",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, get_party))));
  router.add(Verb::post, "/v1/parties/{party}/leave",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, leave_party))));
  router.add(Verb::delete_, "/v1/parties/{party}",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, disband_party))));
}

}  // namespace webgames::api
