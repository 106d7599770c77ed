// Access tokens (JWT, EdDSA) as every authenticated route reads them:
// AccessTokens::verify (auth/access_tokens.h) over auth/jwt.cpp's
// verify_jwt. See token_input.h for the input. Promised: a principal only
// from a token signed by the key, with an account id and a role; the second
// verification of an accepted token (from the cache) agrees with the first.
// A refused token is verified once: AccessTokens remembers only what it
// accepted, so a second verification would only redo the first's signature
// check on the same state (it took a third of the harness's time).

#include "auth/access_tokens.h"
#include "fuzz_check.h"
#include "token_input.h"

#include <cstdint>

using namespace webgames;

namespace {
const Ed25519Key& signing_key() {
  static const Ed25519Key key = Ed25519Key::generate();
  return key;
}
const ManualClock& fuzz_clock() {
  static const ManualClock c;  // 2023-11-14
  return c;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto token = fuzz::token_from_input(data, size, signing_key());
  AccessTokens tokens(signing_key(), fuzz_clock());
  auto first = tokens.verify(token);
  if (!first) {
    FUZZ_CHECK(first.error().code == Errc::unauthenticated || first.error().code == Errc::token_expired);
    return 0;
  }
  auto second = tokens.verify(token);
  FUZZ_CHECK(second);
  FUZZ_CHECK(size > 0 && (data[0] & 1) == 1);  // only a signed token gets in
  FUZZ_CHECK(!first->account_id.empty());
  FUZZ_CHECK(first->account_id == second->account_id && first->role == second->role);
  FUZZ_CHECK(first->expires_at > fuzz_clock().now());
  return 0;
}
