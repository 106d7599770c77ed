#pragma once
// Refusing a WebSocket upgrade: the error answered as plain HTTP (the JSON
// body every error has, docs/errors.md), then the connection closed; and
// accepting one. Each tells the server what was answered
// (RequestContext::upgrade_answered), for the access log and the metrics.

#include "core/error.h"
#include "http/router.h"

#include <boost/asio/awaitable.hpp>

namespace webgames::api {

boost::asio::awaitable<void> refuse_upgrade(http::WebSocket& ws, http::RequestContext& ctx, const Error& error);
// ws.async_accept of ctx.request; false when the handshake failed.
boost::asio::awaitable<bool> accept_upgrade(http::WebSocket& ws, http::RequestContext& ctx);

}  // namespace webgames::api
