// The JSON body of POST /v1/games and PUT /v1/games/{game}, the game spec
// with its queues and their rules (api/request_bodies.h: game_from_json,
// queue_rules_from_json, validate_game). The first byte picks POST or PUT.
// Promised: a value or an Error; a game that was accepted is written out
// (game_to_json) and read back to the same JSON (numbers to the last bits:
// see fuzz::nearly_equal).

#include "api/request_bodies.h"
#include "domain/game_json.h"
#include "fuzz_check.h"

#include <boost/json/serialize.hpp>

#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace webgames;
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const std::string path_name = "shifumi";
  auto game = api::read_game_body(body, (data[0] & 1) ? &path_name : nullptr);
  if (!game) return 0;
  FUZZ_CHECK(is_slug(game->name));
  FUZZ_CHECK(!game->queues.empty() && game->queues.size() <= GameLimits::max_queues);
  auto text = boost::json::serialize(game_to_json(*game));
  auto again = api::read_game_body(text, nullptr);
  if (!again) {
    std::fprintf(stderr, "written: %s\nrefused: %s (%s)\n", text.c_str(), again.error().message.c_str(),
                 again.error().field.c_str());
  }
  FUZZ_CHECK(again);
  FUZZ_CHECK(fuzz::json_nearly_equal(game_to_json(*again), game_to_json(*game)));
  return 0;
}
