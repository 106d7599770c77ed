#include "join_token.h"

#include "base64url.h"

#include <openssl/evp.h>

#include <boost/json/parse.hpp>

namespace webgames::sdk::detail {
namespace {

namespace json = boost::json;

Error refuse(std::string_view code, std::string message) { return Error{std::string(code), std::move(message), 0}; }

// Parses base64url-encoded JSON that must be an object.
std::optional<json::object> decode_object(std::string_view part) {
  auto text = base64url_decode(part);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  auto value = json::parse(*text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

const json::string* string_claim(const json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

}  // namespace

JoinKey::JoinKey(EVP_PKEY* key) : key_(key, EVP_PKEY_free) {}

std::optional<JoinKey> JoinKey::from_base64url(std::string_view text) {
  auto raw = base64url_decode(text);
  if (!raw || raw->size() != 32) return std::nullopt;
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(raw->data()), raw->size());
  if (key == nullptr) return std::nullopt;
  return JoinKey(key);
}

bool JoinKey::verify(std::string_view message, std::string_view signature) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

Expected<std::string> verify_join_token(std::string_view token, const JoinKey& key, std::string_view session_id,
                                        std::int64_t now_unix) {
  auto claims = verify_join_claims(token, key, session_id, now_unix);
  if (!claims) return claims.error();
  return std::move(claims->player);
}

Expected<JoinClaims> verify_join_claims(std::string_view token, const JoinKey& key, std::string_view session_id,
                                        std::int64_t now_unix) {
  using namespace join_refusal;
  if (token.size() > kMaxJoinTokenBytes) return refuse(malformed, "token is too long");
  auto dot1 = token.find('.');
  auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return refuse(malformed, "token is not a JWT");

  auto header = decode_object(token.substr(0, dot1));
  auto payload = decode_object(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!header || !payload || !signature) return refuse(malformed, "token is not base64url-encoded JSON");

  // The algorithm is checked before the signature: "none" or an HMAC must
  // never be taken for a signature check that passed.
  auto* alg = string_claim(*header, "alg");
  if (alg == nullptr || *alg != "EdDSA") return refuse(bad_signature, "token is not signed with EdDSA");
  if (!key.verify(token.substr(0, dot2), *signature)) return refuse(bad_signature, "token signature is invalid");

  auto* typ = string_claim(*payload, "typ");
  if (typ == nullptr || *typ != "join") return refuse(malformed, "not a join token");
  auto* sid = string_claim(*payload, "sid");
  if (sid == nullptr) return refuse(malformed, "token has no session");
  if (*sid != session_id) return refuse(wrong_session, "token is for another session");
  auto* exp = payload->if_contains("exp");
  if (exp == nullptr || !exp->is_number()) return refuse(malformed, "token has no expiry");
  boost::system::error_code ec;
  auto exp_seconds = exp->to_number<double>(ec);
  if (ec) return refuse(malformed, "token expiry is not a number");
  if (exp_seconds <= static_cast<double>(now_unix)) return refuse(expired, "token has expired");
  auto* sub = string_claim(*payload, "sub");
  if (sub == nullptr || sub->empty()) return refuse(malformed, "token has no player");
  JoinClaims claims{std::string(*sub), {}, std::nullopt};
  if (auto* name = string_claim(*payload, "name")) claims.name = std::string(*name);
  if (auto* team = payload->if_contains("team");
      team != nullptr && team->is_int64() && team->get_int64() >= 0 && team->get_int64() < 1000)
    claims.team = static_cast<int>(team->get_int64());
  return claims;
}

}  // namespace webgames::sdk::detail
