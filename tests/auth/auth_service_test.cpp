#include "auth/auth_service.h"

#include "sqlite/sqlite_catalog.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

using std::chrono::hours;

class AuthServiceTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
  ManualClock clock;
  SqliteCatalog catalog{dir.path() / "test.db"};
  AccessTokens tokens{Ed25519Key::generate(), clock};
  AuthService auth{catalog, PasswordHasher(PasswordCost::minimum()), tokens, clock};
};

TEST_F(AuthServiceTest, RegisterThenLogin) {
  auto reg = auth.register_account("ada", "correct horse", Role::developer);
  ASSERT_TRUE(reg) << reg.error().message;
  EXPECT_EQ(reg->account.role, Role::developer);
  EXPECT_NE(catalog.account_by_username("ada")->password_hash.find("$argon2id$"), std::string::npos);

  auto login = auth.login("ada", "correct horse");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->account.id, reg->account.id);
  EXPECT_TRUE(tokens.verify(login->access.token));
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownUserLookAlike) {
  ASSERT_TRUE(auth.register_account("ada", "correct horse", Role::player));
  auto wrong = auth.login("ada", "wrong horse!");
  auto unknown = auth.login("bob", "correct horse");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, Errc::unauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AuthServiceTest, UsernamesAreUnique) {
  ASSERT_TRUE(auth.register_account("ada", "correct horse", Role::player));
  auto again = auth.register_account("ada", "another pass", Role::player);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(again.error().field, "username");
}

TEST_F(AuthServiceTest, GuestIsStablePerDevice) {
  auto first = auth.guest("device-0001");
  auto second = auth.guest("device-0001");
  auto other = auth.guest("device-0002");
  ASSERT_TRUE(first && second && other);
  EXPECT_EQ(first->account.id, second->account.id);
  EXPECT_NE(first->account.id, other->account.id);
  EXPECT_TRUE(first->account.guest);
  // A guest has no password to log in with.
  EXPECT_FALSE(auth.login(first->account.username, ""));
}

TEST_F(AuthServiceTest, RefreshRotatesAndTheOldTokenDies) {
  auto reg = auth.register_account("ada", "correct horse", Role::player).value();
  auto next = auth.refresh(reg.refresh.token);
  ASSERT_TRUE(next);
  EXPECT_NE(next->refresh.token, reg.refresh.token);
  // Presented again within the race's grace (one client refreshing twice
  // at once): it only fails; the chain goes on.
  auto replay = auth.refresh(reg.refresh.token);
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, Errc::unauthenticated);
  EXPECT_TRUE(auth.refresh(next->refresh.token));
}

// Refresh-token reuse detection (found by an attacker's probe: a stolen
// token's chain lived on beside the player's).
TEST_F(AuthServiceTest, ARefreshTokenPresentedAgainLaterEndsItsLogin) {
  auto reg = auth.register_account("ada", "correct horse", Role::player).value();
  auto other = auth.login("ada", "correct horse").value();  // another device: another login
  auto thief = auth.refresh(reg.refresh.token).value();     // the copy is used first
  auto login_id = tokens.verify(thief.access.token).value().login_id;
  clock.advance(AuthService::kRefreshRaceGrace + std::chrono::seconds(1));
  auto player = auth.refresh(reg.refresh.token);  // the player's own, now spent
  ASSERT_FALSE(player);
  EXPECT_EQ(player.error().code, Errc::unauthenticated);
  EXPECT_FALSE(auth.refresh(thief.refresh.token)) << "the thief's chain outlived the reuse";
  EXPECT_FALSE(tokens.verify(thief.access.token)) << "the thief's access token outlived the reuse";
  EXPECT_TRUE(catalog.login_revoked(login_id).value());
  // The account's other login is not touched.
  EXPECT_TRUE(tokens.verify(other.access.token));
  EXPECT_TRUE(auth.refresh(other.refresh.token));
}

TEST_F(AuthServiceTest, RefreshTokensExpire) {
  auto reg = auth.register_account("ada", "correct horse", Role::player).value();
  clock.advance(hours(24 * 31));
  EXPECT_FALSE(auth.refresh(reg.refresh.token));
}

TEST_F(AuthServiceTest, LogoutRevokesRefreshAndAccess) {
  auto reg = auth.register_account("ada", "correct horse", Role::player).value();
  auto who = tokens.verify(reg.access.token).value();
  ASSERT_TRUE(auth.logout(who));
  EXPECT_FALSE(tokens.verify(reg.access.token));
  EXPECT_FALSE(auth.refresh(reg.refresh.token));
  EXPECT_TRUE(catalog.login_revoked(who.login_id).value());
}

TEST_F(AuthServiceTest, ApiKeysAreStoredHashedAndActForTheirOwner) {
  auto dev = auth.register_account("ada", "correct horse", Role::developer).value();
  auto key = auth.create_api_key(dev.account.id, "ci").value();
  EXPECT_TRUE(key.secret.starts_with("wgk_"));
  EXPECT_EQ(key.record.key_hash.find(key.secret), std::string::npos);

  auto who = auth.authenticate_api_key(key.secret);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->account_id, dev.account.id);
  EXPECT_EQ(who->role, Role::developer);

  ASSERT_TRUE(catalog.delete_api_key(dev.account.id, key.record.id));
  EXPECT_FALSE(auth.authenticate_api_key(key.secret));
  EXPECT_FALSE(auth.authenticate_api_key("wgk_not-a-key"));
}

}  // namespace
}  // namespace webgames
