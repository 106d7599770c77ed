#include "settings.h"

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace shifumi {
namespace {

// The integer in variable `name`, or `fallback` when it is unset.
int integer_variable(const char* name, int fallback, int min, int max) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  std::string_view s(text);
  if (s.size() > 6 || s.find_first_not_of("0123456789") != std::string_view::npos || std::stoi(std::string(s)) < min ||
      std::stoi(std::string(s)) > max)
    throw std::runtime_error(std::string(name) + " must be an integer from " + std::to_string(min) + " to " +
                             std::to_string(max));
  return std::stoi(std::string(s));
}

}  // namespace

Settings Settings::from_environment() {
  Settings s;
  s.best_of = integer_variable("SHIFUMI_ROUNDS", s.best_of, 1, 99);
  if (s.best_of % 2 == 0) throw std::runtime_error("SHIFUMI_ROUNDS must be odd");
  s.join_timeout = std::chrono::seconds(integer_variable("SHIFUMI_JOIN_TIMEOUT_S", 60, 1, 3600));
  s.rejoin_timeout = std::chrono::seconds(integer_variable("SHIFUMI_REJOIN_TIMEOUT_S", 10, 1, 3600));
  return s;
}

}  // namespace shifumi
