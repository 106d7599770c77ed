#pragma once
// The matchmaking rules of one queue (docs/matchmaking.md): team sizes,
// skill and latency windows that widen with waiting, attribute rules,
// balance, and when a match may start below its maximum. Pure data; the
// matchmaker (src/matchmaker/) applies them, validate_queue_rules refuses a
// rule set that contradicts itself.
//
// Every window is measured from the oldest ticket of a (candidate) match:
// that ticket is the match's anchor, its waiting time picks the step in force.

#include "core/error.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace webgames {

// From `after` of waiting on, the window is `value` (until the next step).
struct WindowStep {
  std::chrono::seconds after{0};
  double value = 0;
};

// Steps sorted by `after`, the first at 0 s; values never decrease. The
// value in force after `waited`; the first step's before any step applies.
double window_at(const std::vector<WindowStep>& steps, std::chrono::milliseconds waited);
// When the next step after `waited` begins, or nullopt after the last one.
std::optional<std::chrono::milliseconds> next_step_after(const std::vector<WindowStep>& steps,
                                                         std::chrono::milliseconds waited);

// Skill: every ticket of a match is within `window` (value = a skill
// difference) of the anchor's skill. A ticket without a skill counts as
// `default_skill`. Disabled when `window` is empty.
struct SkillRule {
  std::vector<WindowStep> window;
  double default_skill = 1500;  // Default: 1500
  bool enabled() const { return !window.empty(); }
};

// Latency: a match is placed in one region where every ticket's ping is at
// most `max_ping` (value = milliseconds). Disabled when empty; then the match
// still gets the region with the lowest highest ping, if its tickets share one.
struct LatencyRule {
  std::vector<WindowStep> max_ping;
  bool enabled() const { return !max_ping.empty(); }
};

// Attributes are ticket tags; the names a rule may use.
inline constexpr std::string_view kMatchAttributes[] = {"mode", "map", "platform", "version"};

enum class AttributeMust { equal, differ };
std::string_view to_string(AttributeMust m);

// equal: every ticket of a match has the same value (a missing tag is the
// value ""); differ: no two tickets of a match share a value.
struct AttributeRule {
  std::string tag;
  AttributeMust must = AttributeMust::equal;
};

struct QueueRules {
  int min_team_size = -1;  // -1 in input: 1, or 0 when min_players < teams; filled in by validation
  int max_players = 0;     // 0 in input: teams × team_size; filled in by validation
  // A match below max_players (at least min_players) may start once its
  // anchor has waited this long (whole seconds in a spec). Default: the
  // installation's (hosting.start_below_max_after_ms, 10 s)
  std::optional<std::chrono::milliseconds> start_below_max_after;
  SkillRule skill;
  LatencyRule latency;
  std::vector<AttributeRule> attributes;  // at most one rule per tag
  bool balance = false;                   // place tickets so that the teams' skill sums differ least. Default: off
};

// Limits on rule sets (documented in docs/matchmaking.md).
struct QueueRuleLimits {
  static constexpr std::size_t max_steps = 16;
  static constexpr std::int64_t max_after_s = 3600;
  static constexpr double max_skill_window = 1e6;
  static constexpr int max_ping_ms = 10'000;
  static constexpr std::size_t max_attribute_rules = 4;
};

// Checks `rules` of a queue of `teams` × `team_size` (both already valid)
// together with its `min_players` (0: max_players); `at` is the queue's path
// ("queues[1]"). Errors name the rule ("queues[1].rules.skill.window[2].max_difference:
// …"). Fills the defaults of `rules` and `min_players`.
Result<void> validate_queue_rules(QueueRules& rules, int teams, int team_size, int& min_players, const std::string& at);

}  // namespace webgames
