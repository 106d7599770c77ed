// Signing keys on disk and their rotation (auth/key_ring.h), and what a
// rotation does to the access tokens already issued (auth/access_tokens.h).

#include "auth/key_ring.h"

#include "auth/access_tokens.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>

namespace webgames {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

KeyRing load(const fs::path& dir) {
  auto ring = KeyRing::load(dir, "token");
  EXPECT_TRUE(ring) << ring.error().message;
  return std::move(*ring);
}

Account player() { return Account{"acc_1", "ada", Role::player, false, "", {}}; }

TEST(KeyRing, TheFirstLoadMakesTheSigningKeyAndLaterLoadsKeepIt) {
  TempDir dir;
  auto first = load(dir.path());
  EXPECT_TRUE(fs::exists(dir.path() / "token-signing.pem"));
  EXPECT_EQ(first.key_ids().size(), 1u);
  EXPECT_EQ(load(dir.path()).signing().key_id(), first.signing().key_id());
  // Kinds do not mix.
  auto join = KeyRing::load(dir.path(), "join");
  ASSERT_TRUE(join);
  EXPECT_NE(join->signing().key_id(), first.signing().key_id());
}

TEST(KeyRing, ARotationAcceptsTheNextKeyFirstThenSignsWithItAndStillAcceptsTheOld) {
  TempDir dir;
  auto old_id = load(dir.path()).signing().key_id();

  auto made = rotate_keys(dir.path(), "token");
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->step, KeyRotation::Step::next_made);
  auto between = load(dir.path());
  EXPECT_EQ(between.signing().key_id(), old_id);
  EXPECT_NE(between.find(made->key_id), nullptr);

  auto promoted = rotate_keys(dir.path(), "token");
  ASSERT_TRUE(promoted) << promoted.error().message;
  EXPECT_EQ(promoted->step, KeyRotation::Step::promoted);
  EXPECT_EQ(promoted->key_id, made->key_id);
  EXPECT_EQ(promoted->retired_id, old_id);
  auto after = load(dir.path());
  EXPECT_EQ(after.signing().key_id(), made->key_id);
  EXPECT_NE(after.find(old_id), nullptr);
  EXPECT_FALSE(fs::exists(dir.path() / "token-next.pem"));

  // The operator removes the retired key once its tokens have expired.
  fs::remove(dir.path() / ("token-retired-" + old_id + ".pem"));
  EXPECT_EQ(load(dir.path()).find(old_id), nullptr);
}

TEST(KeyRing, AFileThatIsNotAKeyIsAnErrorNamingIt) {
  TempDir dir;
  load(dir.path());
  std::ofstream(dir.path() / "token-next.pem") << "not a key\n";
  auto ring = KeyRing::load(dir.path(), "token");
  ASSERT_FALSE(ring);
  EXPECT_NE(ring.error().message.find("token-next.pem"), std::string::npos) << ring.error().message;
  EXPECT_FALSE(rotate_keys(dir.path(), "token"));
}

TEST(KeyRing, AccessTokensIssuedBeforeARotationStayValidUntilTheirKeyIsRemoved) {
  TempDir dir;
  ManualClock clock;
  AccessTokens replica_a(load(dir.path()), clock);
  AccessTokens replica_b(load(dir.path()), clock);
  auto before = replica_a.issue(player(), "lgn_1");

  ASSERT_TRUE(rotate_keys(dir.path(), "token"));  // step 1; only b reloads at first
  replica_b.use_keys(load(dir.path()));
  ASSERT_TRUE(rotate_keys(dir.path(), "token"));  // step 2, b reloads
  replica_b.use_keys(load(dir.path()));
  auto after = replica_b.issue(player(), "lgn_1");
  EXPECT_TRUE(replica_b.verify(before.token));
  EXPECT_TRUE(replica_b.verify(after.token));
  // a has not reloaded: it refuses the new key's tokens, which is why step 1
  // must reach every replica before step 2.
  EXPECT_FALSE(replica_a.verify(after.token));
  replica_a.use_keys(load(dir.path()));
  EXPECT_TRUE(replica_a.verify(after.token));
  EXPECT_TRUE(replica_a.verify(before.token));

  for (const auto& entry : fs::directory_iterator(dir.path()))
    if (entry.path().filename().string().starts_with("token-retired-")) fs::remove(entry.path());
  replica_a.use_keys(load(dir.path()));
  // Refused at once, although verified (and cached) before.
  auto refused = replica_a.verify(before.token);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unauthenticated);
  EXPECT_TRUE(replica_a.verify(after.token));
}

}  // namespace
}  // namespace webgames
