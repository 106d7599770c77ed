// A held event stream (api/event_stream.h) over a real loopback connection,
// seen from a client that reads and writes raw frames: what it is sent, how
// its pings, its close and its mistakes are answered, and when a quiet or
// closing client is let go.

#include "api/event_stream.h"
#include "console/console_hub.h"
#include "http/websocket_frames.h"

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace webgames::api {
namespace {

namespace asio = boost::asio;
namespace ws = http::ws;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Long enough never to matter within a test.
constexpr QuietTimes kPatient{600s, 600s, 600s};

struct Frame {
  std::uint8_t opcode = 0;
  std::string payload;
  std::uint16_t close_code() const {
    return payload.size() < 2 ? 0
                              : static_cast<std::uint16_t>((std::uint8_t(payload[0]) << 8) | std::uint8_t(payload[1]));
  }
};

class HeldStreamTest : public ::testing::Test {
 protected:
  // The console's writer (send_frames) instead of a held stream, for `feed`.
  void send_console(std::shared_ptr<console::ConsoleFeed> feed, std::chrono::steady_clock::time_point expires_at) {
    hold_with([feed, expires_at](std::shared_ptr<http::WebSocket> ws) {
      auto executor = ws->get_executor();
      asio::co_spawn(executor, send_frames(std::move(ws), feed, expires_at), asio::detached);
    });
  }

  void hold(QuietTimes times = kPatient,
            std::chrono::steady_clock::time_point expires_at = std::chrono::steady_clock::time_point::max()) {
    hold_with([subscription = subscription_, times, expires_at](std::shared_ptr<http::WebSocket> ws) {
      hold_event_stream(std::move(ws), subscription, times, expires_at);
    });
  }

  void hold_with(std::function<void(std::shared_ptr<http::WebSocket>)> serve) {
    tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
    client_.connect(acceptor.local_endpoint());
    timeval five_seconds{5, 0};  // no test hangs on a server that never answers
    ::setsockopt(client_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
    client_.set_option(asio::socket_base::receive_buffer_size(4096));
    auto ws = std::make_shared<http::WebSocket>(acceptor.accept());
    ws->next_layer().set_option(asio::socket_base::send_buffer_size(4096));
    asio::write(client_,
                asio::buffer(std::string(
                    "GET /v1/events HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")));
    ws->accept();
    std::string answer;
    auto n = asio::read_until(client_, asio::dynamic_buffer(answer), "\r\n\r\n");
    ASSERT_TRUE(answer.starts_with("HTTP/1.1 101"));
    ASSERT_EQ(n, answer.size()) << "nothing follows the 101 before an event";
    asio::post(io_, [ws, serve = std::move(serve)] { serve(ws); });
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    subscription_->end();
    boost::system::error_code ignored;
    client_.close(ignored);
    work_.reset();
    if (thread_.joinable()) thread_.join();  // returns once the held stream is gone
  }

  void send(ws::Opcode opcode, const std::string& payload, bool masked = true) {
    std::string f;
    f.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
    std::uint8_t mask_bit = masked ? 0x80 : 0;
    if (payload.size() <= 125) {
      f.push_back(static_cast<char>(mask_bit | payload.size()));
    } else {
      f.push_back(static_cast<char>(mask_bit | 126));
      f.push_back(static_cast<char>(payload.size() >> 8));
      f.push_back(static_cast<char>(payload.size() & 0xFF));
    }
    const char mask[4] = {0x11, 0x22, 0x33, 0x44};
    if (masked) f.append(mask, 4);
    for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(masked ? payload[i] ^ mask[i % 4] : payload[i]);
    asio::write(client_, asio::buffer(f));
  }

  // The next frame from the server; nullopt when it closed the connection
  // (or said nothing for 5 s).
  std::optional<Frame> next_frame() {
    std::uint8_t head[2];
    boost::system::error_code ec;
    asio::read(client_, asio::buffer(head), ec);
    if (ec) return std::nullopt;
    EXPECT_EQ(head[0] & 0x80, 0x80) << "final";
    EXPECT_EQ(head[1] & 0x80, 0) << "a server never masks";
    std::uint64_t length = head[1] & 0x7F;
    int extra = length == 126 ? 2 : length == 127 ? 8 : 0;
    if (extra != 0) {
      std::uint8_t ext[8];
      asio::read(client_, asio::buffer(ext, extra), ec);
      if (ec) return std::nullopt;
      length = 0;
      for (int i = 0; i < extra; ++i) length = (length << 8) | ext[i];
    }
    Frame frame{static_cast<std::uint8_t>(head[0] & 0x0F), std::string(length, '\0')};
    asio::read(client_, asio::buffer(frame.payload), ec);
    if (ec) return std::nullopt;
    return frame;
  }

  // True when the server closed the connection (rather than say anything more).
  bool dropped() {
    char byte;
    boost::system::error_code ec;
    client_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  tcp::socket client_{io_};
  std::shared_ptr<Subscription> subscription_ = std::make_shared<Subscription>(io_.get_executor());
  std::thread thread_;
};

TEST_F(HeldStreamTest, EachEventIsOneTextFrameInOrder) {
  subscription_->push(R"({"id":1})");
  hold();
  subscription_->push(std::string(300, 'x'));
  subscription_->push(R"({"id":3})");
  auto first = next_frame();
  auto second = next_frame();
  auto third = next_frame();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->opcode, 0x1);
  EXPECT_EQ(first->payload, R"({"id":1})");
  EXPECT_EQ(second->payload, std::string(300, 'x')) << "a 16-bit length";
  EXPECT_EQ(third->payload, R"({"id":3})");
}

TEST_F(HeldStreamTest, APingIsAnsweredWithItsPayloadAndMessagesAreDropped) {
  hold();
  send(ws::Opcode::text, "ignored");
  send(ws::Opcode::ping, "hello?");
  auto pong = next_frame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->opcode, 0xA);
  EXPECT_EQ(pong->payload, "hello?");
  EXPECT_FALSE(subscription_->closed());
}

TEST_F(HeldStreamTest, TheClientsCloseIsAnsweredWithItsCodeThenTheConnectionDropped) {
  hold();
  send(ws::Opcode::close, ws::close_payload(4000, "bye"));
  auto close = next_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->opcode, 0x8);
  EXPECT_EQ(close->close_code(), 4000);
  EXPECT_TRUE(dropped());
  EXPECT_TRUE(subscription_->closed());
}

TEST_F(HeldStreamTest, AClientTooSlowIsClosedWith1013AndLetGoOnceItAnswers) {
  hold();
  subscription_->end_now(Subscription::Ending::too_slow);
  auto close = next_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->opcode, 0x8);
  EXPECT_EQ(close->close_code(), ws::close_code::try_again_later);
  EXPECT_EQ(close->payload.substr(2), "too slow: reconnect with since");
  send(ws::Opcode::close, ws::close_payload(ws::close_code::try_again_later));
  EXPECT_TRUE(dropped());
}

