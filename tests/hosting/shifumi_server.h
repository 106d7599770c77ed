#pragma once
// Where the tests find Shifumi's game server, and the rule for its absence:
// skipped when it has not been built, unless CI is set (then a failure).

#include <gtest/gtest.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace webgames::testing {

inline std::string shifumi_server() {
  if (const char* p = std::getenv("SHIFUMI_SERVER_PATH"); p != nullptr && *p != '\0') return p;
  return SHIFUMI_SERVER_PATH;
}

inline bool ci_is_set() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  std::string v = ci;
  return !v.empty() && v != "0" && v != "false";
}

// Flags of `webgames serve` for Shifumi: its SDK heartbeats every 5 s (the default deadline).
inline std::vector<std::string> shifumi_serve_flags() {
  return {"--ready-timeout-ms",  "10000", "--heartbeat-interval-ms", "5000",
          "--missed-heartbeats", "3",     "--stop-grace-ms",         "2000"};
}

// The server spec of the game: best of `rounds`.
inline boost::json::object shifumi_server_spec(int rounds, int max_duration_s) {
  return {{"command", shifumi_server()},
          {"env", boost::json::object{{"SHIFUMI_ROUNDS", std::to_string(rounds)}}},
          {"ports", boost::json::array{boost::json::object{{"name", "game"}}}},
          {"max_duration_s", max_duration_s}};
}

}  // namespace webgames::testing

#define REQUIRE_SHIFUMI()                                                                                     \
  do {                                                                                                        \
    if (::access(::webgames::testing::shifumi_server().c_str(), X_OK) != 0) {                                 \
      if (::webgames::testing::ci_is_set())                                                                   \
        FAIL() << "shifumi-server is missing at " << ::webgames::testing::shifumi_server() << " (CI is set)"; \
      GTEST_SKIP() << "shifumi-server is not built at " << ::webgames::testing::shifumi_server()              \
                   << " (build it, or set SHIFUMI_SERVER_PATH); under CI=true this fails";                    \
    }                                                                                                         \
  } while (0)
