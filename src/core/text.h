#pragma once
// What a line of text shown to people may hold: names and titles that a
// console, a log or a player's screen prints.

#include <string_view>

namespace webgames {

// True when UTF-8 `text` holds a character that is not shown but acts: C0
// controls (NUL, BEL, newline …), DEL, C1 controls, and the bidirectional
// overrides and isolates (U+202A to U+202E, U+2066 to U+2069) that make a
// text read backwards.
bool holds_control_characters(std::string_view text);

}  // namespace webgames
