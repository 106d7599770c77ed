// EventsClient against a scripted WebSocket server on the loopback (port 0).

#include "play/events_client.h"

#include <gtest/gtest.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace webgames::play {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Serves one scripted connection after another. Each script gets the upgrade
// request's target and either refuses (returns a status) or takes the socket.
class ScriptedEventsServer {
 public:
  struct Connection {
    // Returns 0 to accept the upgrade and then run `session`, else the status to refuse with.
    std::function<unsigned(const std::string& target)> check;
    std::function<void(websocket::stream<tcp::socket>&)> session;
  };

  explicit ScriptedEventsServer(std::vector<Connection> script)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this, script = std::move(script)] {
      for (const auto& step : script) {
        try {
          tcp::socket socket(io_);
          acceptor_.accept(socket);
          beast::flat_buffer buffer;
          bhttp::request<bhttp::string_body> req;
          bhttp::read(socket, buffer, req);
          {
            std::lock_guard lock(mutex_);
            targets_.emplace_back(req.target());
          }
          if (unsigned status = step.check(std::string(req.target())); status != 0) {
            bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
            res.body() = R"({"error":{"code":"unauthenticated","message":"token expired"}})";
            res.prepare_payload();
            bhttp::write(socket, res);
            continue;
          }
          websocket::stream<tcp::socket> ws(std::move(socket));
          ws.accept(req);
          step.session(ws);
        } catch (const std::exception&) {
          // The client hung up: the next step.
        }
      }
    });
  }
  ~ScriptedEventsServer() { thread_.join(); }

  ctl::Endpoint endpoint() const { return {"127.0.0.1", std::to_string(acceptor_.local_endpoint().port())}; }
  std::vector<std::string> targets() const {
    std::lock_guard lock(mutex_);
    return targets_;
  }

  static unsigned accept(const std::string&) { return 0; }
  static void send(websocket::stream<tcp::socket>& ws, const std::string& text) {
    ws.text(true);
    ws.write(asio::buffer(text));
  }
  // Waits for the client's close frame (or its disappearance).
  static void until_closed(websocket::stream<tcp::socket>& ws) {
    beast::flat_buffer b;
    beast::error_code ec;
    while (!ec) ws.read(b, ec);
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> targets_;
};

std::string queued(int id) {
  return R"({"id":)" + std::to_string(id) +
         R"(,"type":"ticket.queued","data":{"ticket_id":"tkt_1","game":"shifumi","queue":"duel"}})";
}

EventsClient::TokenSource fixed_token(const std::string& token, std::atomic<int>* refreshes = nullptr) {
  return [token, refreshes](bool refresh) -> Result<std::string> {
    if (refresh && refreshes) ++*refreshes;
    return refresh ? token + "-fresh" : token;
  };
}

auto soon(std::chrono::milliseconds ms = 5000ms) { return BlockingIo::Clock::now() + ms; }

TEST(EventsClient, ReceivesEventsAndReconnectsWhereItLeftOff) {
  ScriptedEventsServer server({
      {ScriptedEventsServer::accept,
       [](auto& ws) {
         ScriptedEventsServer::send(ws, queued(1));
         ScriptedEventsServer::send(ws, queued(2));
         ws.next_layer().close();  // dropped without a close frame
       }},
      {ScriptedEventsServer::accept,
       [](auto& ws) {
         ScriptedEventsServer::send(ws, queued(2));  // replayed: already seen
         ScriptedEventsServer::send(ws, queued(3));
         ScriptedEventsServer::until_closed(ws);
       }},
  });
  BlockingIo io;
  EventsClient events(io, server.endpoint(), fixed_token("a.b/c"));
  ASSERT_TRUE(events.connect());
  for (int id = 1; id <= 3; ++id) {
    auto e = events.next(soon());
    ASSERT_TRUE(e) << e.error().message;
    ASSERT_TRUE(*e) << "no event " << id;
    EXPECT_EQ((*e)->id, id);
  }
  events.close();
  auto targets = server.targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], "/v1/events?token=a.b%2Fc");
  EXPECT_EQ(targets[1], "/v1/events?token=a.b%2Fc&since=2");
}

