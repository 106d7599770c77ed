#pragma once
// The one place where an Error becomes an HTTP reply:
//   {"error":{"code":"invalid_field","message":"…","field":"queues[0].teams"}}
// with the status its code maps to; "line" too when the request's body was
// text whose lines the client edits (a game in TOML). Documented in
// docs/errors.md.

#include "core/error.h"
#include "http/message.h"

namespace webgames::http {

Status status_of(Errc code);
// `line` > 0: the line of the body that `error.field` names (or that the
// fault is on), from 1.
Response error_response(const Error& error, int line = 0);

}  // namespace webgames::http
