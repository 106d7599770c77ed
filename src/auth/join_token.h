#pragma once
// Join tokens seen from the API: the relay (GET /v1/sessions/{id}/connect)
// checks one before it connects a player to the session's server. The game
// server checks the same token again, offline, with the SDK's verifier
// (sdk/cpp/src/join_token.h); both follow docs/server-sdk.md#join-tokens.

#include "auth/key_ring.h"
#include "core/clock.h"
#include "core/error.h"

#include <string>
#include <string_view>

namespace webgames {

// The player ("sub") a join token admits to `session_id`: signed by a key of
// `keys` (the one its "kid" names),
// "typ" "join", "sid" `session_id`, "exp" after `now`. unauthenticated
// (field "token") on any defect, token_expired when only "exp" is past.
// Thread-safe.
Result<std::string> verify_join_token(std::string_view token, const KeyRing& keys, std::string_view session_id,
                                      TimePoint now);

}  // namespace webgames
