// play_shifumi against a scripted game server on the loopback (port 0).

#include "play/shifumi_client.h"

#include <gtest/gtest.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <functional>
#include <istream>
#include <sstream>
#include <thread>

namespace webgames::play {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Accepts one connection and runs `script` on it in a thread of its own.
class ScriptedServer {
 public:
  using Script = std::function<void(tcp::socket&, asio::streambuf&)>;
  explicit ScriptedServer(Script script) : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this, script = std::move(script)] {
      tcp::socket socket(io_);
      acceptor_.accept(socket);
      asio::streambuf in;
      try {
        script(socket, in);
      } catch (const std::exception& e) {
        failure_ = e.what();
      }
    });
  }
  ~ScriptedServer() { thread_.join(); }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  const std::string& failure() const { return failure_; }

  static std::string read_line(tcp::socket& s, asio::streambuf& in) {
    asio::read_until(s, in, '\n');
    std::istream is(&in);
    std::string line;
    std::getline(is, line);
    return line;
  }
  static void send(tcp::socket& s, const std::string& line) { asio::write(s, asio::buffer(line + "\n")); }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::string failure_;
};

// A game the player `p1` wins 2-1, checking what the client sends.
void winning_game(tcp::socket& s, asio::streambuf& in) {
  auto join = ScriptedServer::read_line(s, in);
  if (join != R"({"type":"join","token":"jt-1"})") throw std::runtime_error("unexpected join: " + join);
  ScriptedServer::send(s, R"({"type":"welcome","player":"p1","name":"guest-a","opponent":"guest-b"})");
  int won = 0;
  for (int round = 1; round <= 3; ++round) {
    ScriptedServer::send(s, R"({"type":"round","round":)" + std::to_string(round) + "}");
    auto move = ScriptedServer::read_line(s, in);
    if (move.find(R"("type":"move")") == std::string::npos) throw std::runtime_error("unexpected move: " + move);
    std::string winner = round == 2 ? "p2" : "p1";
    won += winner == "p1";
    // Two messages in one write: the client must split lines itself.
    ScriptedServer::send(s, R"({"type":"result","round":)" + std::to_string(round) +
                                R"(,"moves":{"p1":"rock","p2":"scissors"},"winner":")" + winner +
                                R"(","score":{"p1":)" + std::to_string(won) + R"(,"p2":)" +
                                std::to_string(round - won) + "}}" + (round == 3 ? "" : "\n{\"type\":\"noise\"}"));
  }
  ScriptedServer::send(s, R"({"type":"error","code":"no_round","reason":"no round is being played"})");
  ScriptedServer::send(s, R"({"type":"game_over","winner":"p1","score":{"p1":2,"p2":1},"reason":"score"})");
}

TEST(PlayShifumi, PlaysAGameToItsEnd) {
  ScriptedServer server(winning_game);
  BlockingIo io;
  RandomMoves moves(7);
  std::ostringstream out;
  auto outcome = play_shifumi(io, GameServer{"127.0.0.1", server.port(), "jt-1"}, moves, out);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(*outcome, Outcome::win);
  auto log = out.str();
  EXPECT_NE(log.find("joined the game as guest-a against guest-b"), std::string::npos) << log;
  EXPECT_NE(log.find("round 2: you rock, opponent scissors: you lose the round (score 1-1)"), std::string::npos) << log;
  EXPECT_NE(log.find("the game server complains: no_round: no round is being played"), std::string::npos) << log;
  EXPECT_NE(log.find("game over: you win 2-1\n"), std::string::npos) << log;
  EXPECT_EQ(server.failure(), "");
}

TEST(PlayShifumi, ReportsARefusedJoin) {
  ScriptedServer server([](tcp::socket& s, asio::streambuf& in) {
    ScriptedServer::read_line(s, in);
    ScriptedServer::send(s, R"({"type":"error","code":"bad_token","reason":"join token expired"})");
  });
  BlockingIo io;
  RandomMoves moves(1);
  std::ostringstream out;
  auto outcome = play_shifumi(io, GameServer{"127.0.0.1", server.port(), "old"}, moves, out);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, Errc::forbidden);
  EXPECT_NE(outcome.error().message.find("refused to let us join (bad_token: join token expired)"), std::string::npos)
      << outcome.error().message;
}

TEST(PlayShifumi, ReportsAServerThatLeavesEarly) {
  ScriptedServer server([](tcp::socket& s, asio::streambuf& in) {
    ScriptedServer::read_line(s, in);
    ScriptedServer::send(s, R"({"type":"welcome","player":"p1"})");
  });
  BlockingIo io;
  RandomMoves moves(1);
  std::ostringstream out;
  auto outcome = play_shifumi(io, GameServer{"127.0.0.1", server.port(), "t"}, moves, out);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, Errc::unavailable);
  EXPECT_NE(outcome.error().message.find("closed the connection before the game was over"), std::string::npos)
      << outcome.error().message;
}

TEST(PlayShifumi, GivesUpOnASilentServer) {
  ScriptedServer server([](tcp::socket& s, asio::streambuf& in) {
    ScriptedServer::read_line(s, in);
    // Says nothing until the client hangs up.
    boost::system::error_code ec;
    asio::read_until(s, in, '\n', ec);
  });
  BlockingIo io;
  RandomMoves moves(1);
  std::ostringstream out;
  auto start = std::chrono::steady_clock::now();
  auto outcome = play_shifumi(io, GameServer{"127.0.0.1", server.port(), "t"}, moves, out, 1s);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("did not answer in time"), std::string::npos) << outcome.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(PlayShifumi, RefusesOverlongLines) {
  ScriptedServer server([](tcp::socket& s, asio::streambuf& in) {
    ScriptedServer::read_line(s, in);
    ScriptedServer::send(s, std::string(kMaxLineBytes + 10, 'x'));
  });
  BlockingIo io;
  RandomMoves moves(1);
  std::ostringstream out;
  auto outcome = play_shifumi(io, GameServer{"127.0.0.1", server.port(), "t"}, moves, out);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("longer than"), std::string::npos) << outcome.error().message;
}

TEST(PlayShifumi, StopsWhenInterrupted) {
  ScriptedServer server([](tcp::socket& s, asio::streambuf& in) {
    ScriptedServer::read_line(s, in);
    boost::system::error_code ec;
    asio::read_until(s, in, '\n', ec);
  });
  auto start = std::chrono::steady_clock::now();
  BlockingIo io([start] { return std::chrono::steady_clock::now() - start > 300ms; });
  RandomMoves moves(1);
  std::ostringstream out;
  auto outcome = play_shifumi(io, GameServer{"127.0.0.1", server.port(), "t"}, moves, out);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message, "interrupted");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(PlayShifumi, ReportsAnUnreachableServer) {
  std::uint16_t closed_port = 0;
  {
    asio::io_context io;
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closed_port = a.local_endpoint().port();
  }
  BlockingIo io;
  RandomMoves moves(1);
  std::ostringstream out;
  auto outcome = play_shifumi(io, GameServer{"127.0.0.1", closed_port, "t"}, moves, out);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("cannot connect to the game server 127.0.0.1:"), std::string::npos)
      << outcome.error().message;
}

}  // namespace
}  // namespace webgames::play
