#pragma once
// The end report a game server sends (POST /v1/sdk/sessions/{id}/end,
// docs/server-sdk.md): {"results": [{"player_id"|"team", "score", "rank", "data"}…]}.
// Pure.

#include "core/error.h"
#include "domain/session.h"

#include <boost/json/value.hpp>

#include <string>

namespace webgames {

// Checks the report against session `s` and returns its results as JSON
// text ("[]" when absent): at most 1000 entries; each names a player of the
// session or one of its teams, "score" a number, "rank" an integer ≥ 1,
// "data" at most 16 KiB serialized. Unknown fields of the body are refused.
Result<std::string> end_results_text(const boost::json::value& body, const Session& s);

}  // namespace webgames
