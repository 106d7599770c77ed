// The JSON bodies of /v1/auth/register, /login, /guest, /refresh and
// /v1/apikeys (api/request_bodies.h). The first byte picks the reader, the
// rest is the body. Promised: a value or an Error, never a crash; accepted
// strings within their bounds.

#include "api/request_bodies.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace webgames;
  using namespace webgames::api;
  switch (data[0] % 5) {
    case 0:
      if (auto r = read_register_body(body)) {
        FUZZ_CHECK(r->username.size() <= 64 && r->password.size() <= kMaxPasswordBytes + 1);
        (void)validate_username(r->username);
        (void)validate_password(r->password);
      }
      break;
    case 1:
      if (auto r = read_login_body(body)) FUZZ_CHECK(r->password.size() <= kMaxPasswordBytes + 1);
      break;
    case 2:
      if (auto r = read_guest_body(body)) {
        FUZZ_CHECK(r->size() <= 128);
        (void)validate_device_id(*r);
      }
      break;
    case 3:
      if (auto r = read_refresh_body(body)) FUZZ_CHECK(r->size() <= 128);
      break;
    case 4:
      if (auto r = read_api_key_body(body)) FUZZ_CHECK(r->size() <= 64);
      break;
  }
  return 0;
}
