#include "domain/account.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

TEST(Username, AcceptsPlainNames) {
  EXPECT_TRUE(validate_username("ada"));
  EXPECT_TRUE(validate_username("ada.lovelace_1815-x"));
}

TEST(Username, RefusesBadNames) {
  for (std::string_view bad : {"ab", "Ada", "-ada", "ada lovelace", "guest-1234", "ada\n", "élodie"}) {
    auto r = validate_username(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "username");
  }
  EXPECT_FALSE(validate_username(std::string(33, 'a')));
}

TEST(Password, EnforcesLength) {
  EXPECT_FALSE(validate_password("short"));
  EXPECT_TRUE(validate_password("long enough"));
  EXPECT_FALSE(validate_password(std::string(257, 'x')));
}

TEST(DeviceId, MustBePrintable) {
  EXPECT_TRUE(validate_device_id("device-1234"));
  EXPECT_FALSE(validate_device_id("dev"));
  EXPECT_FALSE(validate_device_id("device with spaces"));
}

TEST(Role, ParsesOnlyKnownNames) {
  EXPECT_EQ(parse_role("developer"), Role::developer);
  EXPECT_EQ(parse_role("player"), Role::player);
  EXPECT_EQ(parse_role("operator"), Role::operator_);
  EXPECT_FALSE(parse_role("admin"));
  EXPECT_FALSE(parse_role("Operator"));
  for (auto role : {Role::player, Role::developer, Role::operator_}) EXPECT_EQ(parse_role(to_string(role)), role);
}

TEST(Role, DevelopersAndOperatorsManageGames) {
  EXPECT_FALSE(manages_games(Role::player));
  EXPECT_TRUE(manages_games(Role::developer));
  EXPECT_TRUE(manages_games(Role::operator_));
}

}  // namespace
}  // namespace webgames
