#include "webgames/sdk.h"

#include "test_join_key.h"

#include <gtest/gtest.h>

namespace webgames::sdk {
namespace {

using testing::TestJoinKey;

class VerifyJoin : public ::testing::Test {
 protected:
  TestJoinKey key;
  Session session = Session::from_variables(testing::session_variables("http://127.0.0.1:9", key, "ses_1", 7000));

  // The code of the refusal, or "accepted".
  std::string outcome(std::string_view token) {
    auto r = session.verify_join(token);
    return r ? std::string("accepted") : r.error().code;
  }
  std::string payload(std::string_view sub, std::string_view sid, std::int64_t exp, std::string_view typ = "join") {
    return R"({"iss":"webgames","typ":")" + std::string(typ) + R"(","sub":")" + std::string(sub) + R"(","sid":")" +
           std::string(sid) + R"(","iat":1,"exp":)" + std::to_string(exp) + "}";
  }
  static constexpr std::string_view kHeader = R"({"alg":"EdDSA","typ":"JWT","kid":"k1"})";
};

TEST_F(VerifyJoin, AcceptsATokenForAPlayerOfThisSession) {
  auto r = session.verify_join(key.join_token("acc_b", "ses_1"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->id, "acc_b");
  EXPECT_EQ(r->name, "bob");
  EXPECT_EQ(r->team, 1);
}

TEST_F(VerifyJoin, RefusesExpiredTokens) {
  EXPECT_EQ(outcome(key.join_token("acc_a", "ses_1", std::chrono::seconds(-1))), join_refusal::expired);
  // "exp" is the first second the token is no longer valid.
  auto token = key.sign(kHeader, payload("acc_a", "ses_1", 1'700'000'000));
  auto at = [&](std::int64_t s) { return std::chrono::system_clock::time_point(std::chrono::seconds(s)); };
  EXPECT_TRUE(session.verify_join(token, at(1'699'999'999)));
  EXPECT_EQ(session.verify_join(token, at(1'700'000'000)).error().code, join_refusal::expired);
}

TEST_F(VerifyJoin, RefusesATokenForAnotherSession) {
  EXPECT_EQ(outcome(key.join_token("acc_a", "ses_2")), join_refusal::wrong_session);
}

TEST_F(VerifyJoin, RefusesSomeoneWhoIsNotAPlayerOfThisSession) {
  EXPECT_EQ(outcome(key.join_token("acc_z", "ses_1")), join_refusal::not_a_player);
}

TEST_F(VerifyJoin, RefusesAnotherKeysSignature) {
  TestJoinKey other;
  EXPECT_EQ(outcome(other.join_token("acc_a", "ses_1")), join_refusal::bad_signature);
}

TEST_F(VerifyJoin, RefusesATamperedPayload) {
  auto good = key.join_token("acc_z", "ses_1");
  auto forged = key.sign(kHeader, payload("acc_a", "ses_1", 4'000'000'000));
  auto dot1 = good.find('.'), dot2 = good.rfind('.');
  auto tampered =
      good.substr(0, dot1) + forged.substr(forged.find('.'), forged.rfind('.') - forged.find('.')) + good.substr(dot2);
  EXPECT_EQ(outcome(tampered), join_refusal::bad_signature);
}

TEST_F(VerifyJoin, RefusesOtherAlgorithms) {
  auto claims = payload("acc_a", "ses_1", 4'000'000'000);
  // "alg":"none" with an empty signature, the classic downgrade.
  auto none = key.sign(R"({"alg":"none","typ":"JWT"})", claims);
  EXPECT_EQ(outcome(none.substr(0, none.rfind('.') + 1)), join_refusal::bad_signature);
  EXPECT_EQ(outcome(key.sign(R"({"alg":"HS256","typ":"JWT"})", claims)), join_refusal::bad_signature);
  EXPECT_EQ(outcome(key.sign(R"({"typ":"JWT"})", claims)), join_refusal::bad_signature);
  EXPECT_EQ(outcome("e30.e30.AAAA"), join_refusal::bad_signature);  // {}.{}: no algorithm at all
}

TEST_F(VerifyJoin, RefusesMalformedTokens) {
  for (std::string_view bad : {"", "abc", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.AA=A", "e30.[].AAAA"})
    EXPECT_EQ(outcome(bad), join_refusal::malformed) << bad;
  EXPECT_EQ(outcome(std::string(5000, 'a')), join_refusal::malformed);
  // Well signed, but not a join token, or missing claims.
  EXPECT_EQ(outcome(key.sign(kHeader, payload("acc_a", "ses_1", 4'000'000'000, "access"))), join_refusal::malformed);
  EXPECT_EQ(outcome(key.sign(kHeader, R"({"typ":"join","sub":"acc_a","sid":"ses_1"})")), join_refusal::malformed);
  EXPECT_EQ(outcome(key.sign(kHeader, R"({"typ":"join","sub":"acc_a","exp":4000000000})")), join_refusal::malformed);
  EXPECT_EQ(outcome(key.sign(kHeader, R"({"typ":"join","sid":"ses_1","exp":4000000000})")), join_refusal::malformed);
  EXPECT_EQ(outcome(key.sign(kHeader, "[1,2]")), join_refusal::malformed);
}

}  // namespace
}  // namespace webgames::sdk
