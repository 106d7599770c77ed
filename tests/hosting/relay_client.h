#pragma once
// A player's end of the API's relay (GET /v1/sessions/{id}/connect): a
// blocking WebSocket client for the hosting tests, every read bounded (5 s).
// A refusal before the upgrade is checked against docs/api/openapi.yaml.

#include "hosting/hosting_test.h"

#include "support/json_lines_client.h"
#include "support/openapi_contract.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace webgames::testing {

// A player's end of the relay: a blocking WebSocket, every read bounded.
class RelayClient {
 public:
  RelayClient(std::uint16_t port, const std::string& target) {
    ws_.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval tv{5, 0};
    ::setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    boost::beast::websocket::response_type res;
    ws_.handshake(res, "127.0.0.1:" + std::to_string(port), target, handshake_error_);
    status_ = res.result_int();
    body_ = res.body();
    if (res.result_int() != 101) {
      HttpAnswer answer{res.result_int(), std::string(res[boost::beast::http::field::content_type]),
                        std::string(res["X-Request-Id"]), res.body()};
      expect_documented("GET", target, answer);
    }
  }

  bool open() const { return !handshake_error_ && status_ == 101; }
  unsigned status() const { return status_; }
  std::string error_code() const {
    boost::system::error_code ec;
    auto body = boost::json::parse(body_, ec);
    if (ec || !body.is_object() || !body.as_object().contains("error")) return "(no error in " + body_ + ")";
    return str_of(body.at("error"), "code") + "/" + str_of(body.at("error"), "field");
  }

  void send(const boost::json::object& message) { send_text(boost::json::serialize(message)); }
  void send_text(std::string_view text) {
    ws_.text(true);
    boost::system::error_code ec;
    ws_.write(boost::asio::buffer(text), ec);
  }
  // The next message, or empty once closed (or after 5 s of silence).
  std::optional<boost::json::object> read() {
    boost::beast::flat_buffer buffer;
    ws_.read(buffer, last_error_);
    if (last_error_) return std::nullopt;
    boost::system::error_code ec;
    auto v = boost::json::parse(boost::beast::buffers_to_string(buffer.data()), ec);
    if (ec || !v.is_object()) return boost::json::object{{"type", "(not json)"}};
    return v.as_object();
  }
  // The next message of one of `types`, skipping others.
  std::optional<boost::json::object> read_until(std::initializer_list<std::string_view> types) {
    for (int i = 0; i < 50; ++i) {
      auto m = read();
      if (!m) return std::nullopt;
      for (auto t : types)
        if (type_of(*m) == t) return m;
      if (type_of(*m) == "error") {
        ADD_FAILURE() << "the server answered an error: " << boost::json::serialize(*m);
        return std::nullopt;
      }
    }
    return std::nullopt;
  }
  // Reads until the connection ends; the close code, or -1 when it ended
  // without a close frame (or did not end within 5 s).
  int wait_close() {
    while (read()) {
    }
    return last_error_ == boost::beast::websocket::error::closed ? static_cast<int>(ws_.reason().code) : -1;
  }

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_{io_};
  boost::system::error_code handshake_error_, last_error_;
  unsigned status_ = 0;
  std::string body_;
};

}  // namespace webgames::testing
