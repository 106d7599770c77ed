#pragma once
// Plays Webgames' part in tests: an Ed25519 key pair that signs join tokens
// exactly as Webgames does, made with OpenSSL directly (no server code).

#include <boost/json/object.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace webgames::sdk::testing {

class TestJoinKey {
 public:
  TestJoinKey();  // a fresh key pair

  // WEBGAMES_JOIN_KEY: the raw public key, base64url without padding.
  std::string public_base64url() const;

  // A join token for `player_id` in `session_id`, expiring `valid_for` from
  // now (negative: already expired).
  std::string join_token(std::string_view player_id, std::string_view session_id,
                         std::chrono::seconds valid_for = std::chrono::seconds(60)) const;

  // header.payload.signature over exactly these JSON texts, to forge odd tokens.
  std::string sign(std::string_view header_json, std::string_view payload_json) const;

 private:
  std::shared_ptr<EVP_PKEY> key_;
};

// The WEBGAMES_* variables of a session served by `sdk_url`, with two
// players: acc_a ("alice", team 0) and acc_b ("bob", team 1).
std::map<std::string, std::string, std::less<>> session_variables(const std::string& sdk_url, const TestJoinKey& key,
                                                                  std::string_view session_id, std::uint16_t port);

}  // namespace webgames::sdk::testing
