#pragma once
// Helpers shared by the handlers: reading a JSON body and turning results
// into responses.

#include "core/error.h"
#include "core/json_fields.h"
#include "http/error_response.h"
#include "http/message.h"

#include <boost/json/value.hpp>

namespace webgames::api {

// The parsed body; invalid_request when it is not JSON (an empty body reads as {}).
inline Result<boost::json::value> json_body(const http::Request& request) {
  if (request.body().empty()) return boost::json::value(boost::json::object());
  return parse_json(request.body());
}

}  // namespace webgames::api
