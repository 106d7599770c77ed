#pragma once
// Refusing a WebSocket upgrade: the error answered as plain HTTP (the JSON
// body every error has, docs/errors.md), then the connection closed.

#include "core/error.h"
#include "http/router.h"

#include <boost/asio/awaitable.hpp>

namespace webgames::api {

boost::asio::awaitable<void> refuse_upgrade(http::WebSocket& ws, const http::RequestContext& ctx, const Error& error);

}  // namespace webgames::api
