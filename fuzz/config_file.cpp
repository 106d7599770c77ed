// The configuration file of `webgames serve` (app/config.h): TOML read into
// a Config, then the checks of validate_config. Promised: a value or an
// Error naming the setting, never a crash.

#include "app/config.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  webgames::Config config;
  auto loaded = webgames::load_config_text(text, "webgames.toml", config);
  if (!loaded) {
    FUZZ_CHECK(!loaded.error().message.empty());
    return 0;
  }
  (void)webgames::validate_config(config);
  return 0;
}
