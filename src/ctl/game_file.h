#pragma once
// A game file (TOML, docs/game-spec.md) as the JSON body POST /v1/games
// takes: the TOML document converted value for value, nothing checked
// beyond TOML's syntax (the server validates the game).

#include "core/error.h"

#include <string>
#include <string_view>

namespace webgames::ctl {

// The file at `path`; invalid_request ("path:line:column: what") when it
// cannot be read or is not TOML.
Result<std::string> game_file_as_json(const std::string& path);
// The same for TOML text; `source` names it in errors.
Result<std::string> game_toml_as_json(std::string_view text, const std::string& source);

}  // namespace webgames::ctl
