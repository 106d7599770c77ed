#include "http/metrics.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace webgames::http {
namespace {

using std::chrono::microseconds;
using Routes = std::vector<RouteLabels>;

TEST(HttpMetrics, CountsByRouteAndStatus) {
  HttpMetrics m(Routes{{"GET", "/healthz"}, {"GET", "/v1/games/{game}"}});
  m.record(0, 200, microseconds(50));
  m.record(0, 200, microseconds(70));
  m.record(1, 404, microseconds(3000));
  m.record(m.unmatched_index(), 404, microseconds(10));
  auto text = m.render(3);
  EXPECT_NE(text.find(R"(webgames_http_requests_total{method="GET",route="/healthz",code="200"} 2)"), std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(webgames_http_requests_total{method="GET",route="/v1/games/{game}",code="404"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(route="unmatched",code="404"} 1)"), std::string::npos);
  EXPECT_NE(text.find("webgames_http_open_connections 3"), std::string::npos);
}

TEST(HttpMetrics, HistogramBucketsAreCumulative) {
  HttpMetrics m(Routes{{"GET", "/healthz"}});
  m.record(0, 200, microseconds(50));         // <= 0.0001
  m.record(0, 200, microseconds(700));        // <= 0.001
  m.record(0, 200, std::chrono::seconds(5));  // +Inf only
  auto text = m.render(0);
  auto line = [&](std::string_view le) {
    return text.find(
        fmt::format(R"(webgames_http_request_duration_seconds_bucket{{method="GET",route="/healthz",le="{}"}} )", le));
  };
  auto value_at = [&](std::string_view le) {
    auto pos = line(le);
    EXPECT_NE(pos, std::string::npos) << le;
    auto end = text.find('\n', pos);
    return std::stoi(text.substr(text.rfind(' ', end) + 1, end));
  };
  EXPECT_EQ(value_at("0.0001"), 1);
  EXPECT_EQ(value_at("0.001"), 2);
  EXPECT_EQ(value_at("2.5"), 2);
  EXPECT_EQ(value_at("+Inf"), 3);
  EXPECT_NE(text.find(R"(webgames_http_request_duration_seconds_count{method="GET",route="/healthz"} 3)"),
            std::string::npos);
}

TEST(HttpMetrics, WebSocketsOpenPerWebSocketRoute) {
  HttpMetrics m(
      Routes{{"GET", "/healthz"}, {"GET", "/v1/events", true}, {"GET", "/v1/sessions/{session}/connect", true}});
  m.websocket_open(1, +1);
  m.websocket_open(1, +1);
  m.websocket_open(2, +1);
  m.websocket_open(1, -1);
  auto text = m.render(0);
  EXPECT_NE(text.find("# TYPE webgames_websocket_connections gauge\n"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(webgames_websocket_connections{route="/v1/events"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(webgames_websocket_connections{route="/v1/sessions/{session}/connect"} 1)"),
            std::string::npos);
  EXPECT_EQ(text.find(R"(webgames_websocket_connections{route="/healthz"})"), std::string::npos);
}

}  // namespace
}  // namespace webgames::http
