#include "http/websocket_handshake.h"

#include "http/error_response.h"

namespace webgames::http {
namespace {

namespace field = boost::beast::http;

// A 16-byte nonce in base64; Beast refuses a longer key.
constexpr std::size_t kMaxKeyBytes = 24;

}  // namespace

std::optional<Response> refused_handshake(const Request& request) {
  auto refuse = [](std::string message, std::string name) {
    return error_response(make_error(Errc::invalid_request, std::move(message), std::move(name)));
  };
  if (request.find(field::field::host) == request.end()) return refuse("an upgrade request needs a Host", "Host");
  auto key = request.find(field::field::sec_websocket_key);
  if (key == request.end()) return refuse("an upgrade request needs a Sec-WebSocket-Key", "Sec-WebSocket-Key");
  if (key->value().size() > kMaxKeyBytes)
    return refuse("Sec-WebSocket-Key is too long (a 16-byte nonce, base64)", "Sec-WebSocket-Key");
  auto version = request.find(field::field::sec_websocket_version);
  if (version == request.end() || version->value() != "13") {
    auto res = refuse("this server speaks WebSocket version 13 (Sec-WebSocket-Version: 13)", "Sec-WebSocket-Version");
    res.result(Status::upgrade_required);
    res.set(field::field::upgrade, "websocket");
    res.set(field::field::sec_websocket_version, "13");
    return res;
  }
  return std::nullopt;
}

}  // namespace webgames::http
