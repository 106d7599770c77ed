#include "domain/queue_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace webgames {
namespace {

Error rule_error(std::string field, std::string_view message) {
  auto text = fmt::format("{}: {}", field, message);  // before the move: argument order is unspecified
  return make_error(Errc::invalid_field, std::move(text), std::move(field));
}

Result<void> validate_steps(const std::vector<WindowStep>& steps, const std::string& at, std::string_view value_key,
                            double min_value, double max_value) {
  if (steps.size() > QueueRuleLimits::max_steps)
    return rule_error(at, fmt::format("at most {} steps", QueueRuleLimits::max_steps));
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto step = fmt::format("{}[{}]", at, i);
    auto after = steps[i].after.count();
    if (after < 0) return rule_error(step + ".after_s", "a wait cannot be negative");
    if (after > QueueRuleLimits::max_after_s)
      return rule_error(step + ".after_s", fmt::format("must be at most {} seconds", QueueRuleLimits::max_after_s));
    if (i == 0 && after != 0) return rule_error(step + ".after_s", "the first step starts at 0 seconds");
    if (i > 0 && after <= steps[i - 1].after.count())
      return rule_error(step + ".after_s", "steps must come in increasing order of after_s");
    if (!(steps[i].value >= min_value && steps[i].value <= max_value))
      return rule_error(fmt::format("{}.{}", step, value_key),
                        fmt::format("must be between {} and {}", min_value, max_value));
    if (i > 0 && steps[i].value < steps[i - 1].value)
      return rule_error(fmt::format("{}.{}", step, value_key), "a window may widen with waiting, never narrow");
  }
  return {};
}

}  // namespace

std::string_view to_string(AttributeMust m) { return m == AttributeMust::differ ? "differ" : "equal"; }

double window_at(const std::vector<WindowStep>& steps, std::chrono::milliseconds waited) {
  if (steps.empty()) return 0;
  double value = steps.front().value;
  for (const auto& s : steps) {
    if (waited < s.after) break;
    value = s.value;
  }
  return value;
}

std::optional<std::chrono::milliseconds> next_step_after(const std::vector<WindowStep>& steps,
                                                         std::chrono::milliseconds waited) {
  for (const auto& s : steps)
    if (waited < s.after) return std::chrono::duration_cast<std::chrono::milliseconds>(s.after);
  return std::nullopt;
}

Result<void> validate_queue_rules(QueueRules& r, int teams, int team_size, int& min_players, const std::string& at) {
  auto field = [&](std::string_view f) { return fmt::format("{}.rules.{}", at, f); };
  int capacity = teams * team_size;
  if (r.max_players == 0) r.max_players = capacity;
  if (r.max_players < 1 || r.max_players > capacity)
    return rule_error(field("max_players"), fmt::format("must be between 1 and teams × team_size ({})", capacity));
  if (min_players == 0) min_players = r.max_players;
  if (min_players < 1 || min_players > r.max_players)
    return make_error(Errc::invalid_field,
                      fmt::format("{}.min_players: must be between 1 and max_players ({})", at, r.max_players),
                      at + ".min_players");
  if (r.min_team_size == -1) r.min_team_size = min_players >= teams ? 1 : 0;
  if (r.min_team_size < 0 || r.min_team_size > team_size)
    return rule_error(field("min_team_size"), fmt::format("must be between 0 and team_size ({})", team_size));
  if (teams * r.min_team_size > min_players)
    return rule_error(field("min_team_size"), fmt::format("teams × min_team_size ({}) is above min_players ({})",
                                                          teams * r.min_team_size, min_players));
  if (r.start_below_max_after && r.start_below_max_after->count() < 0)
    return rule_error(field("start_below_max_after_s"), "a wait cannot be negative");
  if (r.start_below_max_after && *r.start_below_max_after > std::chrono::seconds(QueueRuleLimits::max_after_s))
    return rule_error(field("start_below_max_after_s"),
                      fmt::format("must be at most {} seconds", QueueRuleLimits::max_after_s));
  if (auto v =
          validate_steps(r.skill.window, field("skill.window"), "max_difference", 0, QueueRuleLimits::max_skill_window);
      !v)
    return v;
  if (!(r.skill.default_skill >= -1e6 && r.skill.default_skill <= 1e6))
    return rule_error(field("skill.default"), "must be between -1000000 and 1000000");
  if (auto v = validate_steps(r.latency.max_ping, field("latency.max_ping"), "max_ms", 1, QueueRuleLimits::max_ping_ms);
      !v)
    return v;
  if (r.attributes.size() > QueueRuleLimits::max_attribute_rules)
    return rule_error(field("attributes"), fmt::format("at most {} rules", QueueRuleLimits::max_attribute_rules));
  std::set<std::string> tags;
  for (std::size_t i = 0; i < r.attributes.size(); ++i) {
    const auto& tag = r.attributes[i].tag;
    auto f = field(fmt::format("attributes[{}].tag", i));
    if (std::find(std::begin(kMatchAttributes), std::end(kMatchAttributes), tag) == std::end(kMatchAttributes))
      return rule_error(
          f, fmt::format("unknown attribute \"{}\"; one of mode, map, platform, version", tag.substr(0, 64)));
    if (!tags.insert(tag).second) return rule_error(f, "one rule per attribute");
  }
  return {};
}

}  // namespace webgames
