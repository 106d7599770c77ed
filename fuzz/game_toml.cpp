// A game file in TOML (docs/game-spec.md) as `webgames ctl games create`
// reads it (ctl/game_file.h), then as the server reads the JSON it sends
// (api/request_bodies.h). Promised: a value or an Error, never a crash.

#include "api/request_bodies.h"
#include "ctl/game_file.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = webgames::ctl::game_toml_as_json(text, "game.toml");
  if (!json) {
    FUZZ_CHECK(!json.error().message.empty());
    return 0;
  }
  (void)webgames::api::read_game_body(*json, nullptr);
  return 0;
}
