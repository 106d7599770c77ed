// A developer's usage and quotas: GET /v1/usage (docs/hosting.md#usage);
// an operator's of any developer (?developer=).

#include "api/authenticate.h"
#include "api/query_params.h"
#include "api/routes.h"
#include "loop/run_on.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>

namespace webgames::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::error_response;
using http::RequestContext;
using http::Response;
using http::Status;
using http::Verb;

json::object usage_json(std::int64_t sessions, const SessionUsage& u) {
  return {{"sessions", sessions},
          {"server_seconds", u.server_seconds},
          {"cpu_seconds", u.cpu_seconds},
          {"memory_mb_seconds", u.memory_mb_seconds}};
}

json::object quota_json(json::value limit, json::value used) { return {{"limit", limit}, {"used", used}}; }

// `?developer=ID|USERNAME`: another developer's usage, for an operator
// (403 for a developer asking for anyone but themselves).
awaitable<Result<std::string>> developer_of_request(Services& s, RequestContext& ctx, const Principal& who) {
  if (auto query = check_query(ctx.request.target(), {"developer"}); !query) co_return query.error();
  auto named = http::query_param(ctx.request.target(), "developer");
  if (!named || *named == who.account_id || *named == who.name) co_return who.account_id;
  if (named->empty() || named->size() > 64)
    co_return make_error(Errc::invalid_field, "developer must be an account id or a username", "developer");
  if (!sees_every_tenant(who))
    co_return make_error(Errc::forbidden, "only operators read another developer's usage", "developer");
  std::string name(*named);
  auto account = co_await s.blocking.run(
      [&] { return name.starts_with("acc_") ? s.catalog.account_by_id(name) : s.catalog.account_by_username(name); });
  if (!account)
    co_return account.error().code == Errc::not_found ? make_error(Errc::not_found, "no such developer", "developer")
                                                      : account.error();
  co_return account->id;
}

awaitable<Response> get_usage(Services& s, RequestContext& ctx, const Principal& who) {
  auto developer = co_await developer_of_request(s, ctx, who);
  if (!developer) co_return error_response(developer.error());
  const auto& me = *developer;
  struct Live {
    std::vector<Session> sessions;
    QuotaUse use;
    QuotaLimits limits;
  };
  auto live = co_await run_on(s.hosting, [&] {
    return Live{s.director.live_sessions_of(me), s.director.quota_use(me), s.director.quotas().of(me)};
  });
  auto waiting = co_await run_on(s.hosting, [&] { return s.lobby.waiting_of_developer(me); });
  auto finished = co_await s.blocking.run([&] { return s.catalog.usage_of(me); });
  if (!finished) co_return error_response(finished.error());
  auto registered = co_await s.blocking.run([&] { return s.catalog.games_of(me); });
  if (!registered) co_return error_response(registered.error());

  // Finished sessions as recorded, live ones up to now.
  std::map<std::string, GameUsage> games;
  for (auto& g : *finished) games[g.game_id] = std::move(g);
  auto now = s.clock.now();
  for (const auto& session : live.sessions) {
    auto& g = games[session.game_id];
    g.game_id = session.game_id;
    if (g.game.empty()) g.game = session.game;
    ++g.sessions;
    g.used += usage_of(session, now);
  }
  json::array items;
  std::int64_t sessions = 0;
  SessionUsage total;
  for (const auto& [id, g] : games) {
    auto item = usage_json(g.sessions, g.used);
    item["game_id"] = g.game_id;
    item["game"] = g.game;
    items.push_back(std::move(item));
    sessions += g.sessions;
    total += g.used;
  }
  json::object quotas{
      {"servers", quota_json(live.limits.servers, live.use.servers)},
      {"tickets", quota_json(live.limits.tickets, static_cast<std::int64_t>(waiting))},
      {"cpu", quota_json(live.limits.cpu, live.use.cpu)},
      {"memory_mb", quota_json(live.limits.memory_mb, live.use.memory_mb)},
      {"games", quota_json(live.limits.games, static_cast<std::int64_t>(registered->size()))},
  };
  co_return http::json_response(Status::ok, json::object{{"developer_id", me},
                                                         {"quotas", std::move(quotas)},
                                                         {"total", usage_json(sessions, total)},
                                                         {"games", std::move(items)}});
}

}  // namespace

void add_usage_routes(http::Router& router, Services& s) {
  router.add(Verb::get, "/v1/usage",
             owner_only(s.lobby_place, authenticated(s, Access::developer, with_services(s, get_usage))));
}

}  // namespace webgames::api
