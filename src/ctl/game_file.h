#pragma once
// A game file (TOML, docs/game-spec.md) as ctl sends it: the text as it is,
// with Content-Type application/toml, so that the server names the line of
// every field it refuses. Read here only for TOML's syntax and the game's
// name (the server validates the game).

#include "core/error.h"

#include <string>

namespace webgames::ctl {

struct GameFile {
  std::string toml;  // the file's text, unchanged
  std::string name;  // its top-level `name = "…"`; "" when it has none
};

// The file at `path`; invalid_request ("path:line:column: what") when it
// cannot be read or is not TOML.
Result<GameFile> read_game_file(const std::string& path);

}  // namespace webgames::ctl
