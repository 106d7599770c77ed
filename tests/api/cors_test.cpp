// CORS: nothing is allowed by default; an allowed origin gets its preflight
// answered and may read the answers; any other origin is refused with a
// JSON error naming the Origin header.
#include "http/cors.h"
#include "api/api_test_fixture.h"
#include "support/raw_connection.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace webgames::testing {
namespace {

using field = boost::beast::http::field;

constexpr const char* kPreflight =
    "OPTIONS /v1/auth/guest HTTP/1.1\r\nHost: t\r\nOrigin: {}\r\n"
    "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n\r\n";

std::string preflight_from(std::string_view origin) { return fmt::format(fmt::runtime(kPreflight), origin); }

class CorsTest : public ApiTest {
 protected:
  bool start_in_setup() const override { return false; }
};

TEST_F(CorsTest, NoOriginIsAllowedByDefault) {
  start();
  RawConnection c(app->port());
  c.send(preflight_from("https://play.example.com"));
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 403u);
  EXPECT_NE(res->body().find("\"field\":\"Origin\""), std::string::npos) << res->body();
  EXPECT_EQ(res->count(field::access_control_allow_origin), 0u);
  c.send("GET /healthz HTTP/1.1\r\nHost: t\r\nOrigin: https://play.example.com\r\n\r\n");
  auto get = c.read_response();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->result_int(), 200u);
  EXPECT_EQ(get->count(field::access_control_allow_origin), 0u) << "a page of another origin may not read it";
}

TEST_F(CorsTest, AnAllowedOriginGetsItsPreflightAndReadsTheAnswers) {
  config.cors_origins = "https://play.example.com, http://localhost:5173";
  start();
  RawConnection c(app->port());
  c.send(preflight_from("http://localhost:5173"));
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 204u);
  EXPECT_EQ(res->at(field::access_control_allow_origin), "http://localhost:5173");
  EXPECT_NE(res->at(field::access_control_allow_methods).find("POST"), std::string::npos);
  EXPECT_NE(res->at(field::access_control_allow_headers).find("Authorization"), std::string::npos);
  EXPECT_EQ(res->at(field::vary), "Origin");
  EXPECT_EQ(res->count(field::access_control_allow_credentials), 0u) << "bearer tokens, never cookies";

  c.send(
      "POST /v1/auth/guest HTTP/1.1\r\nHost: t\r\nOrigin: https://play.example.com\r\n"
      "Content-Type: application/json\r\nContent-Length: 26\r\n\r\n{\"device_id\":\"cors-test\"}\n");
  auto post = c.read_response();
  ASSERT_TRUE(post);
  EXPECT_EQ(post->result_int(), 200u) << post->body();
  EXPECT_EQ(post->at(field::access_control_allow_origin), "https://play.example.com");
  EXPECT_NE(post->at(field::access_control_expose_headers).find("X-Request-Id"), std::string::npos);

  c.send(preflight_from("https://evil.example.com"));
  auto refused = c.read_response();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->result_int(), 403u);
}

TEST(CorsOrigins, BadOriginsAreNamed) {
  for (std::string_view bad : {"play.example.com", "ftp://a.example", "https://", "https://a.example/path",
                               "https://a.example:port", "https://a example", "https://a.example,"}) {
    auto r = http::parse_cors_origins(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "http.cors_origins");
  }
  auto ok = http::parse_cors_origins(" https://a.example:8443 ,http://[::1]:5173,* ");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, (std::vector<std::string>{"https://a.example:8443", "http://[::1]:5173", "*"}));
  EXPECT_TRUE(http::parse_cors_origins("")->empty());
}

}  // namespace
}  // namespace webgames::testing
