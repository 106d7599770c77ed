// Join tokens as a game server checks them: the server SDK's
// Session::verify_join (sdk/cpp, join_token.cpp), offline against the join
// key Webgames gives the server. See token_input.h for the input. Promised:
// a player only from a token signed by the key, for this session, not
// expired; otherwise one of the documented join_refusal codes.

#include "fuzz_check.h"
#include "token_input.h"

#include <webgames/sdk.h>

#include <chrono>
#include <cstdint>
#include <string>

using namespace webgames;

namespace {
const Ed25519Key& signing_key() {
  static const Ed25519Key key = Ed25519Key::generate();
  return key;
}
const sdk::Session& session() {
  static const sdk::Session s = sdk::Session::from_variables({
      {"WEBGAMES_SESSION_ID", "ses_fuzz"},
      {"WEBGAMES_PORT", "7000"},
      {"WEBGAMES_HOST", "127.0.0.1"},
      {"WEBGAMES_SDK_URL", "http://127.0.0.1:9"},
      {"WEBGAMES_SDK_SECRET", "secret"},
      {"WEBGAMES_JOIN_KEY", base64url_encode(signing_key().public_raw())},
      {"WEBGAMES_PLAYERS", R"({"teams":[["acc_a"],["acc_b"]],"players":[{"id":"acc_a","name":"alice","team":0},)"
                           R"({"id":"acc_b","name":"bob","team":1}]})"},
  });
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto token = fuzz::token_from_input(data, size, signing_key());
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  auto player = session().verify_join(token, now);
  if (!player) {
    const auto& code = player.error().code;
    namespace r = sdk::join_refusal;
    FUZZ_CHECK(code == r::malformed || code == r::bad_signature || code == r::expired || code == r::wrong_session ||
               code == r::not_a_player);
    return 0;
  }
  FUZZ_CHECK(size > 0 && (data[0] & 1) == 1);  // only a signed token gets in
  FUZZ_CHECK(!player->id.empty());
  return 0;
}
