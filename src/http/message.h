#pragma once
// The HTTP request and response types that handlers see, and the context a
// route hands them.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace webgames::http {

namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using Status = beast_http::status;
using Verb = beast_http::verb;

// Path parameters of the matched route, in pattern order ("{game}" -> "shifumi").
class PathParams {
 public:
  void add(std::string_view name, std::string value) { items_.emplace_back(name, std::move(value)); }
  // REQUIRES: the route's pattern declares `name`.
  const std::string& operator[](std::string_view name) const;

 private:
  std::vector<std::pair<std::string_view, std::string>> items_;
};

struct RequestContext {
  Request request;
  PathParams params;
  std::string request_id;      // echoed as X-Request-Id and in the access log
  std::string_view route;      // the matched pattern ("/v1/games/{game}"), or "" when none
  std::string account_id;      // set by authentication, for the access log
  std::string client_address;  // the peer, or the client behind a trusted proxy (forwarded.h)
  std::chrono::steady_clock::time_point started;
  // WebSocket routes: call with the status answered to the upgrade request,
  // 101 before switching or the error's when refused (api/websocket_refusal.h),
  // for the access log and the metrics. Set by the server; empty otherwise.
  std::function<void(unsigned status)> upgrade_answered;
};

// The target's query string ("/x?since=4&a=b&flag") as (name, value)
// pairs, in order, empty pairs skipped ("flag" has the value ""). Values
// are returned as sent (no percent-decoding): our query parameters are
// tokens and numbers.
using QueryPair = std::pair<std::string_view, std::string_view>;
std::vector<QueryPair> query_pairs(std::string_view target);

// The value of the first `name` in the target's query string, or nullopt.
std::optional<std::string_view> query_param(std::string_view target, std::string_view name);

// A response with a JSON body and the right Content-Type.
Response json_response(Status status, const boost::json::value& body);
// A response whose body is JSON text serialized earlier (a cached resource).
Response json_text_response(Status status, std::string body);
// A 204 with no body.
Response no_content();

}  // namespace webgames::http
