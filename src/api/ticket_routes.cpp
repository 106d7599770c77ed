// Tickets: /v1/queues/{game}/{queue}/tickets and /v1/tickets/{ticket}.

#include "api/authenticate.h"
#include "api/game_lookup.h"
#include "api/json_body.h"
#include "api/lobby_change.h"
#include "api/routes.h"
#include "core/encoding.h"
#include "loop/run_on.h"

#include <fmt/format.h>

#include <algorithm>

namespace webgames::api {
namespace {

using boost::asio::awaitable;
using http::error_response;
using http::RequestContext;
using http::Response;
using http::Status;
using http::Verb;

// The Idempotency-Key header: at most 64 visible ASCII characters, once.
Result<std::string> request_key(const http::Request& request) {
  auto it = request.find("Idempotency-Key");
  if (it == request.end()) return std::string();
  if (request.count("Idempotency-Key") > 1)
    return make_error(Errc::invalid_field, "Idempotency-Key is given twice", "idempotency-key");
  auto key = std::string(it->value());
  if (key.empty() || key.size() > 64 ||
      !std::all_of(key.begin(), key.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; }))
    return make_error(Errc::invalid_field, "Idempotency-Key must be 1 to 64 visible ASCII characters",
                      "idempotency-key");
  return key;
}

// What a retry must repeat besides its key: the attributes as the client
// sent them (before the ratings fill in the skill), canonical (maps are
// sorted, strings length-prefixed), as 16 hex digits of their SHA-256.
std::string request_fingerprint(const TicketAttributes& a) {
  std::string text = a.skill ? fmt::format("skill={:.17g}", *a.skill) : std::string("skill=");
  for (const auto& [region, ms] : a.pings) text += fmt::format(";ping:{}:{}={}", region.size(), region, ms);
  for (const auto& [k, v] : a.tags) text += fmt::format(";tag:{}:{}={}:{}", k.size(), k, v.size(), v);
  return hex_encode(sha256(text)).substr(0, 16);
}

awaitable<Response> create_ticket(Services& s, RequestContext& ctx, const Principal& who) {
  auto key = request_key(ctx.request);
  if (!key) co_return error_response(key.error());
  auto attributes = read_ticket_body(ctx.request.body());
  if (!attributes) co_return error_response(attributes.error());
  if (s.rate_limits)
    if (auto r = co_await s.rate_limits->ticket(who.account_id); !r) co_return error_response(r.error());
  auto game = co_await lookup_game(s, ctx.params["game"]);
  if (!game) co_return error_response(game.error());
  const auto& queue = ctx.params["queue"];
  // Before the ratings are read for it (found by an attacker's audit: made-up
  // queue names filled the ratings' cache until it was cleared).
  if (auto known = has_queue((*game)->game, queue); !known) co_return error_response(known.error());
  const auto& game_id = (*game)->game.id;
  // Unless the client says otherwise, a ticket is as skilled as its
  // players' ratings in this queue (a party: their mean), read in the
  // lobby's own step from the means the ratings keep in memory. Only when
  // one is not kept yet are they read from the catalog, and the step run
  // again: at most twice.
  auto fingerprint = key->empty() ? std::string() : request_fingerprint(*attributes);
  std::optional<double> read_skill;
  Result<Ticket> ticket = make_error(Errc::internal, "ticket not created");
  for (;;) {
    std::vector<std::string> unrated;  // the holders, when a rating was not in memory
    ticket = co_await change_lobby(s, [&]() -> Result<Ticket> {
      if (!attributes->skill) {
        auto holders = s.lobby.ticket_holders(player_of(who));
        attributes->skill = s.ratings.cached_skill_of(game_id, queue, holders);
        if (!attributes->skill) attributes->skill = read_skill;
        if (!attributes->skill) {
          unrated = std::move(holders);
          return make_error(Errc::unavailable, "ratings not read yet");
        }
      }
      return s.lobby.create_ticket(player_of(who), (*game)->game, queue, std::move(*attributes), *key, fingerprint);
    });
    if (unrated.empty()) break;
    auto skill = co_await s.blocking.run([&] { return s.ratings.skill_of(game_id, queue, unrated); });
    if (!skill) co_return error_response(skill.error());
    read_skill = *skill;
  }
  if (!ticket) co_return error_response(ticket.error());
  auto res = http::json_response(Status::created, ticket_to_json(*ticket));
  res.set(http::beast_http::field::location, "/v1/tickets/" + ticket->id);
  co_return res;
}

awaitable<Response> get_ticket(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& id = ctx.params["ticket"];
  auto ticket = co_await run_on(s.hosting, [&] { return s.lobby.ticket(player_of(who), id); });
  if (!ticket) co_return error_response(ticket.error());
  co_return http::json_response(Status::ok, ticket_to_json(*ticket));
}

awaitable<Response> cancel_ticket(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& id = ctx.params["ticket"];
  auto r = co_await change_lobby(s, [&] { return s.lobby.cancel_ticket(player_of(who), id); });
  co_return r ? http::no_content() : error_response(r.error());
}

}  // namespace

void add_ticket_routes(http::Router& router, Services& s) {
  router.add(Verb::post, "/v1/queues/{game}/{queue}/tickets",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, create_ticket))));
  router.add(Verb::get, "/v1/tickets/{ticket}",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, get_ticket))));
  router.add(Verb::delete_, "/v1/tickets/{ticket}",
             owner_only(s.lobby_place, authenticated(s, Access::account, with_services(s, cancel_ticket))));
}

}  // namespace webgames::api
