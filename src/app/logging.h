#pragma once
// Sets up spdlog: the default logger ("webgames") and the "access" logger,
// both on stderr, as text or as JSON lines ({"ts","level","logger","msg"}).

#include <string>

namespace webgames {

// REQUIRES: level is trace, debug, info, warn or error; format is text or json.
void setup_logging(const std::string& level, const std::string& format);

}  // namespace webgames
