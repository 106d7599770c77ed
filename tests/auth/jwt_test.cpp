#include "auth/jwt.h"

#include "core/encoding.h"

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "support/temp_dir.h"

#include <filesystem>
#include <limits>
#include <thread>

namespace webgames {
namespace {

namespace json = boost::json;

const TimePoint kNow = from_unix_seconds(1'700'000'000);

json::object claims(std::int64_t exp) { return {{"sub", "acc_1"}, {"exp", exp}}; }

TEST(Jwt, SignsAndVerifies) {
  auto key = Ed25519Key::generate();
  auto token = sign_jwt(claims(unix_seconds(kNow) + 60), key);
  auto verified = verify_jwt(token, KeyRing(key), kNow);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->at("sub").as_string(), "acc_1");
}

TEST(Jwt, RefusesExpiredTokens) {
  auto key = Ed25519Key::generate();
  auto token = sign_jwt(claims(unix_seconds(kNow)), key);
  auto r = verify_jwt(token, KeyRing(key), kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::token_expired);
}

// Found by fuzz/access_token (fuzz/corpus/access_token/exp_overflow): an
// "exp" of more than 2^63 ms overflowed the conversion to a TimePoint.
TEST(Jwt, RefusesAnExpiryBeyondTheClock) {
  auto key = Ed25519Key::generate();
  for (std::int64_t exp : {std::int64_t{9'223'372'036'854'776}, std::numeric_limits<std::int64_t>::max(),
                           std::numeric_limits<std::int64_t>::min()}) {
    auto r = verify_jwt(sign_jwt(claims(exp), key), KeyRing(key), kNow);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::unauthenticated) << exp;
  }
}

TEST(Jwt, RefusesAnotherKeysSignature) {
  auto token = sign_jwt(claims(unix_seconds(kNow) + 60), Ed25519Key::generate());
  auto r = verify_jwt(token, KeyRing(Ed25519Key::generate()), kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unauthenticated);
  EXPECT_EQ(r.error().message, "token is not signed by a key this installation accepts for this kind of token");
}

TEST(Jwt, ChecksTheSignatureWithTheKeyItsHeaderNames) {
  auto a = Ed25519Key::generate();
  auto b = Ed25519Key::generate();
  KeyRing keys(a, {b});
  auto by_b = sign_jwt(claims(unix_seconds(kNow) + 60), b);
  EXPECT_TRUE(verify_jwt(by_b, keys, kNow));
  // b's signature under a header naming a: a checks it, and refuses it.
  auto by_a = sign_jwt(claims(unix_seconds(kNow) + 60), a);
  auto forged = by_a.substr(0, by_a.find('.')) + by_b.substr(by_b.find('.'));
  auto r = verify_jwt(forged, keys, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "token signature is invalid");
  // No kid at all: no key to check it with.
  auto no_kid = base64url_encode(R"({"alg":"EdDSA","typ":"JWT"})") + by_b.substr(by_b.find('.'));
  EXPECT_FALSE(verify_jwt(no_kid, keys, kNow));
}

TEST(Jwt, RefusesATamperedPayload) {
  auto key = Ed25519Key::generate();
  auto token = sign_jwt(claims(unix_seconds(kNow) + 60), key);
  auto dot1 = token.find('.');
  auto dot2 = token.find('.', dot1 + 1);
  auto forged = base64url_encode(json::serialize(json::object{{"sub", "acc_2"}, {"exp", unix_seconds(kNow) + 60}}));
  auto tampered = token.substr(0, dot1 + 1) + forged + token.substr(dot2);
  EXPECT_FALSE(verify_jwt(tampered, KeyRing(key), kNow));
}

TEST(Jwt, RefusesOtherAlgorithms) {
  auto key = Ed25519Key::generate();
  // "alg":"none" with an empty signature, the classic downgrade.
  auto none = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
              base64url_encode(json::serialize(claims(unix_seconds(kNow) + 60))) + ".";
  auto r = verify_jwt(none, KeyRing(key), kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unauthenticated);
}

TEST(Jwt, RefusesMalformedTokens) {
  auto key = Ed25519Key::generate();
  for (std::string_view bad : {"", "abc", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.AAAA"})
    EXPECT_FALSE(verify_jwt(bad, KeyRing(key), kNow)) << bad;
  EXPECT_FALSE(verify_jwt(std::string(4096, 'a'), KeyRing(key), kNow));
}

TEST(Ed25519, VerifiesWithThePublicKeyAlone) {
  auto key = Ed25519Key::generate();
  auto pub = Ed25519Key::from_public(key.public_raw()).value();
  auto sig = key.sign("join session 42");
  EXPECT_TRUE(pub.verify("join session 42", sig));
  EXPECT_FALSE(pub.verify("join session 43", sig));
}

// Replicas starting together on one shared keys directory all end up with
// the one key that was written first, whole.
TEST(Ed25519, ReplicasCreatingOneKeyAtOnceShareIt) {
  testing::TempDir dir;
  auto path = dir.path() / "keys" / "token-signing.pem";
  std::vector<std::string> ids(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < ids.size(); ++i)
    threads.emplace_back([&, i] {
      auto key = Ed25519Key::load_or_create(path);
      ids[i] = key ? key->key_id() : "error: " + key.error().message;
    });
  for (auto& t : threads) t.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  auto again = Ed25519Key::load_or_create(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->key_id(), ids[0]);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}), 1)
      << "a staged key file was left behind";
}

}  // namespace
}  // namespace webgames
