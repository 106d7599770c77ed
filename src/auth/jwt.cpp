#include "auth/jwt.h"

#include "core/encoding.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace webgames {
namespace {

namespace json = boost::json;

// 9999-12-31T23:59:59Z.
constexpr std::int64_t kMaxExpiry = 253'402'300'799;

Error bad_token(std::string message) { return make_error(Errc::unauthenticated, std::move(message), "token"); }

}  // namespace

std::string sign_jwt(const json::object& claims, const Ed25519Key& key) {
  json::object header{{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", key.key_id()}};
  std::string signing_input = base64url_encode(json::serialize(header));
  signing_input += '.';
  signing_input += base64url_encode(json::serialize(claims));
  auto signature = key.sign(signing_input);
  signing_input += '.';
  signing_input += base64url_encode(signature);
  return signing_input;
}

Result<json::object> verify_jwt(std::string_view token, const KeyRing& keys, TimePoint now) {
  if (token.size() > kMaxTokenBytes) return bad_token("token is too long");
  auto dot1 = token.find('.');
  auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return bad_token("token is not a JWT");

  auto header_text = base64url_decode(token.substr(0, dot1));
  auto payload_text = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!header_text || !payload_text || !signature) return bad_token("token is not valid base64url");

  boost::system::error_code ec;
  auto header = json::parse(*header_text, ec);
  if (ec || !header.is_object()) return bad_token("token header is not a JSON object");
  auto* alg = header.get_object().if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->get_string() != "EdDSA")
    return bad_token("token algorithm must be EdDSA");

  auto* kid = header.get_object().if_contains("kid");
  const Ed25519Key* key = kid && kid->is_string() ? keys.find(kid->get_string()) : nullptr;
  if (key == nullptr) return bad_token("token is not signed by a key this installation accepts for this kind of token");
  if (!key->verify(token.substr(0, dot2), *signature)) return bad_token("token signature is invalid");

  auto payload = json::parse(*payload_text, ec);
  if (ec || !payload.is_object()) return bad_token("token payload is not a JSON object");
  auto* exp = payload.get_object().if_contains("exp");
  if (exp == nullptr || !exp->is_int64()) return bad_token("token has no expiry");
  // Beyond this a TimePoint (milliseconds in 64 bits) would overflow; no token of ours lives that long.
  if (exp->get_int64() < 0 || exp->get_int64() > kMaxExpiry) return bad_token("token expiry is out of range");
  if (now >= from_unix_seconds(exp->get_int64())) return make_error(Errc::token_expired, "token has expired", "token");
  return std::move(payload.get_object());
}

}  // namespace webgames
