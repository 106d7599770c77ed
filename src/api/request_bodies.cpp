#include "api/request_bodies.h"

#include "core/json_fields.h"
#include "domain/game_json.h"
#include "domain/game_toml.h"

#include <boost/json/object.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace webgames::api {
namespace {

// The listed string fields of the body, and no other (each at most `max` bytes).
template <std::size_t N>
Result<std::array<std::string, N>> strings(std::string_view text, const std::array<std::string_view, N>& keys,
                                           std::size_t max) {
  auto body = json_body(text);
  if (!body) return body.error();
  auto f = JsonFields::of(*body);
  if (!f) return f.error();
  for (const auto& kv : f->object()) {
    if (std::find(keys.begin(), keys.end(), std::string_view(kv.key())) == keys.end()) {
      std::string field(std::string_view(kv.key()).substr(0, 64));
      return make_error(Errc::invalid_request, "unknown field " + field, field);
    }
  }
  std::array<std::string, N> out;
  for (std::size_t i = 0; i < N; ++i) {
    auto v = f->string(keys[i], max);
    if (!v) return v.error();
    out[i] = std::move(*v);
  }
  return out;
}

Result<std::string> one_string(std::string_view text, std::string_view key, std::size_t max) {
  auto fields = strings<1>(text, {key}, max);
  if (!fields) return fields.error();
  return std::move((*fields)[0]);
}

}  // namespace

Result<boost::json::value> json_body(std::string_view body) {
  if (body.empty()) return boost::json::value(boost::json::object());
  return parse_json(body);
}

Result<RegisterBody> read_register_body(std::string_view text) {
  auto body = json_body(text);
  if (!body) return body.error();
  auto f = JsonFields::of(*body);
  if (!f) return f.error();
  if (auto r = f->only({"username", "password", "role"}); !r) return r.error();
  auto username = f->string("username", 64);
  auto password = f->string("password", kMaxPasswordBytes + 1);
  auto role_text = f->string_or("role", 16, "player");
  for (auto* r : {&username, &password, &role_text})
    if (!*r) return r->error();
  auto role = parse_role(*role_text);
  if (!role) return make_error(Errc::invalid_field, "role must be \"player\" or \"developer\"", "role");
  // Not a body error: the route refuses it (forbidden), saying how operators are made.
  return RegisterBody{std::move(*username), std::move(*password), *role};
}

Result<LoginBody> read_login_body(std::string_view text) {
  auto fields = strings<2>(text, {"username", "password"}, kMaxPasswordBytes + 1);
  if (!fields) return fields.error();
  return LoginBody{std::move((*fields)[0]), std::move((*fields)[1])};
}

Result<std::string> read_guest_body(std::string_view text) { return one_string(text, "device_id", 128); }
Result<std::string> read_refresh_body(std::string_view text) { return one_string(text, "refresh_token", 128); }
Result<std::string> read_api_key_body(std::string_view text) { return one_string(text, "name", 64); }
Result<std::string> read_join_party_body(std::string_view text) { return one_string(text, "code", 16); }

Result<Game> read_game_body(std::string_view text, const std::string* path_name) {
  auto body = json_body(text);
  if (!body) return body.error();
  if (path_name != nullptr && body->is_object()) {
    auto& object = body->get_object();
    if (!object.contains("name")) object["name"] = *path_name;
    if (auto* n = object.if_contains("name"); n->is_string() && n->get_string() != *path_name)
      return make_error(Errc::invalid_field, "name cannot be changed; it must match the path", "name");
  }
  auto game = game_from_json(*body);
  if (!game) return game.error();
  if (auto r = validate_game(*game); !r) return r.error();
  return game;
}

Result<Game> read_game_toml_body(std::string_view text, const std::string* path_name) {
  auto json = game_toml_as_json(text, "body");
  if (!json) return make_error(json.error().code, json.error().message, "body");
  return read_game_body(*json, path_name);
}

bool is_toml_media_type(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  constexpr std::string_view toml = "application/toml";
  return type.size() == toml.size() && std::equal(type.begin(), type.end(), toml.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

Result<TicketAttributes> read_ticket_body(std::string_view text) {
  auto body = json_body(text);
  if (!body) return body.error();
  return ticket_attributes_from_json(*body);
}

Result<BackfillBody> read_backfill_body(std::string_view text) {
  auto body = json_body(text);
  if (!body) return body.error();
  auto f = JsonFields::of(*body);
  if (!f) return f.error();
  if (auto r = f->only({"team", "players"}); !r) return r.error();
  auto team = f->integer_or("team", 0, 63, 0);
  if (!team) return team.error();
  auto players = f->integer("players", 1, 1000);
  if (!players) return players.error();
  return BackfillBody{static_cast<int>(*team), static_cast<int>(*players)};
}

}  // namespace webgames::api
