#pragma once
// Offline verification of join tokens: JWTs signed with Ed25519 (RFC 8037)
// by Webgames, whose public key the game server receives as WEBGAMES_JOIN_KEY.

#include "webgames/sdk.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace webgames::sdk::detail {

// An Ed25519 public key. Thread-safe: verify() may run on many threads at once.
class JoinKey {
 public:
  // From 32 raw bytes in unpadded base64url; empty if that is not what `text` holds.
  static std::optional<JoinKey> from_base64url(std::string_view text);
  bool verify(std::string_view message, std::string_view signature) const;

 private:
  explicit JoinKey(EVP_PKEY* key);
  std::shared_ptr<EVP_PKEY> key_;
};

// Longest token read; a longer one is refused as malformed unparsed.
inline constexpr std::size_t kMaxJoinTokenBytes = 4096;

// Checks, in this order: the form, "alg" EdDSA, the signature, "typ" "join",
// "sid" == `session_id`, "exp" > `now_unix`, "sub" a non-empty string.
// Returns "sub"; whether it names a player is the caller's check.
Expected<std::string> verify_join_token(std::string_view token, const JoinKey& key, std::string_view session_id,
                                        std::int64_t now_unix);

// What a verified token says of its player. Tokens of Webgames since
// backfill carry "name" and "team": a player who joined the session after it
// started (backfill) is known from them.
struct JoinClaims {
  std::string player;
  std::string name;
  std::optional<int> team;
};
// The checks of verify_join_token, returning every claim read.
Expected<JoinClaims> verify_join_claims(std::string_view token, const JoinKey& key, std::string_view session_id,
                                        std::int64_t now_unix);

}  // namespace webgames::sdk::detail
