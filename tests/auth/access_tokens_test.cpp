#include "auth/access_tokens.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

using std::chrono::minutes;

Account developer() { return Account{"acc_dev", "ada", Role::developer, false, "", {}}; }

TEST(AccessTokens, IssueThenVerify) {
  ManualClock clock;
  AccessTokens tokens(Ed25519Key::generate(), clock);
  auto issued = tokens.issue(developer(), "lgn_1");
  EXPECT_EQ(issued.expires_at, clock.now() + minutes(15));
  auto p = tokens.verify(issued.token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->account_id, "acc_dev");
  EXPECT_EQ(p->role, Role::developer);
  EXPECT_EQ(p->login_id, "lgn_1");
}

TEST(AccessTokens, ACachedTokenStillExpires) {
  ManualClock clock;
  AccessTokens tokens(Ed25519Key::generate(), clock);
  auto issued = tokens.issue(developer(), "lgn_1");
  ASSERT_TRUE(tokens.verify(issued.token));  // now cached
  clock.advance(minutes(14));
  ASSERT_TRUE(tokens.verify(issued.token));
  clock.advance(minutes(1));
  auto r = tokens.verify(issued.token);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::token_expired);
}

TEST(AccessTokens, ATokenAlteredAfterItsTwinWasCachedIsRefused) {
  ManualClock clock;
  AccessTokens tokens(Ed25519Key::generate(), clock);
  auto issued = tokens.issue(developer(), "lgn_1");
  ASSERT_TRUE(tokens.verify(issued.token));  // cached by its digest
  for (auto at : {std::size_t{0}, issued.token.size() / 2, issued.token.size() - 3}) {
    auto altered = issued.token;
    altered[at] = altered[at] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(tokens.verify(altered)) << "changed at " << at;
  }
  EXPECT_FALSE(tokens.verify(issued.token + "A"));
  EXPECT_FALSE(tokens.verify(issued.token.substr(0, issued.token.size() - 1)));
  EXPECT_TRUE(tokens.verify(issued.token));
}

TEST(AccessTokens, RevokedLoginIsRefusedEvenWhenCached) {
  ManualClock clock;
  AccessTokens tokens(Ed25519Key::generate(), clock);
  auto a = tokens.issue(developer(), "lgn_a");
  auto b = tokens.issue(developer(), "lgn_b");
  ASSERT_TRUE(tokens.verify(a.token));
  tokens.revoke_login("lgn_a");
  EXPECT_FALSE(tokens.verify(a.token));
  EXPECT_TRUE(tokens.verify(b.token));
}

TEST(AccessTokens, ALogoutIsToldOnceWithWhenItsLastTokenExpires) {
  ManualClock clock;
  AccessTokens tokens(Ed25519Key::generate(), clock);
  std::vector<std::pair<std::string, TimePoint>> told;
  tokens.on_logout([&](const std::string& login, TimePoint until) { told.emplace_back(login, until); });
  tokens.revoke_login("lgn_a");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].first, "lgn_a");
  EXPECT_EQ(told[0].second, clock.now() + minutes(15));
  // A logout learnt from another replica is not told again (no echo).
  tokens.revoke_login("lgn_b", clock.now() + minutes(5));
  EXPECT_EQ(told.size(), 1u);
}

TEST(AccessTokens, ALogoutLearntFromAnotherReplicaHoldsUntilItsTime) {
  ManualClock clock;
  AccessTokens tokens(Ed25519Key::generate(), clock);
  auto a = tokens.issue(developer(), "lgn_a");
  ASSERT_TRUE(tokens.verify(a.token));
  tokens.revoke_login("lgn_a", clock.now() - minutes(1));  // already over: nothing to refuse
  EXPECT_TRUE(tokens.verify(a.token));
  tokens.revoke_login("lgn_a", clock.now() + minutes(15));
  EXPECT_FALSE(tokens.verify(a.token));
}

TEST(AccessTokens, ABoundedCacheKeepsVerifying) {
  ManualClock clock;
  AccessTokens tokens(Ed25519Key::generate(), clock, Seconds(900), /*cache_capacity=*/32);
  std::vector<std::string> issued;
  for (int i = 0; i < 200; ++i) issued.push_back(tokens.issue(developer(), "lgn_" + std::to_string(i)).token);
  for (const auto& t : issued) ASSERT_TRUE(tokens.verify(t));
  for (const auto& t : issued) ASSERT_TRUE(tokens.verify(t));
}

TEST(AccessTokens, AnotherInstallationsTokenIsRefused) {
  ManualClock clock;
  AccessTokens ours(Ed25519Key::generate(), clock);
  AccessTokens theirs(Ed25519Key::generate(), clock);
  auto r = ours.verify(theirs.issue(developer(), "lgn_1").token);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unauthenticated);
}

}  // namespace
}  // namespace webgames
