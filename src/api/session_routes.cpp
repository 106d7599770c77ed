// Sessions as players and developers see them: /v1/sessions/{session},
// /v1/sessions/{session}/log and /v1/games/{game}/sessions.

#include "api/authenticate.h"
#include "api/game_lookup.h"
#include "api/query_params.h"
#include "api/routes.h"
#include "loop/run_on.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <charconv>
#include <fstream>

namespace webgames::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::error_response;
using http::RequestContext;
using http::Response;
using http::Status;
using http::Verb;

constexpr std::size_t kMaxLogBytes = 1 << 20;  // the tail of the log a request returns

Error no_session() { return make_error(Errc::not_found, "no such session", "session"); }

bool plays_in(const Session& s, const std::string& player) {
  return std::any_of(s.players.begin(), s.players.end(), [&](const SessionPlayer& p) { return p.id == player; });
}

// The live session if there is one, else the recorded one.
awaitable<Result<Session>> find_session(Services& s, const std::string& id) {
  auto live = co_await run_on(s.hosting, [&] { return s.director.live_session(id); });
  if (live) co_return live;
  auto stored = co_await s.blocking.run([&] { return s.catalog.session_by_id(id); });
  if (!stored) co_return stored.error().code == Errc::not_found ? no_session() : stored.error();
  co_return stored;
}

awaitable<Response> get_session(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& id = ctx.params["session"];
  if (id.size() > 64) co_return error_response(no_session());
  auto session = co_await find_session(s, id);
  if (!session) co_return error_response(session.error());
  bool player = plays_in(*session, who.account_id);
  if (!player && session->owner_id != who.account_id) co_return error_response(no_session());
  auto body = session_to_json(*session);
  if (player) {
    // A fresh join token, for a client that reconnects after the first one expired.
    auto assignment = co_await run_on(s.hosting, [&] { return s.director.assignment(id, who.account_id); });
    if (assignment) body["assignment"] = std::move(*assignment);
  }
  co_return http::json_response(Status::ok, body);
}

awaitable<Response> session_log(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& id = ctx.params["session"];
  if (id.size() > 64) co_return error_response(no_session());
  auto session = co_await find_session(s, id);
  if (!session) co_return error_response(session.error());
  if (session->owner_id != who.account_id) co_return error_response(no_session());
  auto text = co_await s.blocking.run([&] {
    std::ifstream in(s.sessions_dir / session->id / "server.log", std::ios::binary);
    if (!in) return std::string();
    in.seekg(0, std::ios::end);
    auto size = static_cast<std::size_t>(in.tellg());
    auto start = size > kMaxLogBytes ? size - kMaxLogBytes : 0;
    in.seekg(static_cast<std::streamoff>(start));
    std::string out(size - start, '\0');
    in.read(out.data(), static_cast<std::streamsize>(out.size()));
    return out;
  });
  http::Response res{Status::ok, 11};
  res.set(http::beast_http::field::content_type, "text/plain; charset=utf-8");
  res.body() = std::move(text);
  co_return res;
}

awaitable<Response> game_sessions(Services& s, RequestContext& ctx, const Principal& who) {
  auto game = co_await lookup_game(s, ctx.params["game"]);
  if (!game) co_return error_response(game.error());
  if ((*game)->game.owner_id != who.account_id)
    co_return error_response(make_error(Errc::not_found, "no such game", "game"));
  auto limit = limit_param(ctx.request, 50, 500);
  if (!limit) co_return error_response(limit.error());
  // By the game's id: the sessions of an earlier game of this name (deleted,
  // maybe another developer's) are not this game's.
  auto game_id = (*game)->game.id;
  auto sessions = co_await s.blocking.run([&] { return s.catalog.sessions_of_game(game_id, *limit); });
  if (!sessions) co_return error_response(sessions.error());
  json::array items;
  for (const auto& session : *sessions) items.push_back(session_to_json(session));
  co_return http::json_response(Status::ok, json::object{{"items", std::move(items)}});
}

}  // namespace

void add_session_routes(http::Router& router, Services& s) {
  router.add(Verb::get, "/v1/sessions/{session}",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, get_session))));
  router.add(Verb::get, "/v1/sessions/{session}/log",
             owner_only(s.lobby_place, authenticated(s, Access::developer, with_services(s, session_log))));
  router.add(Verb::get, "/v1/games/{game}/sessions",
             authenticated(s, Access::developer, with_services(s, game_sessions)));
}

}  // namespace webgames::api
