#pragma once
// Helpers shared by the handlers: reading a JSON body and turning results
// into responses. The readers of each body are in api/request_bodies.h.

#include "api/request_bodies.h"
#include "core/error.h"
#include "core/json_fields.h"
#include "http/error_response.h"
#include "http/message.h"

#include <boost/json/value.hpp>

namespace webgames::api {

// The parsed body; invalid_request when it is not JSON (an empty body reads as {}).
inline Result<boost::json::value> json_body(const http::Request& request) { return json_body(request.body()); }

}  // namespace webgames::api
