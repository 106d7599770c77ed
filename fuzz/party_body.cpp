// The JSON body of POST /v1/parties/join (api/request_bodies.h).

#include "api/request_bodies.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto code = webgames::api::read_join_party_body(body)) FUZZ_CHECK(code->size() <= 16);
  return 0;
}
