#pragma once
// The one error type of Webgames, and the result type that carries it.
//
// Error policy (see docs/errors.md): what untrusted input or an outside system
// can cause is returned as an Error value; a broken invariant of our own is an
// assert or an exception, caught once per task. Each Error has a stable code,
// the one clients switch on; the message is for humans and may change.

#include <boost/system/result.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace webgames {

enum class Errc {
  invalid_request,    // malformed syntax: bad JSON, wrong type, missing field
  invalid_field,      // well-formed but a value breaks a rule (length, range, enum)
  unauthenticated,    // no credentials, or credentials we cannot verify
  token_expired,      // a token that was valid but is past its expiry
  forbidden,          // authenticated, but this role or owner may not do this
  not_found,          // no such resource (or not one the caller may see)
  conflict,           // the resource exists already or is in the wrong state
  payload_too_large,  // the body is over the route's limit
  quota_exceeded,     // over one of the developer's quotas (the field names it); retry later
  rate_limited,       // over a rate limit (limits/rate_limits.h); Error::retry_after says when to try again
  unavailable,        // an outside system is down; retrying may help
  outcome_unknown,    // a replica forwarded the request, which may or may not have been done: read it back
  internal,           // a bug of ours; logged with the request id
};

// The stable, wire-visible name of a code ("invalid_field", ...).
std::string_view to_string(Errc code);

struct Error {
  Errc code = Errc::internal;
  std::string message;
  std::string field;                    // the offending input, as a JSON path ("server.ports[0].name"); empty if none
  std::chrono::seconds retry_after{0};  // rate_limited: when a retry may pass (the Retry-After header)
};

inline Error make_error(Errc code, std::string message, std::string field = {}) {
  return Error{code, std::move(message), std::move(field)};
}

// Result<T> holds a T or an Error. Result<void> holds nothing or an Error.
template <class T>
using Result = boost::system::result<T, Error>;

// Thrown by Result::value() when it holds an Error: calling value() on a
// failed result is a broken invariant, not an expected path.
struct ErrorException : std::runtime_error {
  explicit ErrorException(Error e) : std::runtime_error(e.message), error(std::move(e)) {}
  Error error;
};

[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace webgames
