#include "play/guest_identity.h"

#include "domain/account.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <fstream>
#include <string>
#include <vector>

namespace webgames::play {
namespace {

namespace fs = std::filesystem;

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 0777;
}

TEST(DeviceIdFile, OneFilePerProfile) {
  EXPECT_EQ(device_id_file("/c", "").value(), fs::path("/c/device-id"));
  EXPECT_EQ(device_id_file("/c", "alice").value(), fs::path("/c/device-id-alice"));
  EXPECT_EQ(device_id_file("/c", "Bob_2-x").value(), fs::path("/c/device-id-Bob_2-x"));
  for (const std::string& bad : std::vector<std::string>{"../x", "a/b", "a b", ".", "a.b", std::string(33, 'a')}) {
    auto r = device_id_file("/c", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "as");
  }
}

TEST(DeviceId, IsCreatedPrivateAndThenReused) {
  webgames::testing::TempDir dir;
  auto file = dir.path() / "config" / "webgames" / "device-id";
  auto created = load_or_create_device_id(file);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(validate_device_id(*created));
  EXPECT_EQ(mode_of(file), 0600u);

  auto again = load_or_create_device_id(file);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *created);

  auto other = load_or_create_device_id(dir.path() / "config" / "webgames" / "device-id-bob");
  ASSERT_TRUE(other);
  EXPECT_NE(*other, *created);
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()), 2);
}

TEST(DeviceId, ReadsAnIdWrittenByHand) {
  webgames::testing::TempDir dir;
  auto file = dir.path() / "device-id";
  std::ofstream(file) << "my-laptop-1\r\n";
  auto id = load_or_create_device_id(file);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, "my-laptop-1");
}

TEST(DeviceId, RefusesAFileWithoutAValidId) {
  webgames::testing::TempDir dir;
  auto file = dir.path() / "device-id";
  std::ofstream(file) << "short\n";
  auto id = load_or_create_device_id(file);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, Errc::invalid_field);
  EXPECT_NE(id.error().message.find(file.string()), std::string::npos);
}

}  // namespace
}  // namespace webgames::play
