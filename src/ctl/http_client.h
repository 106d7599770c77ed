#pragma once
// A small blocking HTTP/1.1 client for the command line (one request per
// connection). Only http:// URLs: put a TLS-terminating proxy in front of a
// remote installation and reach it through a tunnel, or use curl.

#include "core/error.h"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace webgames::ctl {

struct HttpResult {
  unsigned status = 0;
  std::string body;
  std::string content_type;                                  // the Content-Type header, "" when absent
  std::string request_id;                                    // the X-Request-Id header, "" when absent
  std::vector<std::pair<std::string, std::string>> headers;  // every header, names as sent

  // The first header named `name` (case-insensitive), "" when absent.
  std::string header(std::string_view name) const;
};

struct Endpoint {
  std::string host;
  std::string port;
};

// `text` with all but RFC 3986's unreserved characters percent-encoded: a
// path segment or query value that reaches the server as one value.
std::string percent_encoded(std::string_view text);

// "http://host[:port]" (no path); invalid_field on anything else.
Result<Endpoint> parse_server_url(std::string_view url);

// unavailable when the server cannot be reached or does not answer within
// `timeout`. `headers` are added to the request (name, value); a body is
// sent as application/json unless they hold a Content-Type.
using Headers = std::vector<std::pair<std::string, std::string>>;
Result<HttpResult> http_request(const Endpoint& server, boost::beast::http::verb method, std::string_view target,
                                std::string_view json_body, std::string_view bearer_token,
                                std::chrono::seconds timeout = std::chrono::seconds(30), const Headers& headers = {});

}  // namespace webgames::ctl
