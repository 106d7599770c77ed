#pragma once
// A game spec written in TOML (docs/game-spec.md) as the JSON the game
// readers take: the TOML document converted value for value, nothing
// checked beyond TOML's syntax (game_from_json and validate_game check the
// game). The server reads a TOML body with it (Content-Type:
// application/toml), `webgames ctl` a game file. Pure: no I/O.

#include "core/error.h"

#include <string>
#include <string_view>

namespace webgames {

// The JSON text of the TOML `text`; invalid_request when it is not TOML or
// nests tables and arrays deeper than 32 levels (as deep as a JSON body may),
// its message "source:line:column: what" (`source` names the text), its
// field empty.
Result<std::string> game_toml_as_json(std::string_view text, std::string_view source);

// The line (from 1) in the TOML `text` of the value at the JSON path
// `field` ("queues[1].rules.skill.window[0].max_difference"), or of its
// nearest ancestor that the text holds ("queues[1]" when the queue has no
// rules); 0 when the text holds none of them (the top level has no line).
// When the text is not TOML, or nests too deep: the line of its first
// fault, whatever `field`.
int toml_line_of(std::string_view text, std::string_view field);

}  // namespace webgames
