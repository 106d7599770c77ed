#include "http/cors.h"

#include "http/error_response.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace webgames::http {
namespace {

constexpr std::string_view kMethods = "GET, POST, PUT, PATCH, DELETE";
constexpr std::string_view kHeaders = "Authorization, Content-Type, X-Request-Id";
// Headers a page may read besides the simple ones.
constexpr std::string_view kExposed = "X-Request-Id, Location, Retry-After";
constexpr std::string_view kMaxAge = "600";  // seconds a browser may keep a preflight's answer
constexpr std::size_t kMaxOrigins = 64;
constexpr std::size_t kMaxOriginLength = 255;

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool valid_origin(std::string_view o) {
  std::string_view rest;
  if (o.starts_with("https://"))
    rest = o.substr(8);
  else if (o.starts_with("http://"))
    rest = o.substr(7);
  else
    return false;
  if (rest.empty() || o.size() > kMaxOriginLength) return false;
  auto colon = rest.rfind(':');
  auto host = colon == std::string_view::npos || rest.back() == ']' ? rest : rest.substr(0, colon);
  if (host.empty()) return false;
  if (colon != std::string_view::npos && rest.back() != ']') {
    auto port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
  }
  return std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '[' || c == ']' || c == ':';
  });
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {}

bool CorsPolicy::allows(std::string_view origin) const {
  if (origin.empty()) return false;
  return std::any_of(origins_.begin(), origins_.end(), [&](const std::string& o) { return o == "*" || o == origin; });
}

std::optional<Response> CorsPolicy::preflight(const Request& request) const {
  if (request.method() != Verb::options) return std::nullopt;
  auto origin = request[beast_http::field::origin];
  if (origin.empty() || request[beast_http::field::access_control_request_method].empty()) return std::nullopt;
  if (!allows(origin)) {
    auto res = error_response(make_error(Errc::forbidden,
                                         fmt::format("origin {} may not call this API (http.cors_origins)",
                                                     std::string(origin.substr(0, kMaxOriginLength))),
                                         "Origin"));
    res.set(beast_http::field::vary, "Origin");
    return res;
  }
  Response res{Status::no_content, 11};
  res.set(beast_http::field::access_control_allow_origin, origin);
  res.set(beast_http::field::access_control_allow_methods, kMethods);
  res.set(beast_http::field::access_control_allow_headers, kHeaders);
  res.set(beast_http::field::access_control_max_age, kMaxAge);
  res.set(beast_http::field::vary, "Origin");
  return res;
}

void CorsPolicy::decorate(const Request& request, Response& response) const {
  auto origin = request[beast_http::field::origin];
  if (!allows(origin)) return;
  response.set(beast_http::field::access_control_allow_origin, origin);
  response.set(beast_http::field::access_control_expose_headers, kExposed);
  response.set(beast_http::field::vary, "Origin");
}

Result<std::vector<std::string>> parse_cors_origins(std::string_view text) {
  std::vector<std::string> out;
  if (trim(text).empty()) return out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto item = trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (item != "*" && !valid_origin(item))
      return make_error(Errc::invalid_field,
                        fmt::format("\"{}\" is not an origin: scheme://host[:port] with http or https, no path",
                                    std::string(item.substr(0, kMaxOriginLength))),
                        "http.cors_origins");
    out.emplace_back(item);
    if (out.size() > kMaxOrigins)
      return make_error(Errc::invalid_field, fmt::format("at most {} origins", kMaxOrigins), "http.cors_origins");
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace webgames::http
