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
  ASSERT_TRUE(load_config_file(write("[http]\nport = 7000\naddress = \"0.0.0.0\"\n[data]\ndir = "
                                     "\"/srv/file\"\n[auth]\ndeveloper_signup = false\n"),
                               c));
  ::setenv("WEBGAMES_HTTP_PORT", "7001", 1);
  ::setenv("WEBGAMES_DATA_DIR", "/srv/env", 1);
  parse_flags(c, {"--data-dir", "/srv/flag"});
  EXPECT_EQ(c.address, "0.0.0.0");     // only the file set it
  EXPECT_EQ(c.port, 7001);             // the environment beat the file
  EXPECT_EQ(c.data_dir, "/srv/flag");  // the flag beat both
  EXPECT_TRUE(validate_config(c));
}

// Found by an attacker's probe: with the defaults on a public address,
// anyone could register as a developer and have the process runtime run
// `/bin/sh -c …` on the host.
TEST_F(ConfigTest, OpenDeveloperSignUpWithTheProcessRuntimeIsRefusedOffLoopback) {
  Config c;
  EXPECT_TRUE(validate_config(c)) << "the default: 127.0.0.1";
  c.address = "::1";
  EXPECT_TRUE(validate_config(c));
  for (const auto* address : {"0.0.0.0", "::", "10.0.0.21"}) {
    c.address = address;
    auto r = validate_config(c);
    ASSERT_FALSE(r) << address;
    EXPECT_EQ(r.error().field, "auth.developer_signup");
    EXPECT_NE(r.error().message.find("--developer-signup=false"), std::string::npos) << r.error().message;
  }
  c.developer_signup = false;
  EXPECT_TRUE(validate_config(c)) << "developers registered beforehand";
  c.developer_signup = true;
  c.runtime = "docker";
  EXPECT_TRUE(validate_config(c)) << "games in containers";
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

TEST_F(ConfigTest, QuotasHaveDefaultsAndPerDeveloperEntries) {
  Config c;
  ASSERT_TRUE(load_config_file(write("[quotas.developers.acc_big]\nservers = 500\ncpu = 12.5\n"
                                     "[quotas]\nservers = 10\ntickets = 50\nmemory_mb = 4096\n"),
                               c));
  EXPECT_EQ(c.quotas.servers, 10);
  EXPECT_EQ(c.quotas.tickets, 50);
  EXPECT_DOUBLE_EQ(c.quotas.cpu, QuotaLimits{}.cpu);
  ASSERT_EQ(c.developer_quotas.count("acc_big"), 1u);
  const auto& big = c.developer_quotas.at("acc_big");
  EXPECT_EQ(big.servers, 500);
  EXPECT_DOUBLE_EQ(big.cpu, 12.5);
  EXPECT_EQ(big.tickets, 50) << "left out: the [quotas] value";
  EXPECT_EQ(big.memory_mb, 4096);
  ASSERT_TRUE(validate_config(c));
  parse_flags(c, {"--quota-servers", "3"});
  EXPECT_EQ(c.quotas.servers, 3);

  Quotas quotas(c.quotas, c.developer_quotas);
  EXPECT_EQ(quotas.of("acc_big").servers, 500);
  EXPECT_EQ(quotas.of("acc_other").servers, 3);

  auto bad = load_config_file(write("[quotas.developers.acc_x]\nservrs = 1\n"), c);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "quotas.developers.acc_x.servrs");
  Config zero;
  zero.developer_quotas["acc_x"].servers = 0;
  auto invalid = validate_config(zero);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().field, "quotas.developers.acc_x.servers");
}

TEST(QuotasTest, TheFirstQuotaAServerWouldExceedIsNamed) {
  Quotas q(QuotaLimits{2, 5, 1.5, 512});
  EXPECT_FALSE(q.server_refusal("acc", QuotaUse{1, 0.5, 256}, 1.0, 256));
  EXPECT_EQ(q.server_refusal("acc", QuotaUse{2, 0, 0}, 0.1, 16)->quota, "servers");
  EXPECT_EQ(q.server_refusal("acc", QuotaUse{1, 1.0, 0}, 1.0, 16)->quota, "cpu");
  EXPECT_EQ(q.server_refusal("acc", QuotaUse{1, 0, 400}, 0.1, 256)->quota, "memory_mb");
  EXPECT_FALSE(q.ticket_refusal("acc", 4));
  auto full = q.ticket_refusal("acc", 5);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->quota, "tickets");
  EXPECT_NE(full->message.find("quota tickets"), std::string::npos);
}

TEST_F(ConfigTest, RateLimitsAndTrustedProxiesFromFileOrFlag) {
  Config c;
  ASSERT_TRUE(load_config_file(
      write("[limits]\nwindow_s = 30\nlogin_per_username = 5\n[http]\ntrusted_proxies = \"10.0.0.0/8\"\n"), c));
  parse_flags(c, {"--limit-tickets-per-player", "0"});
  EXPECT_EQ(c.limits.window_s, 30u);
  EXPECT_EQ(c.limits.login_per_username, 5u);
  EXPECT_EQ(c.limits.tickets_per_player, 0u);  // off
  EXPECT_EQ(c.limits.guest_per_device, 100u);  // the default
  EXPECT_EQ(c.trusted_proxies, "10.0.0.0/8");
  EXPECT_TRUE(validate_config(c));
  c.limits.window_s = 0;
  EXPECT_EQ(validate_config(c).error().field, "limits.window_s");
  c = Config{};
  c.trusted_proxies = "10.0.0.0/8, proxy.internal";
  EXPECT_EQ(validate_config(c).error().field, "http.trusted_proxies");
  c = Config{};
  EXPECT_EQ(c.uncounted_addresses, "127.0.0.0/8, ::1");
  parse_flags(c, {"--uncounted-addresses", "10.1.0.0/16, nowhere"});
  EXPECT_EQ(validate_config(c).error().field, "http.uncounted_addresses");
  EXPECT_FALSE(load_config_file(write("[limits]\nlogin_per_username = -1\n"), c));
}

}  // namespace
}  // namespace webgames
