// Accounts, login and API keys: /v1/auth/*, /v1/account, /v1/apikeys.

#include "api/authenticate.h"
#include "api/json_body.h"
#include "api/routes.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace webgames::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::error_response;
using http::json_response;
using http::RequestContext;
using http::Response;
using http::Status;
using http::Verb;

json::object account_json(const Account& a) {
  return {{"id", a.id},
          {"username", a.username},
          {"role", to_string(a.role)},
          {"guest", a.guest},
          {"created_at", unix_seconds(a.created_at)}};
}

json::object tokens_json(const Tokens& t) {
  return {{"account", account_json(t.account)}, {"token_type", "Bearer"},
          {"access_token", t.access.token},     {"access_expires_at", unix_seconds(t.access.expires_at)},
          {"refresh_token", t.refresh.token},   {"refresh_expires_at", unix_seconds(t.refresh.expires_at)}};
}

json::object key_json(const ApiKey& k) {
  return {{"id", k.id}, {"name", k.name}, {"prefix", k.prefix}, {"created_at", unix_seconds(k.created_at)}};
}

Response tokens_response(const Result<Tokens>& r, Status ok) {
  if (!r) return error_response(r.error());
  return json_response(ok, tokens_json(*r));
}

awaitable<Response> register_account(Services& s, RequestContext& ctx) {
  auto body = read_register_body(ctx.request.body());
  if (!body) co_return error_response(body.error());
  if (body->role == Role::operator_)
    co_return error_response(make_error(Errc::forbidden,
                                        "operator accounts are not registered: an administrator makes one on the "
                                        "server with `webgames ctl operator create USERNAME`",
                                        "role"));
  if (body->role == Role::developer && !s.developer_signup)
    co_return error_response(make_error(Errc::forbidden, "developer sign-up is closed on this installation", "role"));
  if (s.rate_limits)
    if (auto r = co_await s.rate_limits->registration(ctx.client_address, body->username); !r)
      co_return error_response(r.error());
  auto result =
      co_await s.blocking.run([&] { return s.auth.register_account(body->username, body->password, body->role); });
  co_return tokens_response(result, Status::created);
}

awaitable<Response> login(Services& s, RequestContext& ctx) {
  auto body = read_login_body(ctx.request.body());
  if (!body) co_return error_response(body.error());
  if (s.rate_limits)
    if (auto r = co_await s.rate_limits->login(ctx.client_address, body->username); !r)
      co_return error_response(r.error());
  auto result = co_await s.blocking.run([&] { return s.auth.login(body->username, body->password); });
  co_return tokens_response(result, Status::ok);
}

awaitable<Response> guest(Services& s, RequestContext& ctx) {
  auto device_id = read_guest_body(ctx.request.body());
  if (!device_id) co_return error_response(device_id.error());
  if (s.rate_limits)
    if (auto r = co_await s.rate_limits->guest(ctx.client_address, *device_id); !r) co_return error_response(r.error());
  auto result = co_await s.blocking.run([&] { return s.auth.guest(*device_id); });
  co_return tokens_response(result, Status::ok);
}

awaitable<Response> refresh(Services& s, RequestContext& ctx) {
  auto token = read_refresh_body(ctx.request.body());
  if (!token) co_return error_response(token.error());
  auto result = co_await s.blocking.run([&] { return s.auth.refresh(*token); });
  co_return tokens_response(result, Status::ok);
}

awaitable<Response> logout(Services& s, RequestContext&, const Principal& who) {
  auto result = co_await s.blocking.run([&] { return s.auth.logout(who); });
  if (!result) co_return error_response(result.error());
  co_return http::no_content();
}

awaitable<Response> account(Services& s, RequestContext&, const Principal& who) {
  auto result = co_await s.blocking.run([&] { return s.catalog.account_by_id(who.account_id); });
  if (!result) co_return error_response(result.error());
  co_return json_response(Status::ok, account_json(*result));
}

awaitable<Response> create_key(Services& s, RequestContext& ctx, const Principal& who) {
  auto name = read_api_key_body(ctx.request.body());
  if (!name) co_return error_response(name.error());
  auto result = co_await s.blocking.run([&] { return s.auth.create_api_key(who.account_id, *name); });
  if (!result) co_return error_response(result.error());
  auto body = key_json(result->record);
  body["key"] = result->secret;
  co_return json_response(Status::created, body);
}

awaitable<Response> list_keys(Services& s, RequestContext&, const Principal& who) {
  auto result = co_await s.blocking.run([&] { return s.catalog.api_keys_of(who.account_id); });
  if (!result) co_return error_response(result.error());
  json::array items;
  for (const auto& k : *result) items.push_back(key_json(k));
  co_return json_response(Status::ok, json::object{{"items", std::move(items)}});
}

awaitable<Response> delete_key(Services& s, RequestContext& ctx, const Principal& who) {
  const auto& id = ctx.params["key"];
  auto result = co_await s.blocking.run([&]() -> Result<void> {
    auto deleted = s.catalog.delete_api_key(who.account_id, id);
    if (deleted || deleted.error().code != Errc::not_found || !sees_every_tenant(who)) return deleted;
    // An operator sees other developers' keys exist, and is told it cannot delete them.
    auto key = s.catalog.api_key_by_id(id);
    if (key) return read_only_for_operators("key");
    return deleted;
  });
  if (!result) co_return error_response(result.error());
  // What the key opened (event streams, consoles) closes as a logged-out
  // login's does, on every replica: the key's id stands for the login.
  s.tokens.revoke_login(id);
  co_return http::no_content();
}

// Binds a handler taking Services& to the Handler shape the router wants.
template <class F>
http::Handler open_route(Services& s, F f) {
  return [&s, f](RequestContext& ctx) { return f(s, ctx); };
}

}  // namespace

void add_auth_routes(http::Router& router, Services& s) {
  router.add(Verb::post, "/v1/auth/register", open_route(s, register_account));
  router.add(Verb::post, "/v1/auth/login", open_route(s, login));
  router.add(Verb::post, "/v1/auth/guest", open_route(s, guest));
  router.add(Verb::post, "/v1/auth/refresh", open_route(s, refresh));
  router.add(Verb::post, "/v1/auth/logout", authenticated(s, Access::account, with_services(s, logout)));
  router.add(Verb::get, "/v1/account", authenticated(s, Access::account, with_services(s, account)));
  router.add(Verb::post, "/v1/apikeys", authenticated(s, Access::developer, with_services(s, create_key)));
  router.add(Verb::get, "/v1/apikeys", authenticated(s, Access::developer, with_services(s, list_keys)));
  router.add(Verb::delete_, "/v1/apikeys/{key}", authenticated(s, Access::developer, with_services(s, delete_key)));
}

}  // namespace webgames::api
