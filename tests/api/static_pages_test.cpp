// The built pages served by webgames itself (http/static_pages.h): a file
// with its type and ETag (then a 304), a 404 for a missing file and for a
// page that is not built, and path traversal refused.
#include "api/api_test_fixture.h"
#include "support/raw_connection.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace webgames::testing {
namespace {

using field = boost::beast::http::field;

class StaticPagesTest : public ApiTest {
 protected:
  bool start_in_setup() const override { return false; }
  void SetUp() override {
    ApiTest::SetUp();
    auto pages = dir.path() / "web";
    std::filesystem::create_directories(pages / "play" / "sub");
    std::ofstream(pages / "play" / "index.html") << "<!doctype html><title>play</title>";
    std::ofstream(pages / "play" / "app.js") << "console.log('play');";
    std::ofstream(pages / "play" / ".secret") << "hidden";
    std::ofstream(pages / "play" / "sub" / "inner.js") << "inner";
    std::ofstream(dir.path() / "web" / "outside.txt") << "outside the page";
    config.static_dir = pages.string();
  }

  std::optional<http::Response> get(std::string_view target, std::string_view extra_headers = {}) {
    RawConnection c(app->port());
    c.send(fmt::format("GET {} HTTP/1.1\r\nHost: t\r\n{}Connection: close\r\n\r\n", target, extra_headers));
    return c.read_response();
  }
};

TEST_F(StaticPagesTest, ServesThePageAndItsFilesWithTypeAndETag) {
  start();
  auto index = get("/play");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->result_int(), 200u);
  EXPECT_EQ(index->body(), "<!doctype html><title>play</title>");
  EXPECT_EQ(index->at(field::content_type), "text/html; charset=utf-8");
  EXPECT_EQ(index->at(field::cache_control), "no-cache");

  auto js = get("/play/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->result_int(), 200u);
  EXPECT_EQ(js->at(field::content_type), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->at("X-Content-Type-Options"), "nosniff");
  auto etag = std::string(js->at(field::etag));
  ASSERT_GT(etag.size(), 2u);
  EXPECT_NE(etag, std::string(index->at(field::etag)));

  auto again = get("/play/app.js", fmt::format("If-None-Match: {}\r\n", etag));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->result_int(), 304u);
  EXPECT_TRUE(again->body().empty());
}

TEST_F(StaticPagesTest, AMissingFileIsA404) {
  start();
  auto res = get("/play/nothing.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 404u);
  EXPECT_NE(res->body().find("\"code\":\"not_found\""), std::string::npos) << res->body();
  EXPECT_NE(res->body().find("\"field\":\"path\""), std::string::npos) << res->body();
}

TEST_F(StaticPagesTest, TraversalDotfilesAndSubfoldersAreRefused) {
  start();
  for (std::string_view target :
       {"/play/../outside.txt", "/play/..%2foutside.txt", "/play/%2e%2e%2foutside.txt", "/play/..", "/play/.secret",
        "/play/sub/inner.js", "/play/sub", "/play//etc/passwd", "/play/..%2f..%2f..%2fetc%2fpasswd"}) {
    auto res = get(target);
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->result_int(), 404u) << target << ": " << res->body();
    EXPECT_EQ(res->body().find("outside the page"), std::string::npos) << target;
    EXPECT_EQ(res->body().find("hidden"), std::string::npos) << target;
  }
}

TEST_F(StaticPagesTest, APageThatIsNotBuiltSaysSo) {
  config.static_dir = (dir.path() / "nowhere").string();
  start();
  auto res = get("/play");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 404u);
  EXPECT_NE(res->body().find("static_dir"), std::string::npos) << res->body();
}

}  // namespace
}  // namespace webgames::testing
