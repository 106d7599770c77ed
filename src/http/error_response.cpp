#include "http/error_response.h"

#include <boost/json/object.hpp>

#include <algorithm>
#include <string>

namespace webgames::http {

Status status_of(Errc code) {
  switch (code) {
    case Errc::invalid_request:
      return Status::bad_request;
    case Errc::invalid_field:
      return Status::unprocessable_entity;
    case Errc::unauthenticated:
      return Status::unauthorized;
    case Errc::token_expired:
      return Status::unauthorized;
    case Errc::forbidden:
      return Status::forbidden;
    case Errc::not_found:
      return Status::not_found;
    case Errc::conflict:
      return Status::conflict;
    case Errc::payload_too_large:
      return Status::payload_too_large;
    case Errc::quota_exceeded:
    case Errc::rate_limited:
      return Status::too_many_requests;
    case Errc::unavailable:
      return Status::service_unavailable;
    case Errc::outcome_unknown:
      return Status::bad_gateway;
    case Errc::internal:
      return Status::internal_server_error;
  }
  return Status::internal_server_error;
}

Response error_response(const Error& error, int line) {
  boost::json::object body{{"code", to_string(error.code)}, {"message", error.message}};
  if (!error.field.empty()) body["field"] = error.field;
  if (line > 0) body["line"] = line;
  auto res = json_response(status_of(error.code), boost::json::object{{"error", std::move(body)}});
  if (error.code == Errc::rate_limited)
    res.set(beast_http::field::retry_after, std::to_string(std::max<long long>(1, error.retry_after.count())));
  if (error.code == Errc::unauthenticated || error.code == Errc::token_expired)
    res.set(beast_http::field::www_authenticate, error.code == Errc::token_expired
                                                     ? R"(Bearer error="invalid_token", error_description="expired")"
                                                     : "Bearer");
  return res;
}

}  // namespace webgames::http
