// PlayerListener: players over TCP and over WebSocket, on real loopback
// sockets, reach the game through the same three events; joins are checked
// by the session's verifier; hostile input is cut off cleanly.

#include "fake_webgames.h"
#include "test_join_key.h"

#include <webgames/players.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace webgames::sdk {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::ip::tcp;
using testing::FakeWebgames;
using testing::TestJoinKey;
using namespace std::chrono_literals;

// What the game heard, in order: "connected acc_a ws", "message acc_a {...}", "disconnected acc_a".
struct Journal {
  std::mutex mutex;
  std::vector<std::string> lines;
  void add(std::string line) {
    std::lock_guard lock(mutex);
    lines.push_back(std::move(line));
  }
  std::vector<std::string> get() {
    std::lock_guard lock(mutex);
    return lines;
  }
};

// A listener on both transports, run by its own thread; an echo game that
// answers every message {"echo":<message>} and closes on "bye".
class PlayerListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto vars = testing::session_variables(webgames.url(), key, "ses_1", 1);
    session = std::make_unique<Session>(Session::from_variables(vars));
    PlayerListener::Options options;
    options.max_message_bytes = 1024;
    options.join_timeout = 500ms;
    listener = std::make_unique<PlayerListener>(
        io.get_executor(), *session,
        PlayerEvents{
            .connected =
                [this](const PlayerConnectionPtr& c) {
                  journal.add("connected " + c->player().id + " " + std::string(to_string(c->transport())));
                },
            .message =
                [this](const PlayerConnectionPtr& c, std::string_view m) {
                  journal.add("message " + c->player().id + " " + std::string(m));
                  if (m == "\"bye\"") return c->close();
                  c->send(boost::json::serialize(boost::json::object{{"echo", m}}));
                },
            .disconnected = [this](const PlayerConnectionPtr& c) { journal.add("disconnected " + c->player().id); }},
        options);
    tcp_port = listener->listen(Transport::tcp, {asio::ip::make_address("127.0.0.1"), 0});
    ws_port = listener->listen(Transport::ws, {asio::ip::make_address("127.0.0.1"), 0});
    listener->start();
    thread = std::thread([this] { io.run(); });
  }

  void TearDown() override {
    work.reset();
    io.stop();
    thread.join();
    listener.reset();
  }

  std::string join_message(std::string_view player, std::string_view session_id = "ses_1") {
    return boost::json::serialize(boost::json::object{{"type", "join"}, {"token", key.join_token(player, session_id)}});
  }

  bool eventually_heard(const std::string& line) {
    for (int i = 0; i < 250; ++i) {
      for (const auto& l : journal.get())
        if (l == line) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  FakeWebgames webgames;
  TestJoinKey key;
  std::unique_ptr<Session> session;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{asio::make_work_guard(io)};
  std::unique_ptr<PlayerListener> listener;
  std::thread thread;
  Journal journal;
  std::uint16_t tcp_port = 0, ws_port = 0;
};

// A blocking WebSocket client, with a deadline on every read.
struct WsClient {
  asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
  explicit WsClient(std::uint16_t port) {
    ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    ws.handshake("127.0.0.1", "/");
  }
  void send(std::string_view text) {
    ws.text(true);
    ws.write(asio::buffer(text));
  }
  // The next message, or the error that ended the connection.
  std::string read(boost::system::error_code& ec) {
    beast::flat_buffer buffer;
    ws.read(buffer, ec);
    return beast::buffers_to_string(buffer.data());
  }
  std::string read() {
    boost::system::error_code ec;
    auto text = read(ec);
    return ec ? "(" + ec.message() + ")" : text;
  }
};

struct LineClient {
  asio::io_context io;
  tcp::socket socket{io};
  std::string input;
  explicit LineClient(std::uint16_t port) { socket.connect({asio::ip::make_address("127.0.0.1"), port}); }
  void send(std::string_view line) { asio::write(socket, asio::buffer(std::string(line) + "\n")); }
  std::string read() {
    boost::system::error_code ec;
    auto n = asio::read_until(socket, asio::dynamic_buffer(input), '\n', ec);
    if (ec) return "(" + ec.message() + ")";
    auto line = input.substr(0, n - 1);
    input.erase(0, n);
    return line;
  }
};

TEST_F(PlayerListenerTest, APlayerOverWebSocketIsHeardAsOverTcp) {
  {
    WsClient alice(ws_port);
    alice.send(join_message("acc_a"));
    alice.send(R"({"move":"rock"})");
    EXPECT_EQ(alice.read(), R"({"echo":"{\"move\":\"rock\"}"})");
    LineClient bob(tcp_port);
    bob.send(join_message("acc_b"));
    bob.send(R"({"move":"paper"})");
    EXPECT_EQ(bob.read(), R"({"echo":"{\"move\":\"paper\"}"})");
    alice.ws.close(websocket::close_code::normal);
  }
  ASSERT_TRUE(eventually_heard("disconnected acc_b"));
  ASSERT_TRUE(eventually_heard("disconnected acc_a"));
  auto lines = journal.get();
  auto index = [&](const std::string& l) { return std::find(lines.begin(), lines.end(), l) - lines.begin(); };
  EXPECT_LT(index("connected acc_a ws"), index(R"(message acc_a {"move":"rock"})"));
  EXPECT_LT(index(R"(message acc_a {"move":"rock"})"), index("disconnected acc_a"));
  EXPECT_LT(index("connected acc_b tcp"), index(R"(message acc_b {"move":"paper"})"));
  EXPECT_EQ(lines.size(), 6u);
}

TEST_F(PlayerListenerTest, TheGameClosingSendsACloseFrameAfterWhatWasQueued) {
  WsClient alice(ws_port);
  alice.send(join_message("acc_a"));
  alice.send("1");
  alice.send("\"bye\"");
  EXPECT_EQ(alice.read(), R"({"echo":"1"})");
  boost::system::error_code ec;
  alice.read(ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(alice.ws.reason().code, websocket::close_code::normal);
  EXPECT_TRUE(eventually_heard("disconnected acc_a"));
}

TEST_F(PlayerListenerTest, AWrongTokenIsRefusedWithTheVerifiersCodeAndClosed) {
  WsClient intruder(ws_port);
  intruder.send(join_message("acc_a", "ses_other"));
  auto answer = boost::json::parse(intruder.read());
  EXPECT_EQ(answer.at("type"), "error");
  EXPECT_EQ(answer.at("code"), "wrong_session");
  boost::system::error_code ec;
  intruder.read(ec);
  EXPECT_EQ(ec, websocket::error::closed);

  WsClient other(ws_port);
  other.send(R"({"type":"move"})");
  EXPECT_EQ(boost::json::parse(other.read()).at("code"), "bad_request");

  LineClient tcp_intruder(tcp_port);
  tcp_intruder.send(join_message("acc_c"));
  EXPECT_EQ(boost::json::parse(tcp_intruder.read()).at("code"), "not_a_player");
  EXPECT_TRUE(journal.get().empty()) << "the game heard of a refused join";
}

TEST_F(PlayerListenerTest, NoJoinInTimeIsAnsweredAndClosed) {
  WsClient idle(ws_port);
  EXPECT_EQ(boost::json::parse(idle.read()).at("code"), "join_timeout");
  boost::system::error_code ec;
  idle.read(ec);
  EXPECT_EQ(ec, websocket::error::closed);
}

TEST_F(PlayerListenerTest, AnOversizedMessageClosesWithTooBigAndTheServerGoesOn) {
  {
    WsClient alice(ws_port);
    alice.send(join_message("acc_a"));
    EXPECT_TRUE(eventually_heard("connected acc_a ws"));
    boost::system::error_code ec;
    alice.ws.text(true);
    alice.ws.write(asio::buffer(std::string(64 * 1024, 'x')), ec);  // may fail: the server stops reading
    alice.read(ec);
    // The close frame (1009), unless the reset of the unread rest (or our
    // failed write) ended the connection first.
    EXPECT_TRUE(ec);
    if (ec == websocket::error::closed) {
      EXPECT_EQ(alice.ws.reason().code, websocket::close_code::too_big);
    }
  }
  EXPECT_TRUE(eventually_heard("disconnected acc_a"));
  // Garbage instead of a handshake is answered and closed; the listener goes on.
  {
    LineClient garbage(ws_port);
    garbage.send(std::string(2000, 'G'));
    std::string rest;
    boost::system::error_code ec;
    asio::read(garbage.socket, asio::dynamic_buffer(rest), ec);
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  }
  WsClient bob(ws_port);
  bob.send(join_message("acc_b"));
  bob.send("2");
  EXPECT_EQ(bob.read(), R"({"echo":"2"})");
}

}  // namespace
}  // namespace webgames::sdk
