// Sessions as players, developers and operators see them: /v1/sessions,
// /v1/sessions/{session}, /v1/sessions/{session}/log and
// /v1/games/{game}/sessions. A developer sees their games' sessions, an
// operator every one; a player the sessions they play in.

#include "api/authenticate.h"
#include "api/game_lookup.h"
#include "api/query_params.h"
#include "api/routes.h"
#include "api/session_query.h"
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

constexpr std::size_t kMaxLogBytes = 1 << 20;  // the most of the log one request returns
// ?offset= beyond this is refused: a server log is never that large.
constexpr std::uint64_t kMaxLogOffset = std::uint64_t{1} << 50;

Error no_session() { return make_error(Errc::not_found, "no such session", "session"); }

json::object rating_json(const Rating& r) { return {{"mu", r.mu}, {"sigma", r.sigma}, {"ordinal", r.ordinal()}}; }

// Each player's rating before and after the session (Catalog::rating_changes).
json::array rating_changes_json(const std::vector<RatingChange>& changes) {
  json::array out;
  for (const auto& c : changes)
    out.push_back(
        json::object{{"player_id", c.account_id}, {"before", rating_json(c.before)}, {"after", rating_json(c.after)}});
  return out;
}

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
  if (!player && !may_read(session->owner_id, who)) co_return error_response(no_session());
  auto body = session_to_json(*session);
  if (session->state == SessionState::ended) {
    auto changes = co_await s.blocking.run([&] { return s.catalog.rating_changes(id); });
    if (!changes) co_return error_response(changes.error());
    body["rating_changes"] = rating_changes_json(*changes);
  }
  if (player) {
    // A fresh join token, for a client that reconnects after the first one expired.
    auto assignment = co_await run_on(s.hosting, [&] { return s.director.assignment(id, who.account_id); });
    if (assignment) body["assignment"] = std::move(*assignment);
  }
  co_return http::json_response(Status::ok, body);
}

// `?offset=N`: the bytes from N on (at most kMaxLogBytes), for a client that
// follows the log; without it, the last kMaxLogBytes. X-Log-Offset says where
// the body starts, X-Log-Size how long the log is now: the next read starts
// at X-Log-Offset + the body's length.
awaitable<Response> session_log(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& id = ctx.params["session"];
  if (id.size() > 64) co_return error_response(no_session());
  if (auto query = check_query(ctx.request.target(), {"offset"}); !query) co_return error_response(query.error());
  std::optional<std::uint64_t> offset;
  if (auto text = http::query_param(ctx.request.target(), "offset")) {
    std::uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (text->empty() || ec != std::errc() || ptr != text->data() + text->size() || n > kMaxLogOffset)
      co_return error_response(
          make_error(Errc::invalid_field, "offset must be a byte offset from 0 to 2^50", "offset"));
    offset = n;
  }
  auto session = co_await find_session(s, id);
  if (!session) co_return error_response(session.error());
  if (!may_read(session->owner_id, who)) co_return error_response(no_session());
  struct Slice {
    std::string text;
    std::uint64_t start = 0;
    std::uint64_t size = 0;
  };
  auto slice = co_await s.blocking.run([&] {
    Slice out;
    std::ifstream in(s.sessions_dir / session->id / "server.log", std::ios::binary);
    if (!in) return out;
    in.seekg(0, std::ios::end);
    out.size = static_cast<std::uint64_t>(in.tellg());
    out.start = offset ? std::min(*offset, out.size) : (out.size > kMaxLogBytes ? out.size - kMaxLogBytes : 0);
    auto length = std::min<std::uint64_t>(out.size - out.start, kMaxLogBytes);
    in.seekg(static_cast<std::streamoff>(out.start));
    out.text.resize(length);
    in.read(out.text.data(), static_cast<std::streamsize>(length));
    out.text.resize(static_cast<std::size_t>(in.gcount()));
    return out;
  });
  http::Response res{Status::ok, 11};
  res.set(http::beast_http::field::content_type, "text/plain; charset=utf-8");
  res.set("X-Log-Offset", std::to_string(slice.start));
  res.set("X-Log-Size", std::to_string(slice.size));
  res.body() = std::move(slice.text);
  co_return res;
}

awaitable<Response> game_sessions(Services& s, RequestContext& ctx, const Principal& who) {
  auto game = co_await lookup_game(s, ctx.params["game"]);
  if (!game) co_return error_response(game.error());
  if (!may_read((*game)->game.owner_id, who))
    co_return error_response(make_error(Errc::not_found, "no such game", "game"));
  if (auto query = check_query(ctx.request.target(), {"limit"}); !query) co_return error_response(query.error());
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

// Sessions across games: a developer's (their games'), or every one for an
// operator; filters and pages in api/session_query.h.
awaitable<Response> list_sessions(Services& s, RequestContext& ctx, const Principal& who) {
  auto query = read_session_query(ctx.request.target());
  if (!query) co_return error_response(query.error());
  if (!sees_every_tenant(who)) query->owner_id = who.account_id;
  auto page = co_await s.blocking.run([&] { return s.catalog.list_sessions(*query); });
  if (!page) co_return error_response(page.error());
  json::array items;
  for (const auto& session : page->items) items.push_back(session_to_json(session));
  json::object body{{"items", std::move(items)}};
  body["next_cursor"] = page->next ? json::value(session_cursor_text(*page->next)) : json::value(nullptr);
  co_return http::json_response(Status::ok, body);
}

}  // namespace

void add_session_routes(http::Router& router, Services& s) {
  router.add(Verb::get, "/v1/sessions", authenticated(s, Access::developer, with_services(s, list_sessions)));
  router.add(Verb::get, "/v1/sessions/{session}",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, get_session))));
  router.add(Verb::get, "/v1/sessions/{session}/log",
             owner_only(s.lobby_place, authenticated(s, Access::developer, with_services(s, session_log))));
  router.add(Verb::get, "/v1/games/{game}/sessions",
             authenticated(s, Access::developer, with_services(s, game_sessions)));
}

}  // namespace webgames::api
