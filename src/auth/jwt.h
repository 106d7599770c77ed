#pragma once
// JSON Web Tokens signed with EdDSA (Ed25519), RFC 7519 and RFC 8037.
// Only "alg":"EdDSA" is accepted: a token naming another algorithm is refused
// before any signature check.

#include "auth/ed25519.h"
#include "auth/key_ring.h"
#include "core/clock.h"
#include "core/error.h"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace webgames {

// header.payload.signature, with "kid" set to the key's id.
std::string sign_jwt(const boost::json::object& claims, const Ed25519Key& key);

// Checks the form, the algorithm, the signature (with the key of `keys` the
// header's "kid" names) and "exp" against `now`. unauthenticated on any
// defect (a token naming no key of the ring is refused before any signature
// check); token_expired when only "exp" is past.
Result<boost::json::object> verify_jwt(std::string_view token, const KeyRing& keys, TimePoint now);

// Longest token we read; a longer Authorization header is refused unread.
inline constexpr std::size_t kMaxTokenBytes = 2048;

}  // namespace webgames
