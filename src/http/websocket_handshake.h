#pragma once
// Checks an upgrade request (beast::websocket::is_upgrade holds) for what
// Beast's accept would refuse, so that the refusal is the answer every error
// gets (JSON with a code and the field, docs/errors.md) rather than Beast's
// plain text: no Host, a missing or oversized Sec-WebSocket-Key (400), a
// Sec-WebSocket-Version other than 13 (426, naming the version we speak).

#include "http/message.h"

#include <optional>

namespace webgames::http {

// The answer refusing `request`; empty when Beast would accept it.
std::optional<Response> refused_handshake(const Request& request);

}  // namespace webgames::http
