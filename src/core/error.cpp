#include "core/error.h"

namespace webgames {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::invalid_request:
      return "invalid_request";
    case Errc::invalid_field:
      return "invalid_field";
    case Errc::unauthenticated:
      return "unauthenticated";
    case Errc::token_expired:
      return "token_expired";
    case Errc::forbidden:
      return "forbidden";
    case Errc::not_found:
      return "not_found";
    case Errc::conflict:
      return "conflict";
    case Errc::payload_too_large:
      return "payload_too_large";
    case Errc::quota_exceeded:
      return "quota_exceeded";
    case Errc::rate_limited:
      return "rate_limited";
    case Errc::unavailable:
      return "unavailable";
    case Errc::outcome_unknown:
      return "outcome_unknown";
    case Errc::internal:
      return "internal";
  }
  return "internal";
}

void throw_exception_from_error(const Error& e, const boost::source_location&) { throw ErrorException(e); }

}  // namespace webgames