TEST_F(HeldStreamTest, AStreamReplacedIsClosedWith1008) {
  hold();
  subscription_->end_now(Subscription::Ending::replaced);
  auto close = next_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->close_code(), ws::close_code::policy_error);
}

TEST_F(HeldStreamTest, AStreamIsClosedWith4001WhenItsAccessTokenExpires) {
  auto opened = std::chrono::steady_clock::now();
  hold(kPatient, opened + 300ms);
  subscription_->push("before");
  auto event = next_frame();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->payload, "before");
  auto close = next_frame();
  ASSERT_TRUE(close);
  EXPECT_GE(std::chrono::steady_clock::now() - opened, 300ms) << "not before the token expires";
  EXPECT_EQ(close->close_code(), kTokenExpired);
  EXPECT_EQ(close->payload.substr(2), "the access token expired: reconnect with a new one and since");
  EXPECT_EQ(subscription_->ending(), Subscription::Ending::expired);
  send(ws::Opcode::close, ws::close_payload(kTokenExpired));
  EXPECT_TRUE(dropped());
}

// The console's stream, written by send_frames, closes at the same moment.
TEST_F(HeldStreamTest, AConsoleIsClosedWith4001WhenItsAccessTokenExpires) {
  auto feed = std::make_shared<console::ConsoleFeed>(console::Scope{}, io_.get_executor(), 0ms);
  auto opened = std::chrono::steady_clock::now();
  send_console(feed, opened + 300ms);
  auto close = next_frame();
  ASSERT_TRUE(close);
  EXPECT_GE(std::chrono::steady_clock::now() - opened, 300ms) << "not before the token expires";
  EXPECT_EQ(close->opcode, 0x8);
  EXPECT_EQ(close->close_code(), kTokenExpired);
}

