#pragma once
// Whether a JSON text names a key twice in one object. Boost.JSON keeps the
// last value and drops the others without a word, so {"role":"player",
// "role":"developer"} would mean whatever its last key says, while a proxy
// or log reading the first sees another request: parse_json refuses such a
// body instead.

#include <optional>
#include <string>
#include <string_view>

namespace webgames {

// The path of the first key named twice in one object ("name", "server.env",
// "queues[1].rules"), or nullopt when there is none. Expects a text that
// json::parse accepts; on one it does not, answers nullopt.
std::optional<std::string> first_duplicate_key(std::string_view text);

}  // namespace webgames
