#include "app/config.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace webgames {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  testing::TempDir dir;

  std::filesystem::path write(std::string_view text) {
    auto path = dir.path() / "webgames.toml";
    std::ofstream(path) << text;
    return path;
  }

  // Applies flags over the environment over the file, as main() does.
  static void parse_flags(Config& config, std::vector<std::string> args) {
    CLI::App app;
    add_config_flags(app, config);
    std::vector<const char*> argv{"webgames"};
    for (auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
  }

  void TearDown() override {
    ::unsetenv("WEBGAMES_HTTP_PORT");
    ::unsetenv("WEBGAMES_DATA_DIR");
  }
};

TEST_F(ConfigTest, FileEnvironmentAndFlagsLayerInThatOrder) {
  Config c;
  ASSERT_TRUE(load_config_file(write("[http]\nport = 7000\naddress = \"0.0.0.0\"\n[data]\ndir = \"/srv/file\"\n"), c));
  ::setenv("WEBGAMES_HTTP_PORT", "7001", 1);
  ::setenv("WEBGAMES_DATA_DIR", "/srv/env", 1);
  parse_flags(c, {"--data-dir", "/srv/flag"});
  EXPECT_EQ(c.address, "0.0.0.0");     // only the file set it
  EXPECT_EQ(c.port, 7001);             // the environment beat the file
  EXPECT_EQ(c.data_dir, "/srv/flag");  // the flag beat both
  EXPECT_TRUE(validate_config(c));
}

TEST_F(ConfigTest, UnknownSettingsAreNamed) {
  Config c;
  auto r = load_config_file(write("[http]\nprot = 7000\n"), c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "http.prot");
}

TEST_F(ConfigTest, WrongTypesAreNamed) {
  Config c;
  auto r = load_config_file(write("[http]\nport = \"eighty\"\n"), c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "http.port");
  EXPECT_FALSE(load_config_file(write("[http]\nport = 70000\n"), c));
}

TEST_F(ConfigTest, SyntaxErrorsGiveTheLine) {
  Config c;
  auto r = load_config_file(write("[http]\nport = = 1\n"), c);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(":2:"), std::string::npos) << r.error().message;
}

TEST_F(ConfigTest, ValidationNamesTheSetting) {
  Config c;
  c.log_format = "xml";
  EXPECT_EQ(validate_config(c).error().field, "log.format");
  c = Config{};
  c.password_cost = "cheap";
  EXPECT_EQ(validate_config(c).error().field, "auth.password_cost");
}

TEST_F(ConfigTest, CatalogUrlFromFileOrFlag) {
  Config c;
  EXPECT_TRUE(c.catalog_url.empty());  // the embedded SQLite
  ASSERT_TRUE(load_config_file(write("[catalog]\nurl = \"postgres://wg@db:5432/webgames\"\n"), c));
  EXPECT_EQ(c.catalog_url, "postgres://wg@db:5432/webgames");
  EXPECT_TRUE(validate_config(c));
  parse_flags(c, {"--catalog", "postgresql://wg@other/webgames"});
  EXPECT_EQ(c.catalog_url, "postgresql://wg@other/webgames");
  EXPECT_TRUE(validate_config(c));
  c.catalog_url = "mysql://wg@db/webgames";
  EXPECT_EQ(validate_config(c).error().field, "catalog.url");
}

}  // namespace
}  // namespace webgames
