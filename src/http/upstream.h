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

// `address` is "host:port". unavailable when the server cannot be reached
// (the request was not delivered whole: nothing was done); outcome_unknown
// when it was delivered and no answer came within `timeout` (it may have
// been done, or not); the answer as it came otherwise, whatever its status.
// The errors' messages are for the client: they do not name the address
// (the log does).
boost::asio::awaitable<Result<Response>> forward(std::string address, Request request,
                                                 std::chrono::milliseconds timeout);

}  // namespace webgames::http
