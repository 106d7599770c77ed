// What an Arena client sends (games/arena/src/messages.h, docs/arena.md):
// accepted values stay in their documented ranges, and an accepted input fed
// to the simulation keeps every player inside the arena with finite values.

#include "fuzz_check.h"
#include "messages.h"
#include "simulation.h"

#include <cmath>
#include <cstdint>
#include <string_view>
#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto message = arena::parse_client_message(text);
  if (auto* ping = std::get_if<arena::PingMessage>(&message)) FUZZ_CHECK(ping->id >= 0);
  auto* in = std::get_if<arena::InputMessage>(&message);
  if (in == nullptr) return 0;
  FUZZ_CHECK(in->seq >= 1 && in->seq <= (std::int64_t{1} << 53) - 1);
  FUZZ_CHECK(in->input.dx >= -1 && in->input.dx <= 1 && in->input.dy >= -1 && in->input.dy <= 1);
  FUZZ_CHECK(std::isfinite(in->input.aim));

  arena::Rules rules;
  rules.countdown_ticks = 0;
  arena::Simulation sim(2, rules);
  sim.set_input(0, in->input);
  for (int t = 0; t < 40; ++t) sim.step();
  for (int i = 0; i < sim.player_count(); ++i) {
    const auto& p = sim.player(i);
    FUZZ_CHECK(std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.aim));
    FUZZ_CHECK(p.x >= rules.player_radius && p.x <= sim.map().width - rules.player_radius);
    FUZZ_CHECK(p.y >= rules.player_radius && p.y <= sim.map().height - rules.player_radius);
  }
  return 0;
}
