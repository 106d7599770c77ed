#pragma once
// The one place where an Error becomes an HTTP reply:
//   {"error":{"code":"invalid_field","message":"…","field":"queues[0].teams"}}
// with the status its code maps to. Documented in docs/errors.md.

#include "core/error.h"
#include "http/message.h"

namespace webgames::http {

Status status_of(Errc code);
Response error_response(const Error& error);

}  // namespace webgames::http
