#include "domain/queue_rules_json.h"

#include "core/json_fields.h"

#include <fmt/format.h>

namespace webgames {
namespace {

namespace json = boost::json;

constexpr std::int64_t kIntMax = 1'000'000'000;

// [{"after_s": 0, "<value_key>": …}, …]
Result<std::vector<WindowStep>> steps_from_json(const JsonFields& f, std::string_view key, std::string_view value_key) {
  auto arr = f.array_or_null(key, QueueRuleLimits::max_steps);
  if (!arr) return arr.error();
  std::vector<WindowStep> steps;
  if (!*arr) return steps;
  for (std::size_t i = 0; i < (*arr)->size(); ++i) {
    auto s = JsonFields::of((**arr)[i], fmt::format("{}[{}]", f.path_of(key), i));
    if (!s) return s.error();
    if (auto r = s->only({"after_s", value_key}); !r) return r.error();
    auto after = s->integer("after_s", -kIntMax, kIntMax);
    if (!after) return after.error();
    if (!s->has(value_key))
      return make_error(Errc::invalid_request, s->path_of(value_key) + " is required", s->path_of(value_key));
    auto value = s->number_or(value_key, -1e12, 1e12, 0);
    if (!value) return value.error();
    steps.push_back({std::chrono::seconds(*after), *value});
  }
  return steps;
}

json::array steps_to_json(const std::vector<WindowStep>& steps, std::string_view value_key) {
  json::array out;
  for (const auto& s : steps) out.push_back(json::object{{"after_s", s.after.count()}, {value_key, s.value}});
  return out;
}

}  // namespace

Result<QueueRules> queue_rules_from_json(const json::value& value, const std::string& path) {
  auto f = JsonFields::of(value, path);
  if (!f) return f.error();
  if (auto r = f->only(
          {"min_team_size", "max_players", "start_below_max_after_s", "skill", "latency", "attributes", "balance"});
      !r)
    return r.error();
  QueueRules rules;
  // Bounded below here: the defaults' markers (-1, 0) given as values would
  // otherwise be taken silently for the default.
  auto min_team = f->integer_or("min_team_size", 0, kIntMax, rules.min_team_size);
  if (!min_team) return min_team.error();
  rules.min_team_size = static_cast<int>(*min_team);
  auto max_players = f->integer_or("max_players", 1, kIntMax, rules.max_players);
  if (!max_players) return max_players.error();
  rules.max_players = static_cast<int>(*max_players);
  if (f->has("start_below_max_after_s")) {
    auto below = f->integer("start_below_max_after_s", -kIntMax, kIntMax);
    if (!below) return below.error();
    rules.start_below_max_after = std::chrono::seconds(*below);
  }

  if (auto skill = f->object().find("skill"); skill != f->object().end()) {
    auto s = JsonFields::of(skill->value(), f->path_of("skill"));
    if (!s) return s.error();
    if (auto r = s->only({"window", "default"}); !r) return r.error();
    auto window = steps_from_json(*s, "window", "max_difference");
    if (!window) return window.error();
    rules.skill.window = std::move(*window);
    auto def = s->number_or("default", -1e12, 1e12, rules.skill.default_skill);
    if (!def) return def.error();
    rules.skill.default_skill = *def;
  }
  if (auto latency = f->object().find("latency"); latency != f->object().end()) {
    auto l = JsonFields::of(latency->value(), f->path_of("latency"));
    if (!l) return l.error();
    if (auto r = l->only({"max_ping"}); !r) return r.error();
    auto max_ping = steps_from_json(*l, "max_ping", "max_ms");
    if (!max_ping) return max_ping.error();
    rules.latency.max_ping = std::move(*max_ping);
  }
  auto attributes = f->array_or_null("attributes", QueueRuleLimits::max_attribute_rules);
  if (!attributes) return attributes.error();
  if (*attributes) {
    for (std::size_t i = 0; i < (*attributes)->size(); ++i) {
      auto a = JsonFields::of((**attributes)[i], fmt::format("{}[{}]", f->path_of("attributes"), i));
      if (!a) return a.error();
      if (auto r = a->only({"tag", "must"}); !r) return r.error();
      auto tag = a->string("tag", 64);
      if (!tag) return tag.error();
      auto must = a->string("must", 16);
      if (!must) return must.error();
      AttributeRule rule{std::move(*tag), AttributeMust::equal};
      if (*must == "differ")
        rule.must = AttributeMust::differ;
      else if (*must != "equal")
        return make_error(Errc::invalid_field, a->path_of("must") + ": must be \"equal\" or \"differ\"",
                          a->path_of("must"));
      rules.attributes.push_back(std::move(rule));
    }
  }
  if (auto balance = f->object().find("balance"); balance != f->object().end()) {
    if (!balance->value().is_bool())
      return make_error(Errc::invalid_request, f->path_of("balance") + " must be true or false", f->path_of("balance"));
    rules.balance = balance->value().get_bool();
  }
  return rules;
}

json::object queue_rules_to_json(const QueueRules& rules) {
  json::array attributes;
  for (const auto& a : rules.attributes)
    attributes.push_back(json::object{{"tag", a.tag}, {"must", to_string(a.must)}});
  json::object out{
      {"min_team_size", rules.min_team_size},
      {"max_players", rules.max_players},
      {"skill", json::object{{"window", steps_to_json(rules.skill.window, "max_difference")},
                             {"default", rules.skill.default_skill}}},
      {"latency", json::object{{"max_ping", steps_to_json(rules.latency.max_ping, "max_ms")}}},
      {"attributes", std::move(attributes)},
      {"balance", rules.balance},
  };
  if (rules.start_below_max_after)  // else the installation's, which may change
    out["start_below_max_after_s"] =
        std::chrono::duration_cast<std::chrono::seconds>(*rules.start_below_max_after).count();
  return out;
}

}  // namespace webgames
