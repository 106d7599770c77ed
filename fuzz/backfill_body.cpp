// The JSON body of the SDK's POST /v1/sdk/sessions/{id}/backfill
// (api/request_bodies.h): accepted values stay in their documented ranges.

#include "api/request_bodies.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto b = webgames::api::read_backfill_body(body)) {
    FUZZ_CHECK(b->team >= 0 && b->team <= 63);
    FUZZ_CHECK(b->players >= 1 && b->players <= 1000);
  }
  return 0;
}
