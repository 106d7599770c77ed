// Graceful shutdown: idle connections close at once, a request in flight
// gets its answer, and a stuck client cannot hold the server past the grace.

#include "api/api_test_fixture.h"
#include "support/raw_connection.h"

#include <future>

namespace webgames::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

class ShutdownTest : public ApiTest {
 protected:
  bool start_in_setup() const override { return false; }

  // Shuts down on another thread; the future is ready once the App stopped.
  std::future<void> shutdown_async() {
    return std::async(std::launch::async, [this] {
      app->shutdown();
      app->wait();
    });
  }
};

TEST_F(ShutdownTest, InFlightRequestFinishesAndIdleConnectionsClose) {
  config.shutdown_grace_ms = 5000;
  start();
  RawConnection idle(app->port());
  idle.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(idle.read_response());  // now idle on keep-alive

  RawConnection busy(app->port());
  std::string body = R"({"device_id":"device-123456"})";
  busy.send("POST /v1/auth/guest HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
            body.substr(0, 5));
  std::this_thread::sleep_for(milliseconds(100));  // the server is now reading the body

  auto stopped = shutdown_async();
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_EQ(stopped.wait_for(milliseconds(200)), std::future_status::timeout) << "must wait for the request in flight";

  busy.send(body.substr(5));
  auto res = busy.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  EXPECT_FALSE(res->keep_alive());
  EXPECT_EQ(stopped.wait_for(milliseconds(3000)), std::future_status::ready);
  app.reset();
}

TEST_F(ShutdownTest, StuckClientIsCutOffAfterTheGracePeriod) {
  config.shutdown_grace_ms = 300;
  config.body_timeout_ms = 60'000;
  start();
  RawConnection stuck(app->port());
  stuck.send("POST /v1/auth/guest HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{");
  std::this_thread::sleep_for(milliseconds(100));
  auto began = steady_clock::now();
  auto stopped = shutdown_async();
  ASSERT_EQ(stopped.wait_for(milliseconds(5000)), std::future_status::ready);
  EXPECT_GE(steady_clock::now() - began, milliseconds(250));
  app.reset();
}

TEST_F(ShutdownTest, NoNewConnectionsAfterShutdown) {
  start();
  auto port = app->port();
  auto stopped = shutdown_async();
  ASSERT_EQ(stopped.wait_for(milliseconds(5000)), std::future_status::ready);
  app.reset();
  EXPECT_THROW(RawConnection{port}, boost::system::system_error);
}

}  // namespace
}  // namespace webgames::testing
