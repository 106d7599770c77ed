// A game file in TOML (docs/game-spec.md) as `webgames ctl games create`
// sends it (ctl/game_file.h: checked for its syntax and name), then as the
// server reads it (api/request_bodies.h, read_game_toml_body) and names the
// line of a refused field (domain/game_toml.h, toml_line_of). Promised: a
// value or an Error, never a crash; a line within the text.

#include "domain/game_toml.h"
#include "api/request_bodies.h"
#include "fuzz_check.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto game = webgames::api::read_game_toml_body(text, nullptr);
  if (game) return 0;
  FUZZ_CHECK(!game.error().message.empty());
  const auto& field = game.error().field;
  int line = webgames::toml_line_of(text, field == "body" ? "" : field);
  FUZZ_CHECK(line >= 0 && line <= static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1);
  return 0;
}
