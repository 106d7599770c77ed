#include "test_join_key.h"

#include "base64url.h"

#include <openssl/evp.h>

#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace webgames::sdk::testing {

using detail::base64url_encode;

TestJoinKey::TestJoinKey() : key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), EVP_PKEY_free) {
  if (!key_) throw std::runtime_error("ed25519 key generation failed");
}

std::string TestJoinKey::public_base64url() const {
  std::string raw(32, '\0');
  std::size_t len = raw.size();
  EVP_PKEY_get_raw_public_key(key_.get(), reinterpret_cast<unsigned char*>(raw.data()), &len);
  return base64url_encode(raw);
}

std::string TestJoinKey::sign(std::string_view header_json, std::string_view payload_json) const {
  auto input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    throw std::runtime_error("ed25519 signing failed");
  return input + "." + base64url_encode(sig);
}

std::string TestJoinKey::join_token(std::string_view player_id, std::string_view session_id,
                                    std::chrono::seconds valid_for) const {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  boost::json::object payload{{"iss", "webgames"}, {"typ", "join"},      {"sub", player_id},
                              {"sid", session_id}, {"iat", now.count()}, {"exp", (now + valid_for).count()}};
  return sign(R"({"alg":"EdDSA","typ":"JWT","kid":"test"})", boost::json::serialize(payload));
}

std::map<std::string, std::string, std::less<>> session_variables(const std::string& sdk_url, const TestJoinKey& key,
                                                                  std::string_view session_id, std::uint16_t port) {
  return {
      {"WEBGAMES_SESSION_ID", std::string(session_id)},
      {"WEBGAMES_PORT", std::to_string(port)},
      {"WEBGAMES_PORT_GAME", std::to_string(port)},
      {"WEBGAMES_HOST", "127.0.0.1"},
      {"WEBGAMES_SDK_URL", sdk_url},
      {"WEBGAMES_SDK_SECRET", "secret-" + std::string(session_id)},
      {"WEBGAMES_JOIN_KEY", key.public_base64url()},
      {"WEBGAMES_PLAYERS", R"({"teams":[["acc_a"],["acc_b"]],"players":[{"id":"acc_a","name":"alice","team":0},)"
                           R"({"id":"acc_b","name":"bob","team":1}]})"},
  };
}

}  // namespace webgames::sdk::testing