TEST_F(HeldStreamTest, ALoggedOutStreamIsClosedWith4003) {
  hold();
  subscription_->end_now(Subscription::Ending::revoked);
  auto close = next_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->close_code(), kLoggedOut);
}

TEST_F(HeldStreamTest, WhatWasQueuedIsSentBeforeTheStreamCloses) {
  hold();
  subscription_->push("last words");
  subscription_->end();
  auto event = next_frame();
  auto close = next_frame();
  ASSERT_TRUE(event && close);
  EXPECT_EQ(event->payload, "last words");
  EXPECT_EQ(close->close_code(), ws::close_code::going_away);
}

TEST_F(HeldStreamTest, AnUnmaskedFrameIsAProtocolError) {
  hold();
  send(ws::Opcode::text, "naked", /*masked=*/false);
  auto close = next_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->close_code(), ws::close_code::protocol_error);
  EXPECT_TRUE(dropped());
  EXPECT_TRUE(subscription_->closed());
}

TEST_F(HeldStreamTest, AMessageOverTheLimitIsClosedWith1009) {
  hold();
  send(ws::Opcode::binary, std::string(kMaxClientMessage + 1, 'b'));
  auto close = next_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->close_code(), ws::close_code::too_big);
  EXPECT_TRUE(dropped());
}

TEST_F(HeldStreamTest, AQuietClientIsPingedAndKeptWhileItAnswers) {
  hold({.ping_after = 100ms, .answer_within = 300ms, .close_within = 600s});
  for (int round = 0; round < 3; ++round) {
    auto ping = next_frame();
    ASSERT_TRUE(ping) << round;
    EXPECT_EQ(ping->opcode, 0x9);
    EXPECT_TRUE(ping->payload.empty());
    send(ws::Opcode::pong, "");
  }
  EXPECT_FALSE(subscription_->closed());
}

TEST_F(HeldStreamTest, AClientThatLeavesAPingUnansweredIsDropped) {
  hold({.ping_after = 100ms, .answer_within = 100ms, .close_within = 600s});
  auto ping = next_frame();
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->opcode, 0x9);
  EXPECT_TRUE(dropped());
  EXPECT_TRUE(subscription_->closed());
}

TEST_F(HeldStreamTest, AClientThatStopsReadingIsDroppedEvenWhileItPings) {
  hold({.ping_after = 100ms, .answer_within = 300ms, .close_within = 600s});
  // More than the two sockets' buffers hold, less than a subscription's limits.
  for (int i = 0; i < 200; ++i) subscription_->push(std::string(1200, 'e'));
  for (int i = 0; i < 300 && !subscription_->closed(); ++i) {
    boost::system::error_code ec;
    std::string ping = "\x89\x80\x01\x02\x03\x04";  // a masked ping, no payload
    asio::write(client_, asio::buffer(ping), ec);
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(subscription_->closed()) << "still held 3 s later";
}

TEST_F(HeldStreamTest, ACloseLeftUnansweredEndsTheConnection) {
  hold({.ping_after = 600s, .answer_within = 600s, .close_within = 100ms});
  subscription_->end();
  auto close = next_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->opcode, 0x8);
  EXPECT_TRUE(dropped());
}

TEST_F(HeldStreamTest, AClientGoneWithoutACloseEndsTheSubscription) {
  hold();
  client_.close();
  for (int i = 0; i < 500 && !subscription_->closed(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(subscription_->closed());
}

}  // namespace
}  // namespace webgames::api
