#include "settings.h"

#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace arena {
namespace {

// The integer in variable `name`, or `fallback` when it is unset or empty.
int integer_variable(const char* name, int fallback, int min, int max) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  std::string_view s(text);
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || value < min || value > max)
    throw std::runtime_error(std::string(name) + " must be an integer from " + std::to_string(min) + " to " +
                             std::to_string(max));
  return value;
}

}  // namespace

Settings Settings::from_environment() {
  Settings s;
  auto& r = s.rules;
  r.tick_rate = integer_variable("ARENA_TICK_RATE", 30, 20, 60);
  r.time_limit_ticks = integer_variable("ARENA_TIME_LIMIT_S", 120, 5, 3600) * r.tick_rate;
  r.countdown_ticks = integer_variable("ARENA_COUNTDOWN_MS", 3000, 0, 10000) * r.tick_rate / 1000;
  r.hp = integer_variable("ARENA_HP", 3, 1, 20);
  // Durations of the rules are fixed in time, whatever the tick rate.
  r.bullet_lifetime_ticks = 2 * r.tick_rate;
  r.fire_cooldown_ticks = (400 * r.tick_rate + 999) / 1000;
  s.join_timeout = std::chrono::seconds(integer_variable("ARENA_JOIN_TIMEOUT_S", 30, 1, 3600));
  return s;
}

}  // namespace arena
