#pragma once
// Forwards a request to another HTTP server (in the scaled mode: the replica
// that owns the lobby) and returns its answer, as a reverse proxy would:
// the request as it came, minus the hop-by-hop headers, plus
// X-Webgames-Forwarded (the receiver never forwards it again). One new
// connection per request, on the caller's executor.

#include "core/error.h"
#include "http/message.h"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace webgames::http {

// The header a forwarded request carries.
inline constexpr std::string_view kForwardedHeader = "X-Webgames-Forwarded";

// `address` is "host:port". unavailable when the server cannot be reached or
// does not answer within `timeout` (the request may then have been applied
// or not); the answer as it came otherwise, whatever its status.
boost::asio::awaitable<Result<Response>> forward(std::string address, Request request,
                                                 std::chrono::milliseconds timeout);

}  // namespace webgames::http
