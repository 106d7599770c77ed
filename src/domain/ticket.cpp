#include "domain/ticket.h"

#include "core/json_fields.h"

#include <fmt/format.h>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cctype>

namespace webgames {

namespace json = boost::json;

namespace {

bool is_region_name(std::string_view name) {
  auto plain = [](unsigned char c) { return std::isalnum(c) != 0; };
  return !name.empty() && plain(name[0]) && std::all_of(name.begin(), name.end(), [&](unsigned char c) {
    return plain(c) || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

std::string_view to_string(TicketState s) {
  switch (s) {
    case TicketState::queued:
      return "queued";
    case TicketState::matched:
      return "matched";
    case TicketState::cancelled:
      return "cancelled";
    case TicketState::expired:
      return "expired";
  }
  return "queued";
}

Result<TicketAttributes> ticket_attributes_from_json(const json::value& body) {
  auto f = JsonFields::of(body);
  if (!f) return f.error();
  if (auto r = f->only({"skill", "pings", "tags"}); !r) return r.error();
  TicketAttributes a;
  if (f->has("skill")) {
    auto skill = f->number_or("skill", -1e6, 1e6, 0);
    if (!skill) return skill.error();
    a.skill = *skill;
  }
  auto pings = f->object_or_null("pings", 16);
  if (!pings) return pings.error();
  if (*pings) {
    auto pf = JsonFields::of(f->object().at("pings"), "pings").value();
    for (const auto& kv : **pings) {
      std::string region(kv.key());
      // Regions reach the game server (WEBGAMES_REGION) and the logs as they are.
      if (region.empty() || region.size() > 32 || !is_region_name(region))
        return make_error(Errc::invalid_field,
                          "pings: region names are 1 to 32 of a-z, A-Z, 0-9, '.', '_' and '-', starting with a "
                          "letter or digit",
                          "pings");
      auto ms = pf.integer(region, 0, 10'000);
      if (!ms) return ms.error();
      a.pings[region] = static_cast<int>(*ms);
    }
  }
  auto tags = f->object_or_null("tags", 16);
  if (!tags) return tags.error();
  if (*tags) {
    auto tf = JsonFields::of(f->object().at("tags"), "tags").value();
    for (const auto& kv : **tags) {
      std::string name(kv.key());
      if (name.empty() || name.size() > 32)
        return make_error(Errc::invalid_field, "tags: names are 1 to 32 bytes", "tags");
      auto value = tf.string(name, 64);
      if (!value) return value.error();
      a.tags[name] = std::move(*value);
    }
  }
  return a;
}

json::object ticket_to_json(const Ticket& t) {
  json::array players;
  for (const auto& p : t.players) players.emplace_back(p);
  json::object attributes;
  if (t.attributes.skill) attributes["skill"] = *t.attributes.skill;
  json::object pings;
  for (const auto& [k, v] : t.attributes.pings) pings[k] = v;
  attributes["pings"] = std::move(pings);
  json::object tags;
  for (const auto& [k, v] : t.attributes.tags) tags[k] = v;
  attributes["tags"] = std::move(tags);
  json::object out{{"id", t.id},
                   {"game", t.game},
                   {"queue", t.queue},
                   {"state", to_string(t.state)},
                   {"players", std::move(players)},
                   {"attributes", std::move(attributes)},
                   {"created_at", unix_seconds(t.created_at)},
                   {"expires_at", unix_seconds(t.expires_at)}};
  if (!t.party_id.empty()) out["party_id"] = t.party_id;
  if (!t.match_id.empty()) out["match_id"] = t.match_id;
  if (!t.session_id.empty()) out["session_id"] = t.session_id;
  return out;
}

}  // namespace webgames
