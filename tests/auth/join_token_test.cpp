#include "auth/join_token.h"

#include "auth/jwt.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

namespace json = boost::json;

const TimePoint kNow = from_unix_seconds(1'700'000'000);

json::object join_claims(std::string_view typ, std::string_view sid, std::int64_t exp) {
  return {{"iss", "webgames"}, {"typ", typ}, {"sub", "acc_1"}, {"sid", sid}, {"exp", exp}};
}

TEST(JoinToken, AdmitsThePlayerOfItsSession) {
  auto key = Ed25519Key::generate();
  auto token = sign_jwt(join_claims("join", "ses_1", unix_seconds(kNow) + 60), key);
  auto player = verify_join_token(token, KeyRing(key), "ses_1", kNow);
  ASSERT_TRUE(player) << player.error().message;
  EXPECT_EQ(*player, "acc_1");
}

TEST(JoinToken, AdmitsATokenOfAKeyTheRingStillAccepts) {
  auto retired = Ed25519Key::generate();
  KeyRing keys(Ed25519Key::generate(), {retired});
  auto token = sign_jwt(join_claims("join", "ses_1", unix_seconds(kNow) + 60), retired);
  EXPECT_TRUE(verify_join_token(token, keys, "ses_1", kNow));
  EXPECT_FALSE(verify_join_token(token, KeyRing(Ed25519Key::generate()), "ses_1", kNow));
}

TEST(JoinToken, RefusesEveryOtherTokenNamingTheTokenField) {
  auto key = Ed25519Key::generate();
  auto in_a_minute = unix_seconds(kNow) + 60;
  auto refused = [&](std::string_view token) {
    auto r = verify_join_token(token, KeyRing(key), "ses_1", kNow);
    EXPECT_FALSE(r) << token;
    if (!r) {
      EXPECT_EQ(r.error().field, "token") << r.error().message;
    }
    return r ? Errc::internal : r.error().code;
  };
  EXPECT_EQ(refused(sign_jwt(join_claims("join", "ses_2", in_a_minute), key)), Errc::unauthenticated);
  EXPECT_EQ(refused(sign_jwt(join_claims("access", "ses_1", in_a_minute), key)), Errc::unauthenticated);
  EXPECT_EQ(refused(sign_jwt(join_claims("join", "ses_1", in_a_minute), Ed25519Key::generate())),
            Errc::unauthenticated);
  EXPECT_EQ(refused(sign_jwt(join_claims("join", "ses_1", unix_seconds(kNow)), key)), Errc::token_expired);
  EXPECT_EQ(refused(""), Errc::unauthenticated);
  EXPECT_EQ(refused("not.a.token"), Errc::unauthenticated);
  EXPECT_EQ(refused(std::string(kMaxTokenBytes + 1, 'a')), Errc::unauthenticated);
}

}  // namespace
}  // namespace webgames