TEST(EventsClient, StopsWhenANewerStreamOfThePlayerReplacedIt) {
  ScriptedEventsServer server({
      {ScriptedEventsServer::accept,
       [](auto& ws) {
         ScriptedEventsServer::send(ws, queued(1));
         ws.close(websocket::close_reason(websocket::close_code::policy_error, "replaced"));
       }},
      // Reconnecting would open this one (and replace the newer stream).
      {ScriptedEventsServer::accept, [](auto& ws) { ScriptedEventsServer::until_closed(ws); }},
  });
  BlockingIo io;
  EventsClient events(io, server.endpoint(), fixed_token("t"));
  ASSERT_TRUE(events.connect());
  auto first = events.next(soon());
  ASSERT_TRUE(first && *first);
  auto replaced = events.next(soon());
  ASSERT_FALSE(replaced);
  EXPECT_EQ(replaced.error().code, Errc::conflict);
  EXPECT_EQ(server.targets().size(), 1u);
  // The scripted server's second step accepts once: let it go.
  EventsClient closer(io, server.endpoint(), fixed_token("t"));
  ASSERT_TRUE(closer.connect());
  closer.close();
}

TEST(EventsClient, ADeadlineLeavesTheStreamOpen) {
  ScriptedEventsServer server({{ScriptedEventsServer::accept, [](auto& ws) {
                                  std::this_thread::sleep_for(400ms);
                                  ScriptedEventsServer::send(ws, queued(5));
                                  ScriptedEventsServer::until_closed(ws);
                                }}});
  BlockingIo io;
  EventsClient events(io, server.endpoint(), fixed_token("t"));
  ASSERT_TRUE(events.connect());
  auto nothing = events.next(soon(100ms));
  ASSERT_TRUE(nothing);
  EXPECT_FALSE(*nothing);
  auto later = events.next(soon());
  ASSERT_TRUE(later && *later);
  EXPECT_EQ((*later)->id, 5);
  events.close();
}

TEST(EventsClient, RefreshesARefusedToken) {
  std::atomic<int> refreshes = 0;
  ScriptedEventsServer server({
      {[](const std::string&) { return 401u; }, {}},
      {[](const std::string& target) { return target == "/v1/events?token=t-fresh" ? 0u : 400u; },
       [](auto& ws) {
         ScriptedEventsServer::send(ws, queued(1));
         ScriptedEventsServer::until_closed(ws);
       }},
  });
  BlockingIo io;
  EventsClient events(io, server.endpoint(), fixed_token("t", &refreshes));
  auto connected = events.connect();
  ASSERT_TRUE(connected) << connected.error().message;
  EXPECT_EQ(refreshes, 1);
  auto e = events.next(soon());
  ASSERT_TRUE(e && *e);
  events.close();
}

TEST(EventsClient, ReportsARefusalWithTheServersWords) {
  ScriptedEventsServer server(
      {{[](const std::string&) { return 401u; }, {}}, {[](const std::string&) { return 401u; }, {}}});
  BlockingIo io;
  EventsClient events(io, server.endpoint(), fixed_token("t"));
  auto connected = events.connect();
  ASSERT_FALSE(connected);
  EXPECT_EQ(connected.error().code, Errc::unauthenticated);
  EXPECT_NE(connected.error().message.find("token expired"), std::string::npos) << connected.error().message;
}

TEST(EventsClient, GivesUpWhenTheServerIsGone) {
  auto server = std::make_unique<ScriptedEventsServer>(std::vector<ScriptedEventsServer::Connection>{
      {ScriptedEventsServer::accept, [](auto& ws) { ScriptedEventsServer::send(ws, queued(1)); }}});
  BlockingIo io;
  EventsClient events(io, server->endpoint(), fixed_token("t"));
  ASSERT_TRUE(events.connect());
  ASSERT_TRUE(events.next(soon()).value());
  server.reset();  // the port is closed now: every reconnect is refused
  auto e = events.next(soon(10000ms));
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("lost the events stream"), std::string::npos) << e.error().message;
}

TEST(EventsClient, ReportsAMalformedEventAndGoesOn) {
  ScriptedEventsServer server({{ScriptedEventsServer::accept, [](auto& ws) {
                                  ScriptedEventsServer::send(ws, R"({"id":1,"type":"ticket.matched","data":{}})");
                                  ScriptedEventsServer::send(ws, queued(2));
                                  ScriptedEventsServer::until_closed(ws);
                                }}});
  BlockingIo io;
  EventsClient events(io, server.endpoint(), fixed_token("t"));
  ASSERT_TRUE(events.connect());
  auto e = events.next(soon());
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, Errc::invalid_request);
  EXPECT_NE(e.error().message.find("data.ticket_id"), std::string::npos) << e.error().message;
  auto next = events.next(soon());
  ASSERT_TRUE(next && *next);
  EXPECT_EQ((*next)->id, 2);
  events.close();
}

}  // namespace
}  // namespace webgames::play
